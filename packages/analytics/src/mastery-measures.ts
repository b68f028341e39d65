import { betaMoments, betaQuantile } from './beta-distribution.js';
import type { DaySums } from './daily-sums.js';
import { dayNumber } from './utc-day.js';

/** The read-time settings of docs/analytics-core.md, section 5; the clock is the `asOf` day. */
export interface MeasureOptions {
  /** The day T the measures are for, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Half-life h of evidence in days (default 90). */
  readonly halfLifeDays?: number;
  /** Prior Beta(a0, b0) (default 1, 1). */
  readonly a0?: number;
  readonly b0?: number;
  /** Evidence needed before a level is shown (default 3). */
  readonly nMin?: number;
}

/** Defaults of section 5. */
export const MEASURE_DEFAULTS = { halfLifeDays: 90, a0: 1, b0: 1, nMin: 3 } as const;

/** Decayed positive (A) and negative (B) evidence. */
export interface DecayedEvidence {
  readonly a: number;
  readonly b: number;
}

/**
 * A(T) = sum over d <= T of exp(-lambda (T - d)) wy_d and B(T) likewise of (wout_d - wy_d), with
 * lambda = ln 2 / h. Days after T are ignored: a report as of T sees what was known then.
 */
export function decayedEvidence(
  days: readonly DaySums[],
  asOf: string,
  halfLifeDays: number,
): DecayedEvidence {
  const t = dayNumber(asOf);
  const lambda = Math.LN2 / halfLifeDays;
  let a = 0;
  let b = 0;
  for (const { day, sums } of days) {
    if (day > t) continue;
    const decay = Math.exp(-lambda * (t - day));
    a += decay * sums.wy;
    // max(0, ...) guards against a float remainder below zero, never against real evidence.
    b += decay * Math.max(0, sums.wout - sums.wy);
  }
  return { a, b };
}

/** Mastery as of a day: the posterior Beta(a0 + A, b0 + B), its mean and interval. */
export interface Mastery {
  /** Posterior mean (a0 + A) / (a0 + b0 + A + B). */
  readonly mastery: number;
  /** A + B. */
  readonly evidence: number;
  /** The 5% and 95% quantiles of the posterior. */
  readonly low: number;
  readonly high: number;
  /** The mastery when evidence >= nMin, else null ("insufficient evidence"). */
  readonly level: number | null;
  readonly alpha: number;
  readonly beta: number;
}

/** Mastery from decayed evidence (section 5). With no evidence it is the prior's mean, 0.5. */
export function masteryOf(days: readonly DaySums[], options: MeasureOptions): Mastery {
  const h = options.halfLifeDays ?? MEASURE_DEFAULTS.halfLifeDays;
  const { a, b } = decayedEvidence(days, options.asOf, h);
  const alpha = (options.a0 ?? MEASURE_DEFAULTS.a0) + a;
  const beta = (options.b0 ?? MEASURE_DEFAULTS.b0) + b;
  const { mean } = betaMoments(alpha, beta);
  const evidence = a + b;
  return {
    mastery: mean,
    evidence,
    low: betaQuantile(0.05, alpha, beta),
    high: betaQuantile(0.95, alpha, beta),
    level: evidence >= (options.nMin ?? MEASURE_DEFAULTS.nMin) ? mean : null,
    alpha,
    beta,
  };
}
