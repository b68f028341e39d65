import type { EvidenceRow } from './evidence-row.js';
import { bucketKeyOf, contributionOf, SUM_FIELDS } from './skill-day-sums.js';

/*
 * Roll-ups (docs/analytics-core.md, "Roll-ups"): besides the skill-day buckets, sums of evidence
 * rows grouped by other keys, for the reports. Each is a family: which key a row adds to (or none)
 * and what it adds there, every field a sum of per-row integers. Everything that maintains
 * buckets (insertion, retraction, re-derivation, rebuild, verify) goes through
 * {@link familyContribution}, so a roll-up is as exact as the buckets, and a new one is one
 * declaration in {@link ROLLUP_FAMILIES}.
 */

/** The roll-up families, by name (the store names the same ones: @cairn/store `RollupName`). */
export type RollupFamilyName =
  'skillDays' | 'platformDays' | 'activityOutcomes' | 'knowledgeSharing';

/** A roll-up key: its fields by name, `store` first; null is a value of its own (no platform). */
export type RollupKey = Readonly<Record<string, string | null>>;

/** A roll-up's sums, by field, in fixed-point units (bigint: exact whatever their number). */
export type RollupSums = Readonly<Record<string, bigint>>;

/** One family of roll-ups. */
export interface RollupFamily {
  readonly name: RollupFamilyName;
  /** The key's fields, in the order of the key string (`store` first). */
  readonly keyFields: readonly string[];
  /** The sum fields, in a fixed order. */
  readonly sumFields: readonly string[];
  /** The roll-up a row adds to, or null when the row adds nothing to this family. */
  keyOf(row: EvidenceRow): RollupKey | null;
  /** What the row adds there: integers, so that retraction is exact subtraction. */
  contributionOf(row: EvidenceRow): RollupSums;
}

/** A roll-up: its key and its sums. */
export interface Rollup {
  readonly key: RollupKey;
  readonly sums: RollupSums;
}

/** One row's addition to one family's roll-up: the key string, the key, the signed sums. */
export interface RollupContribution {
  readonly id: string;
  readonly key: RollupKey;
  readonly sums: RollupSums;
}

/** Outcome histogram bins: y in [0, 0.1) is bin 0, ..., [0.9, 1.0] is bin 9. */
export const OUTCOME_BINS = 10;

/** The histogram's sum fields: `y0` .. `y9`. */
export const OUTCOME_BIN_FIELDS: readonly string[] = Array.from(
  { length: OUTCOME_BINS },
  (_, i) => `y${i}`,
);

/** The bin of an outcome in units of 1 / Y_SCALE (0..1000): 1.0 falls in the last bin. */
export function outcomeBin(yUnits: number): number {
  return Math.min(OUTCOME_BINS - 1, Math.max(0, Math.floor((yUnits * OUTCOME_BINS) / 1000)));
}

/** The key as one string: a JSON array of its fields' values in order (no separator to forge). */
export function rollupKeyString(family: RollupFamily, key: RollupKey): string {
  return JSON.stringify(family.keyFields.map((f) => key[f] ?? null));
}

const sumsOf = (fields: readonly string[], value: (f: string) => bigint): RollupSums =>
  Object.fromEntries(fields.map((f) => [f, value(f)]));

/** a + b over the family's fields. */
export function addRollupSums(family: RollupFamily, a: RollupSums, b: RollupSums): RollupSums {
  return sumsOf(family.sumFields, (f) => (a[f] ?? 0n) + (b[f] ?? 0n));
}

/** -a: adding it retracts a. */
export function negateRollupSums(family: RollupFamily, a: RollupSums): RollupSums {
  return sumsOf(family.sumFields, (f) => -(a[f] ?? 0n));
}

/** True when every field is zero (all its evidence retracted: it reads as absent). */
export function isZeroRollup(family: RollupFamily, a: RollupSums): boolean {
  return family.sumFields.every((f) => (a[f] ?? 0n) === 0n);
}

/**
 * The one code path of every roll-up: what `row` adds to `family` (sign 1) or what retracting it
 * subtracts (sign -1), or null when the row has no place in the family.
 */
export function familyContribution(
  family: RollupFamily,
  row: EvidenceRow,
  sign: 1 | -1,
): RollupContribution | null {
  const key = family.keyOf(row);
  if (key === null) return null;
  const sums = family.contributionOf(row);
  return {
    id: rollupKeyString(family, key),
    key,
    sums: sign === 1 ? sums : negateRollupSums(family, sums),
  };
}

