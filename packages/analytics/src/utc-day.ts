/** UTC days as `YYYY-MM-DD` strings and as day numbers (days since 1970-01-01). */

const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/u;

/** The UTC day of an epoch time, as `YYYY-MM-DD`. */
export function utcDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. Throws a RangeError for anything else. */
export function dayNumber(day: string): number {
  const ms = DAY.test(day) ? Date.parse(`${day}T00:00:00.000Z`) : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`not a day as YYYY-MM-DD: ${day}`);
  return Math.round(ms / DAY_MS);
}

/** The `YYYY-MM-DD` of a day number. */
export function dayOfNumber(n: number): string {
  return utcDay(n * DAY_MS);
}
