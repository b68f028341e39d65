import { betaMoments, betaQuantile } from './beta-distribution.js';
import type { DaySums } from './daily-sums.js';
import type { EvidenceKind } from './evidence-row.js';
import {
  growthDelta,
  GROWTH_Z,
  slopeSums,
  weeklySlope,
  type GrowthDelta,
  type SlopeSums,
} from './growth-measures.js';
import {
  decayedEvidence,
  MEASURE_DEFAULTS,
  masteryOf,
  type DecayedEvidence,
  type MeasureOptions,
} from './mastery-measures.js';
import type { FloatSums } from './skill-day-sums.js';
import { addFloatSums, ZERO_FLOAT_SUMS, type SourcedDaySums } from './sourced-day-sums.js';
import { dayNumber, dayOfNumber } from './utc-day.js';
import type { EvidenceSource } from './verb-concepts.js';

/** The options of the person and cohort measures: section 5's settings and the report's period. */
export interface PersonSkillOptions extends MeasureOptions {
  /** First day (inclusive, `YYYY-MM-DD`) of the volumes shown; default: no lower bound. */
  readonly from?: string;
  /** Growth period P in days (default 28). */
  readonly periodDays?: number;
  /** Weeks of the weekly series and of the slope (default 12). */
  readonly weeks?: number;
}

export const PERSON_DEFAULTS = { periodDays: 28, weeks: 12 } as const;

/** A credible interval. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** The posterior Beta(alpha, beta) of mastery, without quantiles (cheap). */
export interface MasteryEstimate {
  /** Posterior mean. */
  readonly mean: number;
  readonly variance: number;
  /** Decayed evidence A + B. */
  readonly evidence: number;
  /** The mean when evidence >= nMin, else null ("insufficient evidence"). */
  readonly level: number | null;
  readonly alpha: number;
  readonly beta: number;
}

/** A posterior with its 80% (10%-90%) and 90% (5%-95%) intervals. */
export interface MasteryWithIntervals extends MasteryEstimate {
  readonly interval80: Interval;
  readonly interval90: Interval;
}

/** Decayed evidence (section 5) with the decayed sum of all weights, practice included. */
export interface DecayedSums extends DecayedEvidence {
  /** A + B: outcome-carrying evidence only. */
  readonly evidence: number;
  /** Sum of exp(-lambda (T - d)) w_d over every row, with or without an outcome. */
  readonly w: number;
}

/** The evidence of one source and kind. */
export interface SourceKindEvidence {
  readonly source: EvidenceSource;
  readonly kind: EvidenceKind;
  /** As of T, over every day up to T. */
  readonly decayed: DecayedSums;
  /** Undecayed sums over the days shown: [from, T]. */
  readonly raw: FloatSums;
  readonly lastDay: string;
}

/** The growth test and its inputs, as a report shows them. */
export interface GrowthTest extends GrowthDelta {
  readonly periodDays: number;
  /** The z threshold (GROWTH_Z) and the evidence each window needs (nMin). */
  readonly threshold: number;
  readonly nMin: number;
  /** The undecayed sums of each window, additive across people: a cohort's growth pools them. */
  readonly recentSums: DecayedEvidence;
  readonly priorSums: DecayedEvidence;
}

/**
 * What a cohort needs of each member for one skill: cheap (no quantiles, no weekly series), so a
 * heatmap can compute it for thousands of people.
 */
export interface PersonSkillSummary {
  readonly asOf: string;
  /** Any evidence row on a day up to T (whatever the range shown). */
  readonly hasEvidence: boolean;
  /** Evidence >= nMin as of T (the level is shown). */
  readonly sufficient: boolean;
  readonly lastEvidenceDay: string | null;
  readonly mastery: MasteryEstimate;
  readonly decayed: DecayedSums;
  /** Per source and kind that has evidence up to T, sorted by source then kind. */
  readonly bySourceKind: readonly SourceKindEvidence[];
  /** Undecayed sums over the days shown, every source and kind. */
  readonly volume: FloatSums;
  readonly growth: GrowthTest;
  /** The slope sums of the last `weeks` weeks. */
  readonly slopeSums: SlopeSums;
}

/** One week of the weekly series. */
export interface WeekPoint {
  /** 0 for the week ending on T, -1 for the week before... (the slope's x). */
  readonly index: number;
  /** Its last day: mastery is as of this day. Week x covers (end - 7, end]. */
  readonly end: string;
  /** Decayed mastery as of `end`, from evidence on days up to `end` only. */
  readonly mastery: MasteryEstimate;
  /** Undecayed sums of the week's days, all sources, and per source. */
  readonly volume: FloatSums;
  readonly volumeBySource: Readonly<Record<EvidenceSource, FloatSums>>;
  /** wy / wout of the week, null without outcomes. */
  readonly outcomeRate: number | null;
}

