import { weeklySlope, type SlopeSums } from './growth-measures.js';
import {
  masteryEstimate,
  pooledGrowth,
  withIntervals,
  type DecayedSums,
  type GrowthTest,
  type Interval,
  type MasteryWithIntervals,
  type PersonSkillOptions,
  type PersonSkillSummary,
} from './person-skill-measures.js';
import { SUM_FIELDS, type FloatSums } from './skill-day-sums.js';
import type { EvidenceSource } from './verb-concepts.js';

/** The cohort options: the members' options and the proficiency threshold. */
export interface CohortOptions extends PersonSkillOptions {
  /** A level at or above this is proficient (default 0.7). */
  readonly proficientAt?: number;
}

export const COHORT_DEFAULTS = { proficientAt: 0.7 } as const;

/** The normal quantiles of the two-sided 80% and 90% intervals. */
const Z80 = 1.2815515655446004;
const Z90 = 1.6448536269514722;

/** The cohort mean of the members' mastery, with the uncertainty of the members' posteriors. */
export interface CohortMean {
  readonly mean: number;
  /** sqrt(sum var_i) / n. */
  readonly sd: number;
  readonly interval80: Interval;
  readonly interval90: Interval;
}

/** Median and quartiles (linear interpolation between order statistics). */
export interface Spread {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly iqr: number;
}

/** The figures of one cohort and skill (docs/analytics-core.md, section 6). */
export interface CohortMeasures {
  /** Members with any evidence up to T: the cell's contributors. */
  readonly people: number;
  /** Members with sufficient evidence as of T: every mastery figure is over these. */
  readonly sufficient: number;
  /** Mean of the sufficient members' levels; null when nobody has sufficient evidence. */
  readonly meanMastery: CohortMean | null;
  /** Beta(a0 + sum A_i, b0 + sum B_i): the cohort as one learner, from pooled decayed sums. */
  readonly pooled: MasteryWithIntervals;
  readonly proficientAt: number;
  /** Sufficient members whose level >= proficientAt, and their share of the sufficient. */
  readonly proficient: number;
  readonly shareProficient: number | null;
  /** Sufficient members whose own growth test says growing, and their share. */
  readonly growing: number;
  readonly shareGrowing: number | null;
  /** Of the sufficient members' levels. */
  readonly spread: Spread | null;
  /** Undecayed sums over the days shown, every source, and per source. */
  readonly volume: FloatSums;
  readonly volumeBySource: Readonly<Record<EvidenceSource, FloatSums>>;
  /** Decayed evidence as of T per source (shares of evidence by source). */
  readonly decayedBySource: Readonly<Record<EvidenceSource, DecayedSums>>;
  /** The growth test of the pooled window sums. */
  readonly growth: GrowthTest;
  /** Pooled slope sums and their weekly slope. */
  readonly slopeSums: SlopeSums;
  readonly slope: number | null;
}

/**
 * Sum in ascending order: the cohort's figures are then the same numbers whatever order its
 * members come in (float addition is not associative).
 */
function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of Float64Array.from(values).sort()) s += v;
  return s;
}

function sumSums(list: readonly FloatSums[]): FloatSums {
  const out: Record<(typeof SUM_FIELDS)[number], number> = {
    statements: 0,
    events: 0,
    w: 0,
    wy: 0,
    wy2: 0,
    wout: 0,
  };
  for (const f of SUM_FIELDS) out[f] = sum(list.map((s) => s[f]));
  return out;
}

/** The p-quantile of sorted values by linear interpolation (Hyndman and Fan's type 7). */
function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

const clamp = (x: number): number => Math.min(1, Math.max(0, x));

/**
 * The cohort mean's interval. The members' true masteries theta_i are independent given the
 * evidence, with posterior means m_i and variances v_i (Beta moments). The cohort's mean
 * (1/n) sum theta_i then has mean (1/n) sum m_i and variance sum v_i / n^2, and by the central
 * limit theorem is about normal: the interval is mean +- z sd, clamped to [0, 1]. It is the
 * uncertainty about these members' mastery, not a sampling error: the cohort is the population.
 */
