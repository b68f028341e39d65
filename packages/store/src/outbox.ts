import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { docId } from './statements.js';

/** A statement whose pipeline work is still owed (its outbox is `pending`). */
export interface OwedStatement {
  readonly storeId: string;
  readonly statementId: string;
  /** When the outbox was last set: at insert, or when the sweeper last re-drove it. */
  readonly since: Date;
  /** How many times the sweeper has re-driven it (0 until the first re-drive). */
  readonly attempts: number;
}

/** The outbox in figures, across every store (the pipeline metrics). */
export interface OutboxSummary {
  /** Statements whose pipeline work is still owed. */
  readonly pending: number;
  /** The outbox time of the longest-waiting pending statement; null when none is pending. */
  readonly oldestPendingSince: Date | null;
  /** Statements the sweeper gave up on (or an admin discarded): readable, no longer re-driven. */
  readonly failed: number;
}

/**
 * Port: the statements' outbox across every store (the `pipeline` field that statements.ts
 * sets to `pending` at insert and markProcessed sets to `done`), for the sweeper that re-drives
 * work a lost job left undone (docs/pipeline.md), and for the pipeline metrics and the
 * failed-job admin view.
 *
 * States: `pending` (owed), `done` (cleared by the pipeline), `failed` (re-driven
 * CAIRN_SWEEP_MAX_ATTEMPTS times in vain, or discarded by an admin: still stored and readable
 * through xAPI, no longer re-driven until an admin retries it).
 */
export interface OutboxRepository {
  /**
   * At most `limit` statements of any store still pending since before `before`, oldest first
   * (then by store and id, so that two sweepers reading the same data see the same list).
   */
  owedSince(before: Date, limit: number): Promise<OwedStatement[]>;
  /**
   * Restarts the clock of those of one store's statements still pending (`since` = `at`) and
   * counts one more re-drive (`attempts` + 1), once the sweeper has enqueued them again: they
   * are not re-driven before another full wait.
   */
  restamp(storeId: string, statementIds: readonly string[], at: Date): Promise<void>;
  /**
   * Moves those of one store's statements still pending to `failed` (`since` = `at`): the sweeper
   * stops re-driving them. Returns how many moved.
   */
  giveUp(storeId: string, statementIds: readonly string[], at: Date): Promise<number>;
  /**
   * Puts those of one store's statements that are pending or failed back to `pending` with
   * `attempts` 0 and `since` = `at` (an admin retried their job); `done` ones stay done.
   * Returns how many were reset.
   */
  reset(storeId: string, statementIds: readonly string[], at: Date): Promise<number>;
  /** The outbox's figures across every store. */
  summary(): Promise<OutboxSummary>;
}

type OutboxState = 'pending' | 'done' | 'failed';

interface OutboxDoc {
  _id: string;
  storeId: string;
  statementId: string;
  /** `attempts` is absent until the first re-drive: statements.ts writes state and since only. */
  pipeline: { state: OutboxState; since: Date; attempts?: number };
}

export function mongoOutboxRepository(db: Db): OutboxRepository {
  const col = db.collection<OutboxDoc>(COLLECTIONS.statements);
  const ofStore = (storeId: string, statementIds: readonly string[]) =>
    statementIds.map((id) => docId(storeId, id));
  return {
    async owedSince(before, limit) {
      if (limit <= 0) return []; // a limit of 0 means none to the server
      // Served by pipeline_outbox_id (indexes.ts); ties on `since` (one batch) are few.
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
        attempts: d.pipeline.attempts ?? 0,
      }));
    },

    async restamp(storeId, statementIds, at) {
      if (statementIds.length === 0) return;
      // Filtered so that a `done` stays done. Two sweepers restamping at once may count two
      // attempts for one round: the give-up comes a round early, never late.
      await col.updateMany(
        { _id: { $in: ofStore(storeId, statementIds) }, 'pipeline.state': 'pending' },
        { $set: { 'pipeline.since': at }, $inc: { 'pipeline.attempts': 1 } },
      );
    },

    async giveUp(storeId, statementIds, at) {
      if (statementIds.length === 0) return 0;
      const result = await col.updateMany(
        { _id: { $in: ofStore(storeId, statementIds) }, 'pipeline.state': 'pending' },
        { $set: { 'pipeline.state': 'failed', 'pipeline.since': at } },
      );
      return result.modifiedCount;
    },

    async reset(storeId, statementIds, at) {
      if (statementIds.length === 0) return 0;
      // The whole subdocument, as markProcessed writes it.
      const result = await col.updateMany(
        {
          _id: { $in: ofStore(storeId, statementIds) },
          'pipeline.state': { $in: ['pending', 'failed'] },
        },
        { $set: { pipeline: { state: 'pending', since: at, attempts: 0 } } },
      );
      return result.modifiedCount;
    },

    async summary() {
      // All three served by pipeline_outbox_id (indexes.ts): an equality on its first field, the
      // oldest by its second. Pending and failed statements are few next to done ones.
      const [pending, oldest, failed] = await Promise.all([
        col.countDocuments({ 'pipeline.state': 'pending' }),
        col
          .find({ 'pipeline.state': 'pending' }, { projection: { pipeline: 1 } })
          .sort({ 'pipeline.since': 1 })
          .limit(1)
          .toArray(),
        col.countDocuments({ 'pipeline.state': 'failed' }),
      ]);
      return { pending, oldestPendingSince: oldest[0]?.pipeline.since ?? null, failed };
    },
  };
}
