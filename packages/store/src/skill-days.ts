import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import type { EvidenceRecordKind, EvidenceRecordSource } from './evidence.js';
import {
  mongoRollupRepository,
  ROLLUP_SPECS,
  type RollupAddition,
  type RollupRecord,
} from './rollups.js';

/** A bucket's key within its store: (subject, skill, day, source, kind). */
export interface SkillDayKey {
  readonly subject: string;
  readonly skill: string;
  readonly day: string;
  readonly source: EvidenceRecordSource;
  readonly kind: EvidenceRecordKind;
}

/**
 * A bucket's sums in the fixed-point units of @cairn/analytics (mirrors its SkillDaySums). int64
 * in the database, bigint here: the driver writes a bigint as int64 and reads it back as one with
 * `useBigInt64`, and `$inc` with int64 stays exact (test/integration/int64-sums.test.ts).
 */
export interface SkillDayTotals {
  readonly statements: bigint;
  readonly events: bigint;
  readonly w: bigint;
  readonly wy: bigint;
  readonly wy2: bigint;
  readonly wout: bigint;
}

/** Several additions to one bucket at once: their summed totals and each one's op id. */
export interface BucketAddition {
  readonly key: SkillDayKey;
  readonly totals: SkillDayTotals;
  readonly opIds: readonly string[];
}

export interface SkillDay {
  readonly key: SkillDayKey;
  readonly totals: SkillDayTotals;
}

/** The sum fields, in a fixed order. */
export const TOTAL_FIELDS = ['statements', 'events', 'w', 'wy', 'wy2', 'wout'] as const;

/** Port: the skill-day buckets of one store. Every method is scoped by its store id. */
export interface SkillDayRepository {
  /**
   * Adds `totals` (negative to retract) to the bucket `key` unless an addition named `opId` is
   * already recorded on it; returns true when this call added. The bucket keeps `opId` until
   * {@link settle}, so a worker that crashes between adding and recording that it added (on the
   * evidence row) can retry without adding twice. Writes to one bucket must be serialised (one
   * person's jobs run one at a time): the bucket is read, then updated by key. A sum that would
   * leave the int64 range is refused (STORE_ERR_OVERFLOW) and nothing is written.
   */
  addOnce(key: SkillDayKey, totals: SkillDayTotals, opId: string): Promise<boolean>;
  /** Forgets `opId` once the caller has durably recorded that the addition is done. */
  settle(key: SkillDayKey, opId: string): Promise<void>;
  /**
   * The batched form of {@link addOnce}, in two round trips whatever the number of buckets (a
   * read of them by key, one bulk write): adds each addition whole to its bucket when none of its
   * op ids is recorded there yet. Returns the additions it did not apply (a bucket already held
   * one of the op ids: a retry after a crash), as the very objects it was given; the caller
   * applies those op by op with `addOnce`, which skips the ones that did land. One addition per
   * bucket, serialised as `addOnce` is; an overflow refuses the whole call before any write.
   */
  addEachOnce(additions: readonly BucketAddition[]): Promise<BucketAddition[]>;
  /** {@link settle} for many op ids of many buckets, in one round trip. */
  settleAll(entries: readonly { key: SkillDayKey; opIds: readonly string[] }[]): Promise<void>;
  /** Every bucket of the store, zero ones included, in key order. */
  list(): Promise<SkillDay[]>;
  /**
   * Makes the store's buckets exactly `days` (a rebuild): sets each one, forgets pending
   * additions, deletes the others. Only while no job of the store runs.
   */
  replaceAll(days: readonly SkillDay[]): Promise<void>;
  /**
   * The buckets of these subjects, optionally of one skill and within days `from`..`to`
   * (inclusive, YYYY-MM-DD): what a person-level read sums (docs/identity.md).
   */
  ofSubjects(
    subjects: readonly string[],
    range?: { readonly from?: string; readonly to?: string; readonly skill?: string },
  ): Promise<SkillDay[]>;
  /**
   * Every bucket of these skills within days `from`..`to` (inclusive, YYYY-MM-DD), whoever its
   * subject: what a cohort report sums. Streamed from a cursor, so a large store's buckets never
   * sit in memory at once.
   */
  ofSkills(
    skills: readonly string[],
    range?: { readonly from?: string; readonly to?: string },
  ): AsyncIterable<SkillDay>;
}

