import type { Db } from 'mongodb';
import { upsertAll } from './upsert-all.js';
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
   * The other person of a row linking two people (a like's actor, an answer's addressee), or
   * null. Absent on rows stored before roll-ups existed (docs/pipeline.md, "Upgrading"): read as
   * null.
   */
  readonly counterpart?: string | null;
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

/** The most identifier keys and skills one drill-down reads (each pair is one index scan). */
export const MAX_DRILL_SUBJECTS = 20;
export const MAX_DRILL_SKILLS = 10;

/** Where a page of {@link EvidenceRepository.ofSubjectSkill} ended: its last row's day and key. */
export interface EvidencePosition {
  readonly day: string;
  readonly key: string;
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
   * {@link transition} for many rows; returns how many this call moved. Reads the rows by key and
   * updates by key (two round trips whatever their number), so writes to one row must be
   * serialised, as they are: one person's jobs run one at a time.
   */
  transitionAll(keys: readonly string[], from: EvidenceState, to: EvidenceState): Promise<number>;
  /** Up to `limit` rows in `state`, in key order, after the key `after` (null: from the start). */
  page(state: EvidenceState, after: string | null, limit: number): Promise<StoredEvidence[]>;
  /**
   * One person's rows of some skills (the subjects are the person's identifier keys, at most
   * {@link MAX_DRILL_SUBJECTS}; the skills at most {@link MAX_DRILL_SKILLS}: a skill and its
   * children), latest day first, then by key descending; `after` is the last row of the previous
   * page. Rows in every state: a report shows retracted ones as such.
   */
  ofSubjectSkill(
    subjects: readonly string[],
    skills: readonly string[],
    page: { readonly after?: EvidencePosition; readonly limit: number; readonly to?: string },
  ): Promise<StoredEvidence[]>;
  /** How many rows are in `state`. */
  count(state: EvidenceState): Promise<number>;
  /**
   * Deletes rows that are `retracted` (an erasure, once their contributions are out of every
   * bucket) and forgets their keys in their statements' manifests; a row in another state is
   * left alone. Returns how many rows it deleted. Idempotent.
   */
  deleteRetracted(keys: readonly string[]): Promise<number>;
  /** Deletes the manifests of these statements (an erasure deleted the statements). */
  deleteManifests(statementIds: readonly string[]): Promise<void>;
  /**
   * Sets the counterpart of rows, each from `from` to `to`, whatever their state (an erasure: the
   * rows of someone else's redacted statement, whose counterpart changes with the statement's
   * agents); a row whose counterpart is no longer `from` is left alone. Returns how many it
   * changed. Idempotent.
   */
  setCounterparts(changes: readonly CounterpartChange[]): Promise<number>;
}

/** A row's counterpart changed: see {@link EvidenceRepository.setCounterparts}. */
export interface CounterpartChange {
  readonly key: string;
  readonly from: string | null;
  readonly to: string | null;
}

interface EvidenceDoc extends Omit<StoredEvidence, 'key'> {
  /** The evidence key is the natural key, so `_id` is the only unique index. */
  _id: string;
  storeId: string;
}

/**
 * A statement's evidence keys, of every generation, under the statement's id: the rows of a
 * batch's statements are then two reads by `_id` (manifests, then rows), which every server
 * serves from its `_id` index, where a query on `statementId` would scan the local server's whole
 * evidence collection for every job. Keys are added before their rows are inserted, so a manifest
 * may name a row that a crashed job never inserted (it is simply not found), never the reverse.
 */
interface ManifestDoc {
  /** JSON [store, statement]. */
  _id: string;
  storeId: string;
  statementId: string;
  keys: string[];
}

/** An evidence manifest's `_id`: JSON [store, statement]. */
export function manifestId(storeId: string, statementId: string): string {
  return JSON.stringify([storeId, statementId]);
}

function toStored(d: EvidenceDoc): StoredEvidence {
  const { _id, storeId: _store, ...rest } = d;
  return { key: _id, ...rest };
}

/** Adds evidence keys to their statements' manifests (created when missing); idempotent. */
export async function addToManifests(
  db: Db,
  entries: readonly { storeId: string; statementId: string; keys: readonly string[] }[],
): Promise<void> {
  await upsertAll(
    db.collection<ManifestDoc>(COLLECTIONS.statementEvidence),
    entries.map(({ storeId, statementId, keys }) => ({
      updateOne: {
        filter: { _id: manifestId(storeId, statementId) },
        update: {
          $setOnInsert: { storeId, statementId },
          $addToSet: { keys: { $each: [...keys] } },
        },
        upsert: true,
      },
    })),
  );
}

