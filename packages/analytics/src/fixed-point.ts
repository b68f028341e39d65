/**
 * The fixed-point representation of evidence weights and outcomes. Bucket sums must be exact
 * whatever the order of additions and retractions (docs/analytics-core.md, section 4), and
 * floating-point addition is not associative, so each row contributes integers:
 *
 * - w is quantised to {@link W_SCALE} units (0.0001), capped at {@link W_MAX};
 * - y is quantised to {@link Y_SCALE} units (0.001) in [0, 1];
 * - w*y is then an integer in units of 1e-7 and w*y^2 in units of 1e-10.
 *
 * Per row: w <= 1e6 units, w*y <= 1e9, w*y^2 <= 1e12, events <= {@link N_MAX} = 1e6, all far
 * below 2^53, so they are computed exactly as JS numbers. Sums are BigInt in JS (no bound needed)
 * and int64 in MongoDB (`$inc` with a Long is exact): the largest field, w*y^2, overflows int64
 * (9.22e18) only after 9.2 million rows at the cap w = 100, or 9.2 billion rows at w <= 1, in one
 * sum. Floats appear only at read time ({@link unitsToWeight} and friends).
 */

/** Units per 1.0 of weight w. */
export const W_SCALE = 10_000;
/** Units per 1.0 of outcome y. */
export const Y_SCALE = 1_000;
/** The largest weight a row may carry; a larger product is capped (a per-statement cap). */
export const W_MAX = 100;
/** The largest event count a statement may claim; a larger one is capped. */
export const N_MAX = 1_000_000;

/** w as integer units: clamped to [0, W_MAX], rounded half up (Math.round is deterministic). */
export function weightUnits(w: number): number {
  if (!(w > 0)) return 0;
  return Math.round(Math.min(w, W_MAX) * W_SCALE);
}

/** y as integer units: clamped to [0, 1]. */
export function outcomeUnits(y: number): number {
  if (!(y > 0)) return 0;
  return Math.round(Math.min(y, 1) * Y_SCALE);
}

/** Units of w back to a float (read time only). */
export function unitsToWeight(units: number | bigint): number {
  return Number(units) / W_SCALE;
}

/** Units of w*y back to a float. */
export function unitsToWeightedOutcome(units: number | bigint): number {
  return Number(units) / (W_SCALE * Y_SCALE);
}

/** Units of w*y^2 back to a float. */
export function unitsToWeightedSquare(units: number | bigint): number {
  return Number(units) / (W_SCALE * Y_SCALE * Y_SCALE);
}

/**
 * The damping of an event count inside one statement: log2(1 + n) = log1p(n) / log1p(1), so that
 * one event weighs 1, 16 events weigh 4.09, and a million about 20. Never applied across
 * statements (that would depend on arrival order).
 */
export function eventDamping(n: number): number {
  return Math.log1p(n) / Math.LN2;
}
