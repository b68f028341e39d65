import type { Db } from 'mongodb';
import { chunked } from './upsert-all.js';
import { COLLECTIONS } from './collections.js';
import { insertNew } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';

/*
 * The shapes below mirror @cairn/analytics' EvidenceRow without depending on it (the store sits
 * beside analytics, not above it): the worker assigns rows to records and back, so a change of
 * either union fails to compile there instead of being stored unnoticed.
 */

export type EvidenceRecordRole = 'actor' | 'author' | 'subject';
export type EvidenceRecordSource = 'formal' | 'social';
export type EvidenceRecordKind = 'outcome' | 'practice' | 'recognition' | 'exposure' | 'assertion';

/** One evidence row of a store, as the analytics core computed it (fixed-point units). */
export interface EvidenceRecord {
  /** The evidence key (`evidenceKey` of @cairn/analytics): unique, it includes the store. */
  readonly key: string;
  readonly statementId: string;
  readonly skill: string;
  readonly subject: string;
  readonly role: EvidenceRecordRole;
  readonly day: string;
  readonly source: EvidenceRecordSource;
  readonly kind: EvidenceRecordKind;
  readonly concept: string;
  readonly verb: string;
  readonly platform: string | null;
  readonly activityId: string;
  readonly yUnits: number | null;
  readonly wUnits: number;
  readonly n: number;
  /**
   * The settings generation the row was derived under (absent: 0). A statement re-derived after
   * a rule change gets rows of the new generation beside the old ones, under keys that name it.
   */
  readonly generation?: number;
}

/**
 * Where a row stands with its bucket. `pending`: stored, its addition may or may not have
 * reached the bucket (the worker finishes it, see skill-days.ts `addOnce`); `counted`: added;
 * `retracted`: added and subtracted again (its statement was voided). Rows are never deleted, so
 * a retried job finds them and does nothing twice.
 */
export type EvidenceState = 'pending' | 'counted' | 'retracted';

export interface StoredEvidence extends EvidenceRecord {
  readonly state: EvidenceState;
}

/** Port: the evidence rows of one store. Every method is scoped by the store id it is built with. */
export interface EvidenceRepository {
  /**
   * Inserts rows as `pending`; a row whose key is already stored is left as it is. Returns the
   * keys inserted now.
   */
  insertMany(records: readonly EvidenceRecord[], state?: EvidenceState): Promise<string[]>;
  /** Removes every row of the store (a rebuild from statements, with aggregation stopped). */
  deleteAll(): Promise<number>;
  /** The rows of these statements, in any state. */
  ofStatements(statementIds: readonly string[]): Promise<StoredEvidence[]>;
  /**
   * Moves a row from `from` to `to` only when it is in `from`; true when this call moved it.
   * Exact when writes to one row are serialised (one person's jobs run one at a time).
   */
  transition(key: string, from: EvidenceState, to: EvidenceState): Promise<boolean>;
  /**
   * {@link transition} for many rows, in one round trip per BULK_CHUNK rows; returns how many
   * this call moved.
   */
  transitionAll(keys: readonly string[], from: EvidenceState, to: EvidenceState): Promise<number>;
  /** Up to `limit` rows in `state`, in key order, after the key `after` (null: from the start). */
  page(state: EvidenceState, after: string | null, limit: number): Promise<StoredEvidence[]>;
  /** How many rows are in `state`. */
  count(state: EvidenceState): Promise<number>;
}

interface EvidenceDoc extends Omit<StoredEvidence, 'key'> {
  /** The evidence key is the natural key, so `_id` is the only unique index (ferretdb.md rule 7). */
  _id: string;
  storeId: string;
}

function toStored(d: EvidenceDoc): StoredEvidence {
  const { _id, storeId: _store, ...rest } = d;
  return { key: _id, ...rest };
}

export function mongoEvidenceRepository(db: Db, storeId: string): EvidenceRepository {
  const col = db.collection<EvidenceDoc>(COLLECTIONS.evidence);
  // Every evidence key starts with its store (a JSON array), so a key of another store, which
  // would clash with that store's row, is refused rather than stored here.
  const keyPrefix = `${JSON.stringify([storeId]).slice(0, -1)},`;
  return {
    async insertMany(records, state = 'pending') {
      if (records.length === 0) return [];
      const foreign = records.find((r) => !r.key.startsWith(keyPrefix));
      if (foreign !== undefined)
        throw StoreErrors.wrap(new Error(`evidence key ${foreign.key} is not of store ${storeId}`));
      const docs = records.map(({ key, ...r }): EvidenceDoc => ({
        _id: key,
        storeId,
        ...r,
        state,
      }));
      const fresh = await insertNew(col, docs);
      return docs.filter((_, i) => fresh[i] === true).map((d) => d._id);
    },

    async ofStatements(statementIds) {
      if (statementIds.length === 0) return [];
      // Served by store_statement (indexes.ts).
      const docs = await col
        .find({ storeId, statementId: { $in: [...statementIds] } })
        .sort({ _id: 1 })
        .toArray();
      return docs.map(toStored);
    },

    async transition(key, from, to) {
      const res = await col.updateOne({ _id: key, storeId, state: from }, { $set: { state: to } });
      return res.modifiedCount === 1;
    },

    async transitionAll(keys, from, to) {
      let moved = 0;
      // Each update filtered on its _id (FerretDB pushes only that down to SQLite; an `$in`
      // updateMany would scan the store's rows), chunked (docs/ferretdb.md rule 14).
      for (const chunk of chunked(keys)) {
        const res = await col.bulkWrite(
          chunk.map((_id) => ({
            updateOne: { filter: { _id, storeId, state: from }, update: { $set: { state: to } } },
          })),
          { ordered: false },
        );
        moved += res.modifiedCount;
      }
      return moved;
    },

    async page(state, after, limit) {
      if (limit <= 0) return [];
      // Served by store_state (indexes.ts).
      const docs = await col
        .find({ storeId, state, ...(after === null ? {} : { _id: { $gt: after } }) })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map(toStored);
    },

    count: (state) => col.countDocuments({ storeId, state }),

    async deleteAll() {
      return (await col.deleteMany({ storeId })).deletedCount;
    },
  };
}