export function mongoEvidenceRepository(db: Db, storeId: string): EvidenceRepository {
  const col = db.collection<EvidenceDoc>(COLLECTIONS.evidence);
  const manifests = db.collection<ManifestDoc>(COLLECTIONS.statementEvidence);
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
      const keysOf = new Map<string, string[]>();
      for (const d of docs)
        keysOf.set(d.statementId, [...(keysOf.get(d.statementId) ?? []), d._id]);
      await addToManifests(
        db,
        [...keysOf].map(([statementId, keys]) => ({ storeId, statementId, keys })),
      );
      const fresh = await insertNew(col, docs);
      return docs.filter((_, i) => fresh[i] === true).map((d) => d._id);
    },

    async ofStatements(statementIds) {
      if (statementIds.length === 0) return [];
      const found = await manifests
        .find(
          { _id: { $in: [...new Set(statementIds)].map((id) => manifestId(storeId, id)) } },
          { projection: { keys: 1 } },
        )
        .toArray();
      const keys = found.flatMap((m) => m.keys);
      if (keys.length === 0) return [];
      const docs = await col.find({ _id: { $in: keys } }).toArray();
      return docs.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)).map(toStored);
    },

    async transition(key, from, to) {
      const res = await col.updateOne({ _id: key, storeId, state: from }, { $set: { state: to } });
      return res.modifiedCount === 1;
    },

    async transitionAll(keys, from, to) {
      if (keys.length === 0) return 0;
      const rows = await col
        .find({ _id: { $in: [...new Set(keys)] } }, { projection: { storeId: 1, state: 1 } })
        .toArray();
      const moving = rows
        .filter((r) => r.storeId === storeId && r.state === from)
        .map((r) => r._id);
      if (moving.length === 0) return 0;
      await col.updateMany({ _id: { $in: moving } }, { $set: { state: to } });
      return moving.length;
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

    async ofSubjectSkill(subjects, skills, { after, limit, to }) {
      if (subjects.length === 0 || skills.length === 0 || limit <= 0) return [];
      if (subjects.length > MAX_DRILL_SUBJECTS || skills.length > MAX_DRILL_SKILLS)
        throw StoreErrors.wrap(new Error('a drill-down reads at most 20 identifiers x 10 skills'));
      const outer = {
        storeId,
        subject: { $in: [...new Set(subjects)] },
        skill: { $in: [...new Set(skills)] },
      };
      // Served by store_subject_skill_day, each `$or` branch in the index's order.
      const filter =
        after === undefined
          ? { ...outer, ...(to === undefined ? {} : { day: { $lte: to } }) }
          : {
              ...outer,
              $or: [{ day: { $lt: after.day } }, { day: after.day, _id: { $lt: after.key } }],
            };
      const docs = await col.find(filter).sort({ day: -1, _id: -1 }).limit(limit).toArray();
      return docs.map(toStored);
    },

    count: (state) => col.countDocuments({ storeId, state }),

    async deleteRetracted(keys) {
      if (keys.length === 0) return 0;
      const rows = await col
        .find(
          { _id: { $in: [...new Set(keys)] } },
          { projection: { storeId: 1, state: 1, statementId: 1 } },
        )
        .toArray();
      const gone = rows.filter((r) => r.storeId === storeId && r.state === 'retracted');
      if (gone.length === 0) return 0;
      const byStatement = new Map<string, string[]>();
      for (const r of gone)
        byStatement.set(r.statementId, [...(byStatement.get(r.statementId) ?? []), r._id]);
      // Rows first: a manifest naming a deleted row is harmless (the row is not found), a row no
      // manifest named could never be found again by a retry.
      const res = await col.deleteMany({
        _id: { $in: gone.map((r) => r._id) },
        state: 'retracted',
      });
      await upsertAll(
        manifests,
        [...byStatement].map(([statementId, dropped]) => ({
          updateOne: {
            filter: { _id: manifestId(storeId, statementId) },
            update: { $pullAll: { keys: dropped } },
          },
        })),
      );
      return res.deletedCount;
    },

    async deleteManifests(statementIds) {
      if (statementIds.length === 0) return;
      await manifests.deleteMany({
        _id: { $in: [...new Set(statementIds)].map((id) => manifestId(storeId, id)) },
      });
    },

    async setCounterparts(changes) {
      if (changes.length === 0) return 0;
      // A missing counterpart (a row stored before rows had one) matches `from` null.
      const res = await col.bulkWrite(
        changes.map((c) => ({
          updateOne: {
            filter: { _id: c.key, counterpart: c.from },
            update: { $set: { counterpart: c.to } },
          },
        })),
        { ordered: false },
      );
      return res.modifiedCount;
    },

    async deleteAll() {
      await manifests.deleteMany({ storeId });
      return (await col.deleteMany({ storeId })).deletedCount;
    },
  };
}
