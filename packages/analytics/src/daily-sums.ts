import {
  addSums,
  toFloatSums,
  ZERO_SUMS,
  type Bucket,
  type FloatSums,
  type SkillDaySums,
} from './skill-day-sums.js';
import { dayNumber } from './utc-day.js';

/** One day's pooled sums, as floats, with its day number: the input of the read-time measures. */
export interface DaySums {
  /** Days since 1970-01-01 (see utc-day.ts). */
  readonly day: number;
  readonly sums: FloatSums;
}

/**
 * The buckets pooled per day (over whatever subjects, sources and kinds the caller passes: one
 * person's skill, a team, formal evidence only...), added exactly, then made floats, by day.
 */
export function dailySums(buckets: Iterable<Bucket>): DaySums[] {
  const byDay = new Map<string, SkillDaySums>();
  for (const { key, sums } of buckets)
    byDay.set(key.day, addSums(byDay.get(key.day) ?? ZERO_SUMS, sums));
  return [...byDay.entries()]
    .map(([day, sums]) => ({ day: dayNumber(day), sums: toFloatSums(sums) }))
    .sort((a, b) => a.day - b.day);
}