/** The person profile of one skill: the summary, the intervals and the weekly trend. */
export interface PersonSkillMeasures extends PersonSkillSummary {
  readonly mastery: MasteryWithIntervals;
  /** The last `weeks` weeks, oldest first. */
  readonly weeks: readonly WeekPoint[];
  /** weeklySlope of slopeSums: change of the outcome rate per week, null under two weeks. */
  readonly slope: number | null;
}

interface Resolved {
  readonly t: number;
  readonly from: number;
  readonly h: number;
  readonly a0: number;
  readonly b0: number;
  readonly nMin: number;
  readonly periodDays: number;
  readonly weeks: number;
}

function resolve(options: PersonSkillOptions): Resolved {
  return {
    t: dayNumber(options.asOf),
    from: options.from === undefined ? -Infinity : dayNumber(options.from),
    h: options.halfLifeDays ?? MEASURE_DEFAULTS.halfLifeDays,
    a0: options.a0 ?? MEASURE_DEFAULTS.a0,
    b0: options.b0 ?? MEASURE_DEFAULTS.b0,
    nMin: options.nMin ?? MEASURE_DEFAULTS.nMin,
    periodDays: options.periodDays ?? PERSON_DEFAULTS.periodDays,
    weeks: options.weeks ?? PERSON_DEFAULTS.weeks,
  };
}

/** The posterior of decayed evidence (a, b) under the prior: section 5's mastery, no quantiles. */
export function masteryEstimate(
  decayed: DecayedEvidence,
  options: Pick<MeasureOptions, 'a0' | 'b0' | 'nMin'> = {},
): MasteryEstimate {
  const alpha = (options.a0 ?? MEASURE_DEFAULTS.a0) + decayed.a;
  const beta = (options.b0 ?? MEASURE_DEFAULTS.b0) + decayed.b;
  const { mean, variance } = betaMoments(alpha, beta);
  const evidence = decayed.a + decayed.b;
  const level = evidence >= (options.nMin ?? MEASURE_DEFAULTS.nMin) ? mean : null;
  return { mean, variance, evidence, level, alpha, beta };
}

/** The 80% and 90% equal-tailed intervals of a posterior. */
export function withIntervals(m: MasteryEstimate): MasteryWithIntervals {
  return {
    ...m,
    interval80: {
      low: betaQuantile(0.1, m.alpha, m.beta),
      high: betaQuantile(0.9, m.alpha, m.beta),
    },
    interval90: {
      low: betaQuantile(0.05, m.alpha, m.beta),
      high: betaQuantile(0.95, m.alpha, m.beta),
    },
  };
}

/** Undecayed (a, b) of the days in (from, to], as growthDelta's windows count them. */
function windowSums(days: readonly DaySums[], from: number, to: number): DecayedEvidence {
  let a = 0;
  let b = 0;
  for (const { day, sums } of days) {
    if (day <= from || day > to) continue;
    a += sums.wy;
    b += Math.max(0, sums.wout - sums.wy);
  }
  return { a, b };
}

/** growthDelta over P days, with the test's inputs and the windows' sums. */
function growthTest(
  days: readonly DaySums[],
  options: PersonSkillOptions,
  r: Resolved,
): GrowthTest {
  return {
    ...growthDelta(days, r.periodDays, options),
    periodDays: r.periodDays,
    threshold: GROWTH_Z,
    nMin: r.nMin,
    recentSums: windowSums(days, r.t - r.periodDays, r.t),
    priorSums: windowSums(days, r.t - 2 * r.periodDays, r.t - r.periodDays),
  };
}

/**
 * The growth test of pooled window sums (a cohort's): growthDelta of two synthetic days, one in
 * each window, carrying the summed (a, b), so that the test is the very one a person gets.
 */
export function pooledGrowth(
  recentSums: DecayedEvidence,
  priorSums: DecayedEvidence,
  options: PersonSkillOptions,
): GrowthTest {
  const r = resolve(options);
  const day = (d: number, s: DecayedEvidence): DaySums => ({
    day: d,
    sums: { ...ZERO_FLOAT_SUMS, wy: s.a, wout: s.a + s.b },
  });
  const days = [day(r.t - r.periodDays, priorSums), day(r.t, recentSums)];
  return {
    ...growthDelta(days, r.periodDays, options),
    periodDays: r.periodDays,
    threshold: GROWTH_Z,
    nMin: r.nMin,
    recentSums,
    priorSums,
  };
}

/** The evidence sources, in the order reports list them. */
export const EVIDENCE_SOURCES: readonly EvidenceSource[] = ['formal', 'social'];

/**
 * The summary of one person and skill as of T from their sums split by source and kind (see
 * sourcedDaySums). People sets never depend on the range shown: `hasEvidence` and `sufficient`
 * look at every day up to T; `from` only narrows the volumes.
 */
