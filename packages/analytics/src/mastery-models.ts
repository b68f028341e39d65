/**
 * The mastery models side by side, behind one signature, and the default. Both read the same
 * roll-up (outcome sums per subject, skill, activity and day) and answer as of the same day, so a
 * report can switch model without touching its queries. Why the default is what it is: measured
 * against the simulator's truth by bench/accuracy.ts (docs/analytics-core.md, section 5).
 */
import { betaMoments, betaQuantile } from './beta-distribution.js';
import type { DaySums } from './daily-sums.js';
import {
  difficultyGrowth,
  fitDifficultyModel,
  subjectSkillKey,
  type ActivityDaySums,
  type DifficultyOptions,
} from './difficulty-mastery.js';
import { growthDelta } from './growth-measures.js';
import { masteryOf } from './mastery-measures.js';
import { dayNumber } from './utc-day.js';

/** The growth test over one period. */
export interface PeriodGrowth {
  readonly periodDays: number;
  /** Recent window minus the one before: mastery for the Beta model, logits for difficulty. */
  readonly delta: number;
  readonly z: number;
  readonly growing: boolean;
}

/** One subject's mastery of one skill as of a day, whichever model gave it. */
export interface SkillAssessment {
  readonly subject: string;
  readonly skill: string;
  /** 0..1. */
  readonly mastery: number;
  /** The 80% interval (10% and 90% quantiles). */
  readonly low: number;
  readonly high: number;
  /** Decayed sum of w over outcomes. */
  readonly evidence: number;
  /** Evidence rows up to the day. */
  readonly statements: number;
  /** The mastery when evidence >= nMin, else null. */
  readonly level: number | null;
  /** One entry per requested period, in the same order. */
  readonly growth: readonly PeriodGrowth[];
}

/** What a model is asked. */
export interface AssessOptions extends DifficultyOptions {
  /** Growth periods in days (default 28 and 90). */
  readonly periods?: readonly number[];
}

/** The names of the models. */
export type MasteryModelName = 'beta' | 'difficulty';

/** A mastery model: the population's roll-up in, one assessment per subject and skill out. */
export interface MasteryModel {
  readonly name: MasteryModelName;
  /** One entry per subject and skill with rows up to `asOf`, by subject then skill. */
  readonly assess: (rows: readonly ActivityDaySums[], options: AssessOptions) => SkillAssessment[];
}

const DEFAULT_PERIODS = [28, 90] as const;

/** Rows grouped per subject and skill, keys in sorted order. */
function bySubjectSkill(rows: readonly ActivityDaySums[], asOf: number) {
  const groups = new Map<string, { subject: string; skill: string; days: Map<number, DaySums> }>();
  for (const row of rows) {
    const day = dayNumber(row.day);
    if (day > asOf) continue;
    const key = subjectSkillKey(row.subject, row.skill);
    const group = groups.get(key) ?? {
      subject: row.subject,
      skill: row.skill,
      days: new Map<number, DaySums>(),
    };
    groups.set(key, group);
    const s = group.days.get(day)?.sums;
    // The Beta measures read wy and wout only; w stands for wout and the rest is unused.
    group.days.set(day, {
      day,
      sums: {
        statements: (s?.statements ?? 0) + row.statements,
        events: 0,
        w: (s?.w ?? 0) + row.wout,
        wy: (s?.wy ?? 0) + row.wy,
        wy2: 0,
        wout: (s?.wout ?? 0) + row.wout,
      },
    });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => ({ ...g, days: [...g.days.values()].sort((a, b) => a.day - b.day) }));
}

/** Today's model (section 5): decayed Beta evidence, activity difficulty ignored. */
const beta: MasteryModel = {
  name: 'beta',
  assess(rows, options) {
    const periods = options.periods ?? DEFAULT_PERIODS;
    const measure = {
      asOf: options.asOf,
      ...(options.halfLifeDays === undefined ? {} : { halfLifeDays: options.halfLifeDays }),
      ...(options.nMin === undefined ? {} : { nMin: options.nMin }),
    };
    return bySubjectSkill(rows, dayNumber(options.asOf)).map(({ subject, skill, days }) => {
      const m = masteryOf(days, measure);
      return {
        subject,
        skill,
        mastery: betaMoments(m.alpha, m.beta).mean,
        low: betaQuantile(0.1, m.alpha, m.beta),
        high: betaQuantile(0.9, m.alpha, m.beta),
        evidence: m.evidence,
        statements: days.reduce((n, d) => n + d.sums.statements, 0),
        level: m.level,
        growth: periods.map((periodDays) => {
          const g = growthDelta(days, periodDays, measure);
          return { periodDays, delta: g.delta, z: g.z, growing: g.growing };
        }),
      };
    });
  },
};

/** The Rasch model of difficulty-mastery.ts: difficulties fitted from everyone's outcomes. */
const difficulty: MasteryModel = {
  name: 'difficulty',
  assess(rows, options) {
    const periods = options.periods ?? DEFAULT_PERIODS;
    const fit = fitDifficultyModel(rows, options);
    const growth = periods.map((p) => difficultyGrowth(fit, rows, p, options));
    return fit.masteries.map((m, i) => ({
      subject: m.subject,
      skill: m.skill,
      mastery: m.mastery,
      low: m.low,
      high: m.high,
      evidence: m.evidence,
      statements: m.statements,
      level: m.level,
      growth: periods.map((periodDays, k) => {
        const g = growth[k]?.[i];
        return { periodDays, delta: g?.delta ?? 0, z: g?.z ?? 0, growing: g?.growing ?? false };
      }),
    }));
  },
};

/** Every mastery model by name. */
export const MASTERY_MODELS: Readonly<Record<MasteryModelName, MasteryModel>> = {
  beta,
  difficulty,
};

/** The model reports use unless told otherwise (see docs/analytics-core.md, section 5). */
export const DEFAULT_MASTERY_MODEL: MasteryModelName = 'difficulty';

/** The model of a name, the default when none is given. */
export function masteryModel(name: MasteryModelName = DEFAULT_MASTERY_MODEL): MasteryModel {
  return MASTERY_MODELS[name];
}
