import type { EvidenceKind, EvidenceRow } from './evidence-row.js';
import { unitsToWeight, unitsToWeightedOutcome, unitsToWeightedSquare } from './fixed-point.js';
import type { EvidenceSource } from './verb-concepts.js';

/**
 * The sums a skill-day bucket holds (docs/analytics-core.md, section 4), as exact integers in the
 * fixed-point units of fixed-point.ts. Every field is a sum, so buckets form a commutative group:
 * arrival order does not matter, retraction is subtraction and merging two people or two shards
 * is addition. BigInt in JS, int64 (Long) in MongoDB.
 */
export interface SkillDaySums {
  /** Number of evidence rows. */
  readonly statements: bigint;
  /** Sum of event counts n. */
  readonly events: bigint;
  /** Sum of w (units of 1 / W_SCALE). */
  readonly w: bigint;
  /** Sum of w * y over rows with an outcome (units of 1 / (W_SCALE * Y_SCALE)). */
  readonly wy: bigint;
  /** Sum of w * y^2 over rows with an outcome (units of 1 / (W_SCALE * Y_SCALE^2)). */
  readonly wy2: bigint;
  /** Sum of w over rows with an outcome (units of 1 / W_SCALE). */
  readonly wout: bigint;
}

/** The fields of {@link SkillDaySums}, in a fixed order. */
export const SUM_FIELDS = ['statements', 'events', 'w', 'wy', 'wy2', 'wout'] as const;

export const ZERO_SUMS: SkillDaySums = Object.freeze({
  statements: 0n,
  events: 0n,
  w: 0n,
  wy: 0n,
  wy2: 0n,
  wout: 0n,
});

/** a + b, field by field. */
export function addSums(a: SkillDaySums, b: SkillDaySums): SkillDaySums {
  return {
    statements: a.statements + b.statements,
    events: a.events + b.events,
    w: a.w + b.w,
    wy: a.wy + b.wy,
    wy2: a.wy2 + b.wy2,
    wout: a.wout + b.wout,
  };
}

/** -a, field by field: adding it retracts a. */
export function negateSums(a: SkillDaySums): SkillDaySums {
  return {
    statements: -a.statements,
    events: -a.events,
    w: -a.w,
    wy: -a.wy,
    wy2: -a.wy2,
    wout: -a.wout,
  };
}

/** True when every field is zero (a bucket whose evidence has all been retracted). */
export function isZeroSums(a: SkillDaySums): boolean {
  return SUM_FIELDS.every((f) => a[f] === 0n);
}

/** The key of a bucket: (store, subject, skill, day, source, kind). */
export interface BucketKey {
  readonly store: string;
  readonly subject: string;
  readonly skill: string;
  readonly day: string;
  readonly source: EvidenceSource;
  readonly kind: EvidenceKind;
}

/** A bucket: its key and its sums. */
export interface Bucket {
  readonly key: BucketKey;
  readonly sums: SkillDaySums;
}

/** Buckets by {@link bucketKeyString}. */
export type Buckets = ReadonlyMap<string, Bucket>;

/** The bucket a row adds to. */
export function bucketKeyOf(row: EvidenceRow): BucketKey {
  const { store, subject, skill, day, source, kind } = row;
  return { store, subject, skill, day, source, kind };
}

/** A bucket key as one string (a JSON array: no separator can be forged by an IRI). */
export function bucketKeyString(key: BucketKey): string {
  return JSON.stringify([key.store, key.subject, key.skill, key.day, key.source, key.kind]);
}

/**
 * What one row adds to its bucket. Every value is an exact integer (w*y^2 <= 1e12 per row, see
 * fixed-point.ts), so the conversion to BigInt loses nothing. Only w, y and n matter: a stored
 * row read back (whose counterpart may be absent) will do.
 */
export function contributionOf(
  row: Pick<EvidenceRow, 'wUnits' | 'yUnits' | 'n'> & Partial<EvidenceRow>,
): SkillDaySums {
  const w = BigInt(row.wUnits);
  const y = row.yUnits === null ? undefined : BigInt(row.yUnits);
  return {
    statements: 1n,
    events: BigInt(row.n),
    w,
    wy: y === undefined ? 0n : w * y,
    wy2: y === undefined ? 0n : w * y * y,
    wout: y === undefined ? 0n : w,
  };
}

/**
 * Adds `sums` to the bucket `key` of `buckets` in place. A bucket that comes back to zero is
 * removed, so that an incremental result compares equal to a rebuild (a store may keep zero
 * documents instead: they read as no evidence).
 */
export function addToBuckets(
  buckets: Map<string, Bucket>,
  key: BucketKey,
  sums: SkillDaySums,
): void {
  const id = bucketKeyString(key);
  const total = addSums(buckets.get(id)?.sums ?? ZERO_SUMS, sums);
  if (isZeroSums(total)) buckets.delete(id);
  else buckets.set(id, { key, sums: total });
}

/** The rebuild: the buckets of a set of evidence rows (one row per evidence key). */
export function rebuildBuckets(rows: Iterable<EvidenceRow>): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const row of rows) addToBuckets(buckets, bucketKeyOf(row), contributionOf(row));
  return buckets;
}

/**
 * Buckets with subjects re-keyed (a merge of two people: `subjectOf` maps both to one key);
 * buckets that fall on one key are added.
 */
export function rekeyBuckets(
  buckets: Buckets,
  subjectOf: (subject: string) => string,
): Map<string, Bucket> {
  const out = new Map<string, Bucket>();
  for (const { key, sums } of buckets.values()) {
    addToBuckets(out, { ...key, subject: subjectOf(key.subject) }, sums);
  }
  return out;
}

/** Bucket sums as floats, for the read-time measures. */
export interface FloatSums {
  readonly statements: number;
  readonly events: number;
  readonly w: number;
  readonly wy: number;
  readonly wy2: number;
  readonly wout: number;
}

/** The float view of exact sums (read time only: floats never go back into a bucket). */
export function toFloatSums(sums: SkillDaySums): FloatSums {
  return {
    statements: Number(sums.statements),
    events: Number(sums.events),
    w: unitsToWeight(sums.w),
    wy: unitsToWeightedOutcome(sums.wy),
    wy2: unitsToWeightedSquare(sums.wy2),
    wout: unitsToWeight(sums.wout),
  };
}
