import { betaMoments } from './beta-distribution.js';
import type { DaySums } from './daily-sums.js';
import { MEASURE_DEFAULTS, type MeasureOptions } from './mastery-measures.js';
import { dayNumber } from './utc-day.js';

/** The one-sided 95% threshold of the z rule. */
export const GROWTH_Z = 1.64;

/** One window's posterior. */
export interface WindowPosterior {
  readonly mean: number;
  readonly variance: number;
  readonly evidence: number;
}

/** Growth over a period: recent window against the one before it. */
export interface GrowthDelta {
  readonly recent: WindowPosterior;
  readonly prior: WindowPosterior;
  readonly delta: number;
  readonly z: number;
  /** z > 1.64 and both windows have at least nMin evidence. */
  readonly growing: boolean;
}

function windowPosterior(
  days: readonly DaySums[],
  from: number,
  to: number,
  a0: number,
  b0: number,
): WindowPosterior {
  let a = 0;
  let b = 0;
  for (const { day, sums } of days) {
    if (day <= from || day > to) continue;
    a += sums.wy;
    b += Math.max(0, sums.wout - sums.wy);
  }
  const { mean, variance } = betaMoments(a0 + a, b0 + b);
  return { mean, variance, evidence: a + b };
}

/**
 * Delta over a period of P days: the posterior of days (T - P, T] against that of
 * (T - 2P, T - P], undecayed, disjoint, so that change is not hidden by shared evidence.
 */
export function growthDelta(
  days: readonly DaySums[],
  periodDays: number,
  options: MeasureOptions,
): GrowthDelta {
  const t = dayNumber(options.asOf);
  const a0 = options.a0 ?? MEASURE_DEFAULTS.a0;
  const b0 = options.b0 ?? MEASURE_DEFAULTS.b0;
  const nMin = options.nMin ?? MEASURE_DEFAULTS.nMin;
  const recent = windowPosterior(days, t - periodDays, t, a0, b0);
  const prior = windowPosterior(days, t - 2 * periodDays, t - periodDays, a0, b0);
  const delta = recent.mean - prior.mean;
  const z = delta / Math.sqrt(recent.variance + prior.variance);
  const growing = z > GROWTH_Z && recent.evidence >= nMin && prior.evidence >= nMin;
  return { recent, prior, delta, z, growing };
}

/** The weekly sums of the least-squares slope (section 5), additive across people. */
export interface SlopeSums {
  readonly sw: number;
  readonly sx: number;
  readonly sy: number;
  readonly sxx: number;
  readonly sxy: number;
}

/**
 * The slope sums over days d <= T (and within the last `weeks` weeks when given), with week
 * index x_k = -floor((T - d) / 7) (0 is the week ending on T), W_k = wout and Y_k = wy. Summing
 * per day is the same as summing per week first, since x is constant within a week.
 */
export function slopeSums(days: readonly DaySums[], asOf: string, weeks?: number): SlopeSums {
  const t = dayNumber(asOf);
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const { day, sums } of days) {
    if (day > t) continue;
    const x = -Math.floor((t - day) / 7);
    if (weeks !== undefined && -x >= weeks) continue;
    sw += sums.wout;
    sx += sums.wout * x;
    sy += sums.wy;
    sxx += sums.wout * x * x;
    sxy += x * sums.wy;
  }
  return { sw, sx, sy, sxx, sxy };
}

/**
 * slope = (S_w S_xy - S_x S_y) / (S_w S_xx - S_x^2): the change of the weighted outcome rate per
 * week. Null when the outcomes fall in fewer than two weeks (the denominator is then zero, up to
 * rounding).
 */
export function weeklySlope(s: SlopeSums): number | null {
  const denominator = s.sw * s.sxx - s.sx * s.sx;
  if (!(denominator > 1e-12 * Math.max(1, s.sw * s.sxx))) return null;
  return (s.sw * s.sxy - s.sx * s.sy) / denominator;
}