interface SkillDayDoc extends SkillDayKey {
  /** The bucket key as a JSON array: the natural key is `_id`, the only unique index. */
  _id: string;
  storeId: string;
  statements?: bigint;
  events?: bigint;
  w?: bigint;
  wy?: bigint;
  wy2?: bigint;
  wout?: bigint;
  /** Additions applied but not yet settled (absent when none). */
  ops?: string[];
}

function keyOf(d: SkillDayDoc): SkillDayKey {
  return { subject: d.subject, skill: d.skill, day: d.day, source: d.source, kind: d.kind };
}

function totalsOf(d: SkillDayDoc): SkillDayTotals {
  return {
    statements: d.statements ?? 0n,
    events: d.events ?? 0n,
    w: d.w ?? 0n,
    wy: d.wy ?? 0n,
    wy2: d.wy2 ?? 0n,
    wout: d.wout ?? 0n,
  };
}

const SOURCES: readonly EvidenceRecordSource[] = ['formal', 'social'];
const KINDS: readonly EvidenceRecordKind[] = [
  'outcome',
  'practice',
  'recognition',
  'exposure',
  'assertion',
];

/** A bucket read through the generic roll-up repository, typed back (unknown kinds left out). */
function skillDayOf(r: RollupRecord): SkillDay[] {
  const source = SOURCES.find((x) => x === r.key['source']);
  const kind = KINDS.find((x) => x === r.key['kind']);
  if (source === undefined || kind === undefined) return [];
  const str = (f: string): string => r.key[f] ?? '';
  const sum = (f: (typeof TOTAL_FIELDS)[number]): bigint => r.totals[f] ?? 0n;
  return [
    {
      key: { subject: str('subject'), skill: str('skill'), day: str('day'), source, kind },
      totals: {
        statements: sum('statements'),
        events: sum('events'),
        w: sum('w'),
        wy: sum('wy'),
        wy2: sum('wy2'),
        wout: sum('wout'),
      },
    },
  ];
}

/**
 * The buckets are the roll-up family `skillDays` (rollups.ts): every write goes through the one
 * implementation the pipeline uses for all families; this port keeps the buckets' typed view and
 * their own read for person-level reports.
 */
export function mongoSkillDayRepository(db: Db, storeId: string): SkillDayRepository {
  const col = db.collection<SkillDayDoc>(COLLECTIONS.skillDays, { useBigInt64: true });
  const rollups = mongoRollupRepository(db, storeId, ROLLUP_SPECS.skillDays);

  return {
    addOnce: (key, totals, opId) => rollups.addOnce({ ...key }, { ...totals }, opId),

    settle: (key, opId) => rollups.settle({ ...key }, opId),

    async addEachOnce(additions) {
      // The generic additions, each mapped back to the very object given.
      const given = new Map<RollupAddition, BucketAddition>();
      for (const a of additions)
        given.set({ key: { ...a.key }, totals: { ...a.totals }, opIds: a.opIds }, a);
      const unsure = await rollups.addEachOnce([...given.keys()]);
      return unsure.flatMap((u) => given.get(u) ?? []);
    },

    settleAll: (entries) =>
      rollups.settleAll(entries.map((e) => ({ key: { ...e.key }, opIds: e.opIds }))),

    list: async () => (await rollups.list()).flatMap(skillDayOf),

    replaceAll: (days) =>
      rollups.replaceAll(days.map((d) => ({ key: { ...d.key }, totals: { ...d.totals } }))),

    async ofSubjects(subjects, range = {}) {
      if (subjects.length === 0) return [];
      const day = {
        ...(range.from === undefined ? {} : { $gte: range.from }),
        ...(range.to === undefined ? {} : { $lte: range.to }),
      };
      // Served by store_subject_skill_day.
      const docs = await col
        .find({
          storeId,
          subject: { $in: [...subjects] },
          ...(range.skill === undefined ? {} : { skill: range.skill }),
          ...(Object.keys(day).length === 0 ? {} : { day }),
        })
        .toArray();
      return docs.map((d) => ({ key: keyOf(d), totals: totalsOf(d) }));
    },

    async *ofSkills(skills, range = {}) {
      if (skills.length === 0) return;
      const day = {
        ...(range.from === undefined ? {} : { $gte: range.from }),
        ...(range.to === undefined ? {} : { $lte: range.to }),
      };
      // Served by store_skill_day.
      const cursor = col.find({
        storeId,
        skill: { $in: [...new Set(skills)] },
        ...(Object.keys(day).length === 0 ? {} : { day }),
      });
      for await (const d of cursor) yield { key: keyOf(d), totals: totalsOf(d) };
    },
  };
}
