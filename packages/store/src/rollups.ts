import type { AnyBulkWriteOperation, Db, Document } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { StoreErrors } from './errors.js';

/*
 * Roll-ups: sums of evidence rows under some key, kept exactly as the skill-day buckets are
 * (docs/pipeline.md, "Roll-ups"). One implementation for every family: a family is a collection,
 * its key fields and its sum fields. The key, as a JSON array [store, ...key fields], is `_id`;
 * the fields are also stored by name, for the reads; sums are int64 (bigint here).
 */

/** The roll-up families (@cairn/analytics `RollupFamilyName` names the same ones). */
export type RollupName = 'skillDays' | 'platformDays' | 'activityOutcomes' | 'knowledgeSharing';

/** A roll-up's key within its store, by field; null is a value (no platform). */
export type RollupKeyRecord = Readonly<Record<string, string | null>>;

/** A roll-up's sums by field, in the fixed-point units of @cairn/analytics. */
export type RollupTotals = Readonly<Record<string, bigint>>;

export interface RollupRecord {
  readonly key: RollupKeyRecord;
  readonly totals: RollupTotals;
}

/** Several additions to one roll-up at once: their summed totals and each one's op id. */
export interface RollupAddition {
  readonly key: RollupKeyRecord;
  readonly totals: RollupTotals;
  readonly opIds: readonly string[];
}

/**
 * One way to read a family: when the query lists values of `field` (and of no field of an
 * earlier path), it is read through `index`; `field` null reads the store, by day.
 */
export interface RollupReadPath {
  readonly name: string;
  readonly field: string | null;
  readonly index: string;
  /** The index's key (indexes.ts declares it from here). */
  readonly indexKey: Readonly<Record<string, 1>>;
}

/** What a family is to the store. */
export interface RollupSpec {
  readonly name: RollupName;
  readonly collection: (typeof COLLECTIONS)[keyof typeof COLLECTIONS];
  /** The key's fields after the store, in `_id` order. */
  readonly keyFields: readonly string[];
  readonly sumFields: readonly string[];
  /** The read paths, in order of preference (the last one has field null). */
  readonly reads: readonly RollupReadPath[];
  /** Fields a read may also filter on (`$in`), checked on the documents read. */
  readonly extraFilters: readonly string[];
  /**
   * The key fields that hold a person's identifier key, each with the index that finds a
   * person's roll-ups by it: what an erasure deletes by ({@link RollupRepository.deleteZeroOf}).
   */
  readonly personFields: readonly PersonField[];
}

/** A key field naming a person, and the index (indexes.ts) whose first field after the store it is. */
export interface PersonField {
  readonly field: string;
  readonly index: string;
}

const BUCKET_SUMS = ['statements', 'events', 'w', 'wy', 'wy2', 'wout'] as const;
/** The outcome histogram's fields: rows with y in [0, 0.1) ... [0.9, 1.0]. */
export const OUTCOME_BIN_FIELDS: readonly string[] = Array.from({ length: 10 }, (_, i) => `y${i}`);

const BY_SUBJECTS: RollupReadPath = {
  name: 'bySubjects',
  field: 'subject',
  index: 'store_subject_skill_day',
  indexKey: { storeId: 1, subject: 1, skill: 1, day: 1 },
};
const BY_SKILLS: RollupReadPath = {
  name: 'bySkills',
  field: 'skill',
  index: 'store_skill_day',
  indexKey: { storeId: 1, skill: 1, day: 1 },
};
const BY_DAYS: RollupReadPath = {
  name: 'byDays',
  field: null,
  index: 'store_day',
  indexKey: { storeId: 1, day: 1 },
};

