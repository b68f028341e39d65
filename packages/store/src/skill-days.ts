import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import type { EvidenceRecordKind, EvidenceRecordSource } from './evidence.js';
import { StoreErrors } from './errors.js';

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
   * Deletes the buckets of these subjects whose sums are all zero and that hold no unsettled
   * addition (an erasure, once the pipeline has retracted every row of the erased person): no
   * sum changes, only keys naming the person go. A bucket that is not zero when deleted (a
   * statement of the same identifiers counted meanwhile) is kept. Returns how many it deleted.
   */
  deleteZero(subjects: readonly string[]): Promise<number>;
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

const LIST_BATCH = 1000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `stored` + `delta`, field by field; throws STORE_ERR_OVERFLOW for a sum outside int64. */
function checkedSum(bucketId: string, stored: SkillDayTotals, delta: SkillDayTotals): void {
  for (const field of TOTAL_FIELDS) {
    const sum = stored[field] + delta[field];
    if (sum < INT64_MIN || sum > INT64_MAX)
      throw new StoreErrors.overflow(`${field} of bucket ${bucketId}`);
  }
}

function docId(storeId: string, k: SkillDayKey): string {
  return JSON.stringify([storeId, k.subject, k.skill, k.day, k.source, k.kind]);
}

function keyOf(d: SkillDayDoc): SkillDayKey {
  return { subject: d.subject, skill: d.skill, day: d.day, source: d.source, kind: d.kind };
}

const ZERO: SkillDayTotals = { statements: 0n, events: 0n, w: 0n, wy: 0n, wy2: 0n, wout: 0n };

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

export function mongoSkillDayRepository(db: Db, storeId: string): SkillDayRepository {
  // useBigInt64: int64 sums come back as bigint whatever their size (by default the driver turns
  // small ones into numbers). Only this collection is read this way.
  const col = db.collection<SkillDayDoc>(COLLECTIONS.skillDays, { useBigInt64: true });

  /** The buckets `ids`, as stored, by id (absent: not created yet). */
  const read = async (ids: readonly string[]): Promise<Map<string, SkillDayDoc>> => {
    const docs = await col.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return new Map(docs.map((d) => [d._id, d]));
  };

  /**
   * The write that applies an addition to a bucket just read as `stored` (null: absent), by
   * `_id` alone: exact because one writer at a time writes a bucket.
   */
  const additionOp = (
    a: BucketAddition,
    stored: SkillDayDoc | null,
  ): AnyBulkWriteOperation<SkillDayDoc> => {
    const _id = docId(storeId, a.key);
    checkedSum(_id, stored === null ? ZERO : totalsOf(stored), a.totals);
    return {
      updateOne: {
        filter: { _id },
        update: {
          $inc: { ...a.totals },
          $push: { ops: { $each: [...a.opIds] } },
          $setOnInsert: { storeId, ...a.key },
        },
        upsert: true,
      },
    };
  };

  return {
    async addOnce(key, totals, opId) {
      const _id = docId(storeId, key);
      const stored = (await read([_id])).get(_id) ?? null;
      if (stored?.ops?.includes(opId) === true) return false;
      const op = additionOp({ key, totals, opIds: [opId] }, stored);
      await col.bulkWrite([op]).catch((error: unknown) => {
        throw StoreErrors.wrap(error);
      });
      return true;
    },

    async settle(key, opId) {
      await col.updateOne({ _id: docId(storeId, key) }, { $pull: { ops: opId } });
    },

    async addEachOnce(additions) {
      if (additions.length === 0) return [];
      const stored = await read(additions.map((a) => docId(storeId, a.key)));
      const unsure: BucketAddition[] = [];
      const ops: AnyBulkWriteOperation<SkillDayDoc>[] = [];
      for (const a of additions) {
        const bucket = stored.get(docId(storeId, a.key)) ?? null;
        if (a.opIds.some((id) => bucket?.ops?.includes(id) === true)) unsure.push(a);
        else ops.push(additionOp(a, bucket));
      }
      if (ops.length > 0)
        await col.bulkWrite(ops, { ordered: false }).catch((error: unknown) => {
          throw StoreErrors.wrap(error);
        });
      return unsure;
    },

    async settleAll(entries) {
      if (entries.length === 0) return;
      await col.bulkWrite(
        entries.map((e) => ({
          updateOne: {
            filter: { _id: docId(storeId, e.key) },
            update: { $pullAll: { ops: [...e.opIds] } },
          },
        })),
        { ordered: false },
      );
    },

    async list() {
      // Served by store_id (indexes.ts); paged on _id so that any number of buckets fits.
      const days: SkillDay[] = [];
      let after: string | null = null;
      for (;;) {
        const batch: SkillDayDoc[] = await col
          .find({ storeId, ...(after === null ? {} : { _id: { $gt: after } }) })
          .sort({ _id: 1 })
          .limit(LIST_BATCH)
          .toArray();
        for (const d of batch) days.push({ key: keyOf(d), totals: totalsOf(d) });
        const last = batch[batch.length - 1];
        if (batch.length < LIST_BATCH || last === undefined) return days;
        after = last._id;
      }
    },

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

    async deleteZero(subjects) {
      if (subjects.length === 0) return 0;
      // Served by store_subject_skill_day.
      const docs = await col.find({ storeId, subject: { $in: [...subjects] } }).toArray();
      const zero = docs.filter(
        (d) => TOTAL_FIELDS.every((f) => (d[f] ?? 0n) === 0n) && (d.ops ?? []).length === 0,
      );
      if (zero.length === 0) return 0;
      // The sums are checked again in the delete itself: a bucket written since the read stays.
      const res = await col.deleteMany({
        _id: { $in: zero.map((d) => d._id) },
        ...Object.fromEntries(TOTAL_FIELDS.map((f) => [f, 0n])),
      });
      return res.deletedCount;
    },

    async replaceAll(days) {
      const docs = days.map((d) => ({ _id: docId(storeId, d.key), ...d.key, ...d.totals }));
      // Replacements drop `ops`: the rebuilt sums already hold every counted row.
      if (docs.length > 0)
        await col.bulkWrite(
          docs.map(({ _id, ...fields }) => ({
            replaceOne: { filter: { _id }, replacement: { storeId, ...fields }, upsert: true },
          })),
          { ordered: false },
        );
      const ids = docs.map((d) => d._id);
      await col.deleteMany({ storeId, _id: { $nin: ids } });
    },
  };
}
