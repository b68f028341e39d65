import type { Db, UpdateFilter } from 'mongodb';
import { isDuplicateKey } from './duplicate-keys.js';
import { COLLECTIONS } from './collections.js';
import type { EvidenceRecordKind, EvidenceRecordSource } from './evidence.js';
import { StoreErrors } from './errors.js';
import { chunked } from './upsert-all.js';

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
   * evidence row) can retry without adding twice. Writes to one bucket must be serialised
   * (FerretDB loses concurrent updates of one document).
   */
  addOnce(key: SkillDayKey, totals: SkillDayTotals, opId: string): Promise<boolean>;
  /** Forgets `opId` once the caller has durably recorded that the addition is done. */
  settle(key: SkillDayKey, opId: string): Promise<void>;
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
  /** Additions applied but not yet settled (absent when none: `$setOnInsert: []` is dropped). */
  ops?: string[];
}

const LIST_BATCH = 1000;

function docId(storeId: string, k: SkillDayKey): string {
  return JSON.stringify([storeId, k.subject, k.skill, k.day, k.source, k.kind]);
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

export function mongoSkillDayRepository(db: Db, storeId: string): SkillDayRepository {
  // useBigInt64: int64 sums come back as bigint whatever their size (by default the driver turns
  // small ones into numbers). Only this collection is read this way.
  const col = db.collection<SkillDayDoc>(COLLECTIONS.skillDays, { useBigInt64: true });

  const addOnceAttempt = async (
    _id: string,
    key: SkillDayKey,
    totals: SkillDayTotals,
    opId: string,
  ): Promise<boolean> => {
    const update: UpdateFilter<SkillDayDoc> = {
      $inc: { ...totals },
      $push: { ops: opId },
      $setOnInsert: { storeId, ...key },
    };
    try {
      const res = await col.updateOne({ _id, ops: { $ne: opId } }, update, { upsert: true });
      return res.modifiedCount === 1 || res.upsertedCount === 1;
    } catch (error) {
      // The bucket exists and already holds opId, so the filter missed and the upsert clashed
      // with it; or, rarely, another writer created it first (ferretdb.md rule 10): re-read.
      if (isDuplicateKey(error)) return false;
      throw StoreErrors.wrap(error);
    }
  };

  return {
    async addOnce(key, totals, opId) {
      const _id = docId(storeId, key);
      if (await addOnceAttempt(_id, key, totals, opId)) return true;
      const seen = await col.findOne({ _id }, { projection: { ops: 1 } });
      if (seen?.ops?.includes(opId) === true) return false;
      return addOnceAttempt(_id, key, totals, opId);
    },

    async settle(key, opId) {
      await col.updateOne({ _id: docId(storeId, key) }, { $pull: { ops: opId } });
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

    async replaceAll(days) {
      const docs = days.map((d) => ({ _id: docId(storeId, d.key), ...d.key, ...d.totals }));
      // Replacements drop `ops`: the rebuilt sums already hold every counted row. In chunks:
      // FerretDB hangs on a command replacing more than 100 documents (upsert-all.ts).
      for (const chunk of chunked(docs)) {
        await col.bulkWrite(
          chunk.map(({ _id, ...fields }) => ({
            replaceOne: { filter: { _id }, replacement: { storeId, ...fields }, upsert: true },
          })),
          { ordered: false },
        );
      }
      const ids = docs.map((d) => d._id);
      await col.deleteMany({ storeId, _id: { $nin: ids } });
    },
  };
}