/** Every family the store keeps. The index declarations (indexes.ts) follow from `reads`. */
export const ROLLUP_SPECS: Readonly<Record<RollupName, RollupSpec>> = {
  skillDays: {
    name: 'skillDays',
    collection: COLLECTIONS.skillDays,
    keyFields: ['subject', 'skill', 'day', 'source', 'kind'],
    sumFields: BUCKET_SUMS,
    // Read by skill-days.ts `ofSubjects`, whose shape and index are older than the families.
    reads: [],
    extraFilters: [],
    personFields: [{ field: 'subject', index: 'store_subject_skill_day' }],
  },
  platformDays: {
    name: 'platformDays',
    collection: COLLECTIONS.platformDays,
    keyFields: ['subject', 'skill', 'day', 'source', 'kind', 'platform', 'concept'],
    sumFields: BUCKET_SUMS,
    reads: [BY_SUBJECTS, BY_SKILLS, BY_DAYS],
    extraFilters: ['platform', 'concept'],
    personFields: [{ field: 'subject', index: BY_SUBJECTS.index }],
  },
  activityOutcomes: {
    name: 'activityOutcomes',
    collection: COLLECTIONS.activityOutcomes,
    keyFields: ['subject', 'skill', 'activityId', 'day', 'concept'],
    sumFields: ['statements', 'w', 'wy', 'wy2', ...OUTCOME_BIN_FIELDS],
    reads: [
      {
        name: 'byActivities',
        field: 'activityId',
        index: 'store_activity_day',
        indexKey: { storeId: 1, activityId: 1, day: 1 },
      },
      BY_SUBJECTS,
      BY_SKILLS,
      BY_DAYS,
    ],
    extraFilters: ['concept'],
    personFields: [{ field: 'subject', index: BY_SUBJECTS.index }],
  },
  knowledgeSharing: {
    name: 'knowledgeSharing',
    collection: COLLECTIONS.knowledgeSharing,
    keyFields: ['helper', 'helped', 'skill', 'day', 'concept'],
    sumFields: ['statements', 'events', 'w'],
    reads: [
      {
        name: 'byHelpers',
        field: 'helper',
        index: 'store_helper_skill_day',
        indexKey: { storeId: 1, helper: 1, skill: 1, day: 1 },
      },
      {
        name: 'byHelped',
        field: 'helped',
        index: 'store_helped_skill_day',
        indexKey: { storeId: 1, helped: 1, skill: 1, day: 1 },
      },
      BY_SKILLS,
      BY_DAYS,
    ],
    extraFilters: ['concept'],
    // The helper is a row's subject; the helped, its counterpart: both name people.
    personFields: [
      { field: 'helper', index: 'store_helper_skill_day' },
      { field: 'helped', index: 'store_helped_skill_day' },
    ],
  },
};

/** The filterable fields of a read path: its own, those of later paths, and the extra ones. */
export function readPathFields(spec: RollupSpec, path: RollupReadPath): readonly string[] {
  const later = spec.reads.slice(spec.reads.indexOf(path) + 1).flatMap((p) => p.field ?? []);
  return [...later, ...spec.extraFilters];
}

/**
 * A read: values per field (`$in`; a list given empty matches nothing), and days `from`..`to`
 * inclusive (YYYY-MM-DD).
 */
export interface RollupQuery {
  readonly in?: Readonly<Record<string, readonly (string | null)[] | undefined>>;
  readonly from?: string;
  readonly to?: string;
}

/** Port: one family's roll-ups of one store. Every method is scoped by its store id. */
export interface RollupRepository {
  /**
   * Adds `totals` (negative to retract) to the roll-up `key` unless an addition named `opId` is
   * recorded on it already; true when this call added. The roll-up keeps `opId` until
   * {@link settle}. Writes to one roll-up must be serialised (one person's jobs at a time). A sum
   * that would leave int64 is refused (STORE_ERR_OVERFLOW) and nothing is written.
   */
  addOnce(key: RollupKeyRecord, totals: RollupTotals, opId: string): Promise<boolean>;
  /** Forgets `opId` once the caller has durably recorded that the addition is done. */
  settle(key: RollupKeyRecord, opId: string): Promise<void>;
  /**
   * {@link addOnce} in bulk (a read by key, one bulk write): applies each addition whose roll-up
   * holds none of its op ids yet; returns the others, as the very objects given, for the caller
   * to apply op by op. One addition per roll-up; an overflow refuses the whole call.
   */
  addEachOnce(additions: readonly RollupAddition[]): Promise<RollupAddition[]>;
  /** {@link settle} for many op ids of many roll-ups, in one round trip. */
  settleAll(entries: readonly { key: RollupKeyRecord; opIds: readonly string[] }[]): Promise<void>;
  /** Every roll-up of the store, zero ones included, in key order. */
  list(): Promise<RollupRecord[]>;
  /** Makes the store's roll-ups exactly `records` (a rebuild), with no job of the store running. */
  replaceAll(records: readonly RollupRecord[]): Promise<void>;
  /**
   * The roll-ups a query selects, through the first read path whose field it lists; zero ones
   * (all their evidence retracted) are left out.
   */
  query(query: RollupQuery): Promise<RollupRecord[]>;
  /**
   * Deletes the roll-ups whose key names one of `people` (identifier keys) in a person field
   * ({@link RollupSpec.personFields}) and whose sums are all zero with no unsettled addition: an
   * erasure, once every row of the erased person has been retracted and every row naming them
   * re-keyed. No sum changes, only keys naming the person go; a roll-up that is not zero when
   * deleted (a statement of the same identifiers counted meanwhile) is kept. Returns how many it
   * deleted. Idempotent.
   */
  deleteZeroOf(people: readonly string[]): Promise<number>;
}

