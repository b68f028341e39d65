import type { DaySums } from './daily-sums.js';
import type { EvidenceKind } from './evidence-row.js';
import {
  addSums,
  toFloatSums,
  ZERO_SUMS,
  type Bucket,
  type FloatSums,
  type SkillDaySums,
} from './skill-day-sums.js';
import { dayNumber } from './utc-day.js';
import type { EvidenceSource } from './verb-concepts.js';

/** One day's sums of one source and kind: the input of the person measures. */
export interface SourcedDaySums extends DaySums {
  readonly source: EvidenceSource;
  readonly kind: EvidenceKind;
}

/**
 * Buckets pooled per (day, source, kind), added exactly, then made floats; sorted by day, then
 * source, then kind. The caller passes the buckets of one person and skill (or of a skill and its
 * children, or of a whole cohort for pooled figures).
 */
export function sourcedDaySums(buckets: Iterable<Bucket>): SourcedDaySums[] {
  const groups = new Map<string, { key: Bucket['key']; sums: SkillDaySums }>();
  for (const { key, sums } of buckets) {
    const id = JSON.stringify([key.day, key.source, key.kind]);
    groups.set(id, { key, sums: addSums(groups.get(id)?.sums ?? ZERO_SUMS, sums) });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { key, sums }]) => ({
      day: dayNumber(key.day),
      source: key.source,
      kind: key.kind,
      sums: toFloatSums(sums),
    }));
}

/** The zero of {@link FloatSums}. */
export const ZERO_FLOAT_SUMS: FloatSums = Object.freeze({
  statements: 0,
  events: 0,
  w: 0,
  wy: 0,
  wy2: 0,
  wout: 0,
});

/** a + b, field by field, in floats (read time only). */
export function addFloatSums(a: FloatSums, b: FloatSums): FloatSums {
  return {
    statements: a.statements + b.statements,
    events: a.events + b.events,
    w: a.w + b.w,
    wy: a.wy + b.wy,
    wy2: a.wy2 + b.wy2,
    wout: a.wout + b.wout,
  };
}

/** Sourced days pooled per day over sources and kinds: the input of masteryOf and growthDelta. */
export function pooledDays(days: readonly SourcedDaySums[]): DaySums[] {
  const byDay = new Map<number, FloatSums>();
  for (const { day, sums } of days)
    byDay.set(day, addFloatSums(byDay.get(day) ?? ZERO_FLOAT_SUMS, sums));
  return [...byDay.entries()].sort(([a], [b]) => a - b).map(([day, sums]) => ({ day, sums }));
}