/** Adds a contribution to `rollups` in place; a roll-up back at zero is removed. */
export function addToRollups(
  rollups: Map<string, Rollup>,
  family: RollupFamily,
  c: RollupContribution,
): void {
  const seen = rollups.get(c.id);
  const sums = seen === undefined ? c.sums : addRollupSums(family, seen.sums, c.sums);
  if (isZeroRollup(family, sums)) rollups.delete(c.id);
  else rollups.set(c.id, { key: c.key, sums });
}

/** The rebuild of one family: its roll-ups from a set of evidence rows (one per evidence key). */
export function rebuildRollups(
  family: RollupFamily,
  rows: Iterable<EvidenceRow>,
): Map<string, Rollup> {
  const rollups = new Map<string, Rollup>();
  for (const row of rows) {
    const c = familyContribution(family, row, 1);
    if (c !== null) addToRollups(rollups, family, c);
  }
  return rollups;
}

/** The skill-day buckets as a family: the same key and sums as skill-day-sums.ts. */
export const SKILL_DAY_FAMILY: RollupFamily = {
  name: 'skillDays',
  keyFields: ['store', 'subject', 'skill', 'day', 'source', 'kind'],
  sumFields: SUM_FIELDS,
  keyOf: (row) => ({ ...bucketKeyOf(row) }),
  contributionOf: (row) => ({ ...contributionOf(row) }),
};

/**
 * Practice volume by platform and verb concept: the bucket key with the platform (null is its own
 * value: statements without `context.platform`) and the concept, and the bucket's sums.
 */
export const PLATFORM_DAY_FAMILY: RollupFamily = {
  name: 'platformDays',
  keyFields: ['store', 'subject', 'skill', 'day', 'source', 'kind', 'platform', 'concept'],
  sumFields: SUM_FIELDS,
  keyOf: (row) => ({ ...bucketKeyOf(row), platform: row.platform, concept: row.concept }),
  contributionOf: (row) => ({ ...contributionOf(row) }),
};

/**
 * Outcomes per activity, over rows that carry an outcome y: rows, w (which is wout here), wy,
 * wy2 and a histogram of y in ten bins (`y0`..`y9`, rows per bin). Completion and pass rates,
 * score distributions, and an activity's difficulty fitted from the population's outcomes.
 */
export const ACTIVITY_OUTCOME_FAMILY: RollupFamily = {
  name: 'activityOutcomes',
  keyFields: ['store', 'subject', 'skill', 'activityId', 'day', 'concept'],
  sumFields: ['statements', 'w', 'wy', 'wy2', ...OUTCOME_BIN_FIELDS],
  keyOf: (row) =>
    row.yUnits === null
      ? null
      : {
          store: row.store,
          subject: row.subject,
          skill: row.skill,
          activityId: row.activityId,
          day: row.day,
          concept: row.concept,
        },
  contributionOf: (row) => {
    const { statements, w, wy, wy2 } = contributionOf(row);
    const bin = row.yUnits === null ? -1 : outcomeBin(row.yUnits);
    return {
      statements,
      w,
      wy,
      wy2,
      ...sumsOf(OUTCOME_BIN_FIELDS, (f) => (f === `y${bin}` ? 1n : 0n)),
    };
  },
};

/**
 * Who helps whom: rows with a counterpart, keyed (helper, helped). The helper is the row's
 * subject (the author whose content was liked, voted up or accepted, or the person who answered);
 * the helped is the counterpart (who liked it, or whose question was answered). A recognition
 * with y = 0 (a down-vote) says the content did not help, so it has no place here.
 */
export const KNOWLEDGE_SHARING_FAMILY: RollupFamily = {
  name: 'knowledgeSharing',
  keyFields: ['store', 'helper', 'helped', 'skill', 'day', 'concept'],
  sumFields: ['statements', 'events', 'w'],
  keyOf: (row) =>
    row.counterpart === null || row.yUnits === 0
      ? null
      : {
          store: row.store,
          helper: row.subject,
          helped: row.counterpart,
          skill: row.skill,
          day: row.day,
          concept: row.concept,
        },
  contributionOf: (row) => {
    const { statements, events, w } = contributionOf(row);
    return { statements, events, w };
  },
};

/** Every family the pipeline maintains, the skill-day buckets first. */
export const ROLLUP_FAMILIES: readonly RollupFamily[] = [
  SKILL_DAY_FAMILY,
  PLATFORM_DAY_FAMILY,
  ACTIVITY_OUTCOME_FAMILY,
  KNOWLEDGE_SHARING_FAMILY,
];