/**
 * A roll-up document as read: `_id`, the key fields, the sums (bigint), pending op ids. Its
 * fields depend on the family, so the collection is untyped and documents are read through this.
 */
interface RollupDoc {
  readonly _id: string;
  readonly ops: readonly string[];
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The collection's schema: its fields depend on the family; `_id` is the key string. */
interface RollupSchema extends Document {
  _id: string;
  ops?: string[];
}

function rollupDocOf(d: Document): RollupDoc {
  const ops: unknown = d['ops'];
  return {
    _id: String(d['_id']),
    ops: Array.isArray(ops) ? ops.filter((o): o is string => typeof o === 'string') : [],
    fields: d,
  };
}

const LIST_BATCH = 1000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export function mongoRollupRepository(db: Db, storeId: string, spec: RollupSpec): RollupRepository {
  // useBigInt64: int64 sums come back as bigint whatever their size.
  const col = db.collection<RollupSchema>(spec.collection, { useBigInt64: true });
  const docId = (key: RollupKeyRecord): string =>
    JSON.stringify([storeId, ...spec.keyFields.map((f) => key[f] ?? null)]);
  const keyOf = (d: RollupDoc): RollupKeyRecord =>
    Object.fromEntries(
      spec.keyFields.map((f) => {
        const v = d.fields[f];
        return [f, typeof v === 'string' ? v : null];
      }),
    );
  const totalsOf = (d: RollupDoc | null): RollupTotals =>
    Object.fromEntries(
      spec.sumFields.map((f) => {
        const v = d?.fields[f];
        return [f, typeof v === 'bigint' ? v : 0n];
      }),
    );
  const recordOf = (d: RollupDoc): RollupRecord => ({ key: keyOf(d), totals: totalsOf(d) });
  const keyFieldsOf = (key: RollupKeyRecord): Record<string, string | null> =>
    Object.fromEntries(spec.keyFields.map((f) => [f, key[f] ?? null]));
  const sumFieldsOf = (totals: RollupTotals): Record<string, bigint> =>
    Object.fromEntries(spec.sumFields.map((f) => [f, totals[f] ?? 0n]));

  const read = async (ids: readonly string[]): Promise<Map<string, RollupDoc>> => {
    const docs = await col.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return new Map(docs.map(rollupDocOf).map((d) => [d._id, d]));
  };

  /** The write of an addition to a roll-up just read as `stored`, by `_id` alone. */
  const additionOp = (
    a: RollupAddition,
    stored: RollupDoc | null,
  ): AnyBulkWriteOperation<RollupSchema> => {
    const _id = docId(a.key);
    const before = totalsOf(stored);
    for (const f of spec.sumFields) {
      const sum = (before[f] ?? 0n) + (a.totals[f] ?? 0n);
      if (sum < INT64_MIN || sum > INT64_MAX)
        throw new StoreErrors.overflow(`${f} of ${spec.name} ${_id}`);
    }
    // A Document: the driver's update types cannot express fields known only at run time.
    const update: Document = {
      $inc: sumFieldsOf(a.totals),
      $push: { ops: { $each: [...a.opIds] } },
      $setOnInsert: { storeId, ...keyFieldsOf(a.key) },
    };
    return { updateOne: { filter: { _id }, update, upsert: true } };
  };

  const write = async (ops: AnyBulkWriteOperation<RollupSchema>[]): Promise<void> => {
    if (ops.length === 0) return;
    await col.bulkWrite(ops, { ordered: false }).catch((error: unknown) => {
      throw StoreErrors.wrap(error);
    });
  };

  return {
    async addOnce(key, totals, opId) {
      const _id = docId(key);
      const stored = (await read([_id])).get(_id) ?? null;
      if (stored?.ops.includes(opId) === true) return false;
      await write([additionOp({ key, totals, opIds: [opId] }, stored)]);
      return true;
    },

    async settle(key, opId) {
      const update: Document = { $pull: { ops: opId } };
      await col.updateOne({ _id: docId(key) }, update);
    },

    async addEachOnce(additions) {
      if (additions.length === 0) return [];
      const stored = await read(additions.map((a) => docId(a.key)));
      const unsure: RollupAddition[] = [];
      const ops: AnyBulkWriteOperation<RollupSchema>[] = [];
      for (const a of additions) {
        const doc = stored.get(docId(a.key)) ?? null;
        if (a.opIds.some((id) => doc?.ops.includes(id) === true)) unsure.push(a);
        else ops.push(additionOp(a, doc));
      }
      await write(ops);
      return unsure;
    },

    async settleAll(entries) {
      if (entries.length === 0) return;
      await col.bulkWrite(
        entries.map((e) => {
          const update: Document = { $pullAll: { ops: [...e.opIds] } };
          return { updateOne: { filter: { _id: docId(e.key) }, update } };
        }),
        { ordered: false },
      );
    },

    async list() {
      // Served by store_id (indexes.ts); paged on _id so that any number fits.
      const out: RollupRecord[] = [];
      let after: string | null = null;
      for (;;) {
        const batch: RollupDoc[] = (
          await col
            .find({ storeId, ...(after === null ? {} : { _id: { $gt: after } }) })
            .sort({ _id: 1 })
            .limit(LIST_BATCH)
            .toArray()
        ).map(rollupDocOf);
        out.push(...batch.map(recordOf));
        const last = batch[batch.length - 1];
        if (batch.length < LIST_BATCH || last === undefined) return out;
        after = last._id;
      }
    },

    async replaceAll(records) {
      const docs = records.map((r) => ({
        _id: docId(r.key),
        fields: { storeId, ...keyFieldsOf(r.key), ...sumFieldsOf(r.totals) },
      }));
      // Replacements drop `ops`: the rebuilt sums already hold every counted row.
      if (docs.length > 0)
        await col.bulkWrite(
          docs.map(({ _id, fields }) => ({
            replaceOne: { filter: { _id }, replacement: fields, upsert: true },
          })),
          { ordered: false },
        );
      await col.deleteMany({ storeId, _id: { $nin: docs.map((d) => d._id) } });
    },

    async query(q) {
      const lists = q.in ?? {};
      const listed = (f: string): boolean => lists[f] !== undefined;
      if (Object.values(lists).some((values) => values !== undefined && values.length === 0))
        return [];
      const path = spec.reads.find((p) => p.field === null || listed(p.field));
      if (path === undefined) return [];
      const allowed = new Set([
        ...(path.field === null ? [] : [path.field]),
        ...readPathFields(spec, path),
      ]);
      const unknown = Object.keys(lists).find((f) => listed(f) && !allowed.has(f));
      if (unknown !== undefined)
        throw StoreErrors.wrap(new Error(`${spec.name}: no read filters on ${unknown} here`));
      const day = {
        ...(q.from === undefined ? {} : { $gte: q.from }),
        ...(q.to === undefined ? {} : { $lte: q.to }),
      };
      const filter: Document = { storeId };
      for (const [f, values] of Object.entries(lists)) {
        if (values !== undefined) filter[f] = { $in: [...new Set(values)] };
      }
      if (Object.keys(day).length > 0) filter['day'] = day;
      // Served by `path.index` (query-catalogue.ts `<family>.<path>`).
      const docs = await col.find(filter).toArray();
      // Zero roll-ups (their evidence all retracted) are kept, and read as none.
      return docs
        .map((d) => recordOf(rollupDocOf(d)))
        .filter((r) => spec.sumFields.some((f) => r.totals[f] !== 0n));
    },

    async deleteZeroOf(people) {
      if (people.length === 0) return 0;
      const keys = [...new Set(people)];
      let deleted = 0;
      for (const { field } of spec.personFields) {
        // Served by the field's index (query-catalogue.ts `<family>.ofPeople.<field>`).
        const filter: Document = { storeId, [field]: { $in: keys } };
        const zero = (await col.find(filter).toArray()).map(rollupDocOf).filter((d) => {
          const totals = totalsOf(d);
          return d.ops.length === 0 && spec.sumFields.every((f) => totals[f] === 0n);
        });
        if (zero.length === 0) continue;
        // The sums are checked again in the delete itself: a roll-up written since the read stays.
        const gone: Document = {
          _id: { $in: zero.map((d) => d._id) },
          ...Object.fromEntries(spec.sumFields.map((f) => [f, 0n])),
        };
        deleted += (await col.deleteMany(gone)).deletedCount;
      }
      return deleted;
    },
  };
}
