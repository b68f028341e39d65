import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { docId } from './statements.js';

/** A statement whose pipeline work is still owed (its outbox is `pending`). */
export interface OwedStatement {
  readonly storeId: string;
  readonly statementId: string;
  /** When the outbox was last set: at insert, or when the sweeper last re-drove it. */
  readonly since: Date;
}

/**
 * Port: the statements' outbox across every store (the `pipeline` field that statements.ts
 * sets to `pending` at insert and markProcessed sets to `done`), for the sweeper that re-drives
 * work a lost job left undone (architecture.md, Queue).
 */
export interface OutboxRepository {
  /**
   * At most `limit` statements of any store still pending since before `before`, oldest first
   * (then by store and id, so that two sweepers reading the same data see the same list).
   */
  owedSince(before: Date, limit: number): Promise<OwedStatement[]>;
  /**
   * Restarts the clock of those of one store's statements still pending (`since` = `at`), once
   * the sweeper has enqueued them again: they are not re-driven before another full wait.
   */
  restamp(storeId: string, statementIds: readonly string[], at: Date): Promise<void>;
}

interface OutboxDoc {
  _id: string;
  storeId: string;
  statementId: string;
  pipeline: { state: 'pending' | 'done'; since: Date };
}

export function mongoOutboxRepository(db: Db): OutboxRepository {
  const col = db.collection<OutboxDoc>(COLLECTIONS.statements);
  return {
    async owedSince(before, limit) {
      if (limit <= 0) return []; // a limit of 0 means none to the server
      // Served by pipeline_outbox (indexes.ts); ties on `since` (one batch) are few.
      const docs = await col
        .find(
          { 'pipeline.state': 'pending', 'pipeline.since': { $lt: before } },
          { projection: { storeId: 1, statementId: 1, pipeline: 1 } },
        )
        .sort({ 'pipeline.since': 1, _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => ({
        storeId: d.storeId,
        statementId: d.statementId,
        since: d.pipeline.since,
      }));
    },

    async restamp(storeId, statementIds, at) {
      if (statementIds.length === 0) return;
      // The whole subdocument, as markProcessed writes it; filtered so a `done` stays done.
      await col.updateMany(
        { _id: { $in: statementIds.map((id) => docId(storeId, id)) }, 'pipeline.state': 'pending' },
        { $set: { pipeline: { state: 'pending', since: at } } },
      );
    },
  };
}
