import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { upsertAll } from './upsert-all.js';

/** A voiding statement's mark on its target, as the pipeline records it. */
export interface TombstoneRecord {
  readonly targetStatementId: string;
  readonly voidingStatementId: string;
}

/**
 * Port: the tombstones of one store. The pipeline records a tombstone before it retracts the
 * target's evidence, and checks for one before (and after) it inserts a statement's evidence,
 * so a target that arrives after its voider adds nothing, whatever order the jobs run in.
 */
export interface TombstoneRepository {
  /** Records tombstones; recording one twice is the same as once. */
  record(tombstones: readonly TombstoneRecord[]): Promise<void>;
  /** Those of `statementIds` that a recorded tombstone voids. */
  voidedAmong(statementIds: readonly string[]): Promise<string[]>;
}

interface TombstoneDoc extends TombstoneRecord {
  /** JSON [store, target, voiding statement]: the natural key as the only unique index. */
  _id: string;
  storeId: string;
}

export function mongoTombstoneRepository(db: Db, storeId: string): TombstoneRepository {
  const col = db.collection<TombstoneDoc>(COLLECTIONS.tombstones);
  return {
    async record(tombstones) {
      await upsertAll(
        col,
        tombstones.map((t) => ({
          updateOne: {
            filter: {
              _id: JSON.stringify([storeId, t.targetStatementId, t.voidingStatementId]),
            },
            update: { $setOnInsert: { storeId, ...t } },
            upsert: true,
          },
        })),
      );
    },

    async voidedAmong(statementIds) {
      if (statementIds.length === 0) return [];
      // Served by store_target (indexes.ts).
      const docs = await col
        .find(
          { storeId, targetStatementId: { $in: [...statementIds] } },
          { projection: { targetStatementId: 1 } },
        )
        .toArray();
      return [...new Set(docs.map((d) => d.targetStatementId))];
    },
  };
}