function cohortMean(levels: readonly number[], variances: readonly number[]): CohortMean {
  const n = levels.length;
  const mean = sum(levels) / n;
  const sd = Math.sqrt(sum(variances)) / n;
  const around = (z: number): Interval => ({
    low: clamp(mean - z * sd),
    high: clamp(mean + z * sd),
  });
  return { mean, sd, interval80: around(Z80), interval90: around(Z90) };
}

/**
 * The cohort figures of one skill from its members' summaries (personSkillSummary or
 * personSkillMeasures, computed with the same options). Everything is a function of the multiset
 * of members' figures: the order of members never matters and a cohort of one is that person.
 */
export function cohortMeasures(
  members: readonly PersonSkillSummary[],
  options: CohortOptions,
): CohortMeasures {
  const proficientAt = options.proficientAt ?? COHORT_DEFAULTS.proficientAt;
  const sufficient = members.filter((m) => m.sufficient && m.mastery.level !== null);
  const levels = sufficient.map((m) => m.mastery.mean);
  const sorted = [...levels].sort((a, b) => a - b);
  const n = sufficient.length;
  const proficient = levels.filter((l) => l >= proficientAt).length;
  const growing = sufficient.filter((m) => m.growth.growing).length;
  const pooled = withIntervals(
    masteryEstimate(
      { a: sum(members.map((m) => m.decayed.a)), b: sum(members.map((m) => m.decayed.b)) },
      options,
    ),
  );
  const slopeSums: SlopeSums = {
    sw: sum(members.map((m) => m.slopeSums.sw)),
    sx: sum(members.map((m) => m.slopeSums.sx)),
    sy: sum(members.map((m) => m.slopeSums.sy)),
    sxx: sum(members.map((m) => m.slopeSums.sxx)),
    sxy: sum(members.map((m) => m.slopeSums.sxy)),
  };
  const sourceSums = (source: EvidenceSource): FloatSums =>
    sumSums(members.flatMap((m) => m.bySourceKind.filter((e) => e.source === source).map((e) => e.raw)));
  const sourceDecayed = (source: EvidenceSource): DecayedSums => {
    const list = members.flatMap((m) => m.bySourceKind.filter((e) => e.source === source).map((e) => e.decayed));
    const a = sum(list.map((d) => d.a));
    const b = sum(list.map((d) => d.b));
    return { a, b, evidence: a + b, w: sum(list.map((d) => d.w)) };
  };
  const windowSums = (pick: (g: GrowthTest) => { a: number; b: number }) => ({
    a: sum(members.map((m) => pick(m.growth).a)),
    b: sum(members.map((m) => pick(m.growth).b)),
  });
  return {
    people: members.filter((m) => m.hasEvidence).length,
    sufficient: n,
    meanMastery: n === 0 ? null : cohortMean(levels, sufficient.map((m) => m.mastery.variance)),
    pooled,
    proficientAt,
    proficient,
    shareProficient: n === 0 ? null : proficient / n,
    growing,
    shareGrowing: n === 0 ? null : growing / n,
    spread: n === 0 ? null : spreadOf(sorted),
    volume: sumSums(members.map((m) => m.volume)),
    volumeBySource: { formal: sourceSums('formal'), social: sourceSums('social') },
    decayedBySource: { formal: sourceDecayed('formal'), social: sourceDecayed('social') },
    growth: pooledGrowth(windowSums((g) => g.recentSums), windowSums((g) => g.priorSums), options),
    slopeSums,
    slope: weeklySlope(slopeSums),
  };
} // prettier-ignore

function spreadOf(sorted: readonly number[]): Spread {
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  return { median: quantile(sorted, 0.5), q1, q3, iqr: q3 - q1 };
}