export function personSkillSummary(
  days: readonly SourcedDaySums[],
  options: PersonSkillOptions,
): PersonSkillSummary {
  const r = resolve(options);
  const lambda = Math.LN2 / r.h;
  const seen = days.filter((d) => d.day <= r.t && d.sums.statements > 0);
  // One pass: a heatmap computes this for every person and skill of a cohort.
  const groups = new Map<string, Accumulator>();
  let w = 0;
  let last = -Infinity;
  const volume = mutableSums();
  for (const d of seen) {
    const id = `${d.source} ${d.kind}`;
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { source: d.source, kind: d.kind, a: 0, b: 0, w: 0, raw: mutableSums(), last: d.day }));
    const decay = Math.exp(-lambda * (r.t - d.day));
    g.a += decay * d.sums.wy;
    g.b += decay * Math.max(0, d.sums.wout - d.sums.wy);
    g.w += decay * d.sums.w;
    w += decay * d.sums.w;
    g.last = Math.max(g.last, d.day);
    last = Math.max(last, d.day);
    if (d.day >= r.from) {
      accumulate(g.raw, d.sums);
      accumulate(volume, d.sums);
    }
  }
  const bySourceKind = [...groups.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([, g]): SourceKindEvidence => ({
      source: g.source,
      kind: g.kind,
      decayed: { a: g.a, b: g.b, evidence: g.a + g.b, w: g.w },
      raw: g.raw,
      lastDay: dayOfNumber(g.last),
    }));
  const { a, b } = decayedEvidence(seen, options.asOf, r.h);
  const decayed = { a, b, evidence: a + b, w };
  const mastery = masteryEstimate(decayed, r);
  return {
    asOf: options.asOf,
    hasEvidence: seen.length > 0,
    sufficient: mastery.level !== null,
    lastEvidenceDay: seen.length === 0 ? null : dayOfNumber(last),
    mastery,
    decayed,
    bySourceKind,
    volume,
    growth: growthTest(seen, options, r),
    slopeSums: slopeSums(seen, options.asOf, r.weeks),
  };
} // prettier-ignore

interface Accumulator {
  readonly source: EvidenceSource;
  readonly kind: EvidenceKind;
  a: number;
  b: number;
  w: number;
  readonly raw: Record<keyof FloatSums, number>;
  last: number;
}

function mutableSums(): Record<keyof FloatSums, number> {
  return { statements: 0, events: 0, w: 0, wy: 0, wy2: 0, wout: 0 };
}

function accumulate(into: Record<keyof FloatSums, number>, s: FloatSums): void {
  into.statements += s.statements;
  into.events += s.events;
  into.w += s.w;
  into.wy += s.wy;
  into.wy2 += s.wy2;
  into.wout += s.wout;
}

/**
 * The weekly series: for x = -(weeks - 1) .. 0, the week (T + 7x - 7, T + 7x]. Mastery at each
 * week's end is the decayed mastery as of that day (section 5 with T = the week's end), from the
 * evidence of days up to that day: what a report run on that day would have shown.
 */
export function weeklySeries(
  days: readonly SourcedDaySums[],
  options: PersonSkillOptions,
): WeekPoint[] {
  const r = resolve(options);
  const out: WeekPoint[] = [];
  for (let x = -(r.weeks - 1); x <= 0; x++) {
    const end = r.t + 7 * x;
    let volume = ZERO_FLOAT_SUMS;
    const bySource: Record<EvidenceSource, FloatSums> = {
      formal: ZERO_FLOAT_SUMS,
      social: ZERO_FLOAT_SUMS,
    };
    for (const d of days) {
      if (d.day <= end - 7 || d.day > end) continue;
      volume = addFloatSums(volume, d.sums);
      bySource[d.source] = addFloatSums(bySource[d.source], d.sums);
    }
    out.push({
      index: x,
      end: dayOfNumber(end),
      mastery: masteryEstimate(decayedEvidence(days, dayOfNumber(end), r.h), r),
      volume,
      volumeBySource: bySource,
      outcomeRate: volume.wout > 0 ? volume.wy / volume.wout : null,
    });
  }
  return out;
}

/**
 * The person profile of one skill as of T: the summary, mastery with its 80% and 90% intervals
 * (masteryOf's 5%-95% and the 10%-90% quantiles), the weekly series and the weekly slope.
 */
export function personSkillMeasures(
  days: readonly SourcedDaySums[],
  options: PersonSkillOptions,
): PersonSkillMeasures {
  const summary = personSkillSummary(days, options);
  const m = masteryOf(days, options);
  return {
    ...summary,
    mastery: {
      ...summary.mastery,
      interval80: {
        low: betaQuantile(0.1, m.alpha, m.beta),
        high: betaQuantile(0.9, m.alpha, m.beta),
      },
      interval90: { low: m.low, high: m.high },
    },
    weeks: weeklySeries(days, options),
    slope: weeklySlope(summary.slopeSums),
  };
}
