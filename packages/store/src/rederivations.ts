import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { upsertAll } from './upsert-all.js';

/**
 * A statement re-derived under a later generation of its store's skill settings (rules, verbs,
 * frameworks). Written before the statement's new rows, so that from then on its rows of earlier
 * generations owe retraction even when the new derivation yields no row at all.
 */
export interface DerivationMark {
  readonly statementId: string;
  readonly generation: number;
}

/** Where a store's re-derivation after a settings change stands. */
export interface RederivationStatus {
  /** The settings generation this re-derivation applies. */
  readonly generation: number;
  readonly state: 'running' | 'done';
  /** Statements of the store when it started, and how many it has read so far. */
  readonly total: number;
  readonly scanned: number;
  /** Statements whose evidence changed (and were routed to their partitions). */
  readonly changed: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
}

/**
 * Port: the re-derivations of one store. A statement's mark is one document holding its highest
 * generation, raised with `$max` (atomic, idempotent); the status has one writer, the store's
 * re-derivation job, whose queue runs one job at a time.
 */
export interface RederivationRepository {
  /** Records marks; recording one twice is the same as once. */
  mark(marks: readonly DerivationMark[]): Promise<void>;
  /** The highest generation marked for each of `statementIds` that has a mark. */
  latestMarks(statementIds: readonly string[]): Promise<Map<string, number>>;
  status(): Promise<RederivationStatus | null>;
  saveStatus(status: RederivationStatus): Promise<void>;
  /** Removes every mark of the store (a rebuild from statements, with aggregation stopped). */
  deleteMarks(): Promise<void>;
}

interface MarkDoc extends DerivationMark {
  /** JSON [store, statement]: every lookup is by statement, so by key. */
  _id: string;
  storeId: string;
}

interface StatusDoc extends RederivationStatus {
  /** The store id. */
  _id: string;
}

/** A derivation mark's `_id`: JSON [store, statement]. */
export function markId(storeId: string, statementId: string): string {
  return JSON.stringify([storeId, statementId]);
}

export function mongoRederivationRepository(db: Db, storeId: string): RederivationRepository {
  const marks = db.collection<MarkDoc>(COLLECTIONS.derivationMarks);
  const statuses = db.collection<StatusDoc>(COLLECTIONS.rederivations);
  return {
    async mark(list) {
      await upsertAll(
        marks,
        list.map((m) => ({
          updateOne: {
            filter: { _id: markId(storeId, m.statementId) },
            update: {
              $setOnInsert: { storeId, statementId: m.statementId },
              $max: { generation: m.generation },
            },
            upsert: true,
          },
        })),
      );
    },

    async latestMarks(statementIds) {
      const latest = new Map<string, number>();
      if (statementIds.length === 0) return latest;
      const docs = await marks
        .find(
          { _id: { $in: [...new Set(statementIds)].map((id) => markId(storeId, id)) } },
          { projection: { statementId: 1, generation: 1 } },
        )
        .toArray();
      for (const d of docs) latest.set(d.statementId, d.generation);
      return latest;
    },

    async status() {
      const doc = await statuses.findOne({ _id: storeId });
      if (doc === null) return null;
      const { _id: _store, ...status } = doc;
      return status;
    },

    async saveStatus(status) {
      await statuses.replaceOne({ _id: storeId }, { ...status }, { upsert: true });
    },

    async deleteMarks() {
      await marks.deleteMany({ storeId });
    },
  };
}
