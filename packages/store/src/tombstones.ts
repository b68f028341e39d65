import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { insertNew } from './duplicate-keys.js';

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
  /**
   * Deletes the tombstones of these targets that `voidingStatementId` recorded (an erasure's own,
   * once the statements and their rows are gone); a real void's tombstone stays.
   */
  forget(targetStatementIds: readonly string[], voidingStatementId: string): Promise<void>;
}

interface TombstoneDoc extends TombstoneRecord {
  /**
   * JSON [store, target]: one tombstone per target, found by key. A target voided twice keeps
   * its first voiding statement; what matters to the pipeline is that it is voided.
   */
  _id: string;
  storeId: string;
}

/** A tombstone's `_id`: JSON [store, target]. */
export function tombstoneId(storeId: string, targetStatementId: string): string {
  return JSON.stringify([storeId, targetStatementId]);
}

export function mongoTombstoneRepository(db: Db, storeId: string): TombstoneRepository {
  const col = db.collection<TombstoneDoc>(COLLECTIONS.tombstones);
  return {
    async record(tombstones) {
      // Inserts: recording a target again is "taken" (11000), which is the same as once.
      await insertNew(
        col,
        tombstones.map((t) => ({
          _id: tombstoneId(storeId, t.targetStatementId),
          storeId,
          targetStatementId: t.targetStatementId,
          voidingStatementId: t.voidingStatementId,
        })),
      );
    },

    async forget(targetStatementIds, voidingStatementId) {
      if (targetStatementIds.length === 0) return;
      await col.deleteMany({
        _id: { $in: [...new Set(targetStatementIds)].map((id) => tombstoneId(storeId, id)) },
        voidingStatementId,
      });
    },

    async voidedAmong(statementIds) {
      if (statementIds.length === 0) return [];
      const docs = await col
        .find(
          { _id: { $in: [...new Set(statementIds)].map((id) => tombstoneId(storeId, id)) } },
          { projection: { targetStatementId: 1 } },
        )
        .toArray();
      return docs.map((d) => d.targetStatementId);
    },
  };
}
