import { randomUUID } from 'node:crypto';
import type { Collection, Db, Document } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { insertNew } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';
import { docId, stagedStoreId } from './statement-keys.js';

/**
 * How long a batch may stay staged before another writer of the same ids, or the sweeper, may
 * abandon it: well past a request's time budget (CAIRN_REQUEST_TIMEOUT_MS, 15 s by default), so
 * that a writer rarely loses its batch; one that does is told so by its commit (503, retry).
 */
export const BATCH_LEASE_MS = 2 * 60_000;

type BatchState = 'staged' | 'committed' | 'abandoned';

/**
 * A batch's commit record (`statement_batches`, docs/pipeline.md "All or nothing"): written
 * before its statements, flipped to `committed` by one single-document update (the commit
 * point), deleted once its statements are published.
 */
interface BatchDoc {
  /** {@link docId} of (store, batch id). */
  _id: string;
  storeId: string;
  batchId: string;
  state: BatchState;
  statementIds: string[];
  at: Date;
}

/** The fields of a statement document the staging reads and writes. */
export interface StagedFields extends Document {
  _id: string;
  storeId: string;
  statementId: string;
  /** The batch id while staged; absent once published. */
  batch?: string;
  pipeline: { state: 'staged' | 'pending' | 'done' | 'failed'; since: Date };
}

/**
 * Settles a batch found in the way, or stale: what the record says decides it. With `adopt`, a
 * staged batch whose statements are all written is committed by the writer that finds it (a
 * retry of the same delivery, after its first writer died between insert and commit):
 * committing a whole batch is a right outcome, and the first writer, if alive, sees it
 * committed. The sweeper does not adopt: it rolls back what nobody acknowledged.
 */
async function settle(
  batches: Collection<BatchDoc>,
  statements: Collection<StagedFields>,
  record: BatchDoc,
  now: Date,
  adopt: boolean,
): Promise<'published' | 'abandoned' | 'in progress'> {
  const keys = record.statementIds.map((id) => docId(record.storeId, id));
  if (adopt && record.state === 'staged') {
    const written = await statements
      .find({ _id: { $in: keys } }, { projection: { batch: 1 } })
      .toArray();
    if (written.filter((d) => d.batch === record.batchId).length === keys.length) {
      await batches.updateOne(
        { _id: record._id, state: 'staged' },
        { $set: { state: 'committed' } },
      );
      const again = await batches.findOne({ _id: record._id });
      return again === null ? 'published' : settle(batches, statements, again, now, false);
    }
  }
  if (record.state === 'committed') {
    await publish(statements, record.storeId, keys);
    await batches.deleteOne({ _id: record._id });
    return 'published';
  }
  if (record.state === 'staged') {
    if (record.at.getTime() > now.getTime() - BATCH_LEASE_MS) return 'in progress';
    // Abandoned only if still staged: the writer's commit and this are one document's update.
    const taken = await batches.updateOne(
      { _id: record._id, state: 'staged' },
      { $set: { state: 'abandoned' } },
    );
    if (taken.matchedCount === 0) {
      const again = await batches.findOne({ _id: record._id });
      return again === null ? 'published' : settle(batches, statements, again, now, false);
    }
  }
  // Abandoned: its statements were never visible; remove them (only this batch's, by its id).
  await statements.deleteMany({ _id: { $in: keys }, batch: record.batchId });
  await batches.deleteOne({ _id: record._id });
  return 'abandoned';
}

/** Makes a committed batch's statements visible: one update by key. */
async function publish(
  statements: Collection<StagedFields>,
  storeId: string,
  keys: readonly string[],
): Promise<void> {
  if (keys.length === 0) return;
  await statements.updateMany(
    { _id: { $in: [...keys] } },
    { $set: { storeId, 'pipeline.state': 'pending' }, $unset: { batch: '' } },
  );
}

/**
 * Inserts one store's statements all or nothing, without transactions (the local server has
 * none): a batch of two or more is written staged (under {@link stagedStoreId}, its outbox state
 * `staged`, so that neither readers nor the pipeline see it) after its commit record, committed
 * by one update of that record, then published by one update of its statements by key. A writer
 * that dies before the commit leaves a staged batch that the sweeper abandons after
 * {@link BATCH_LEASE_MS}; one that dies after it leaves a committed batch that the sweeper (or the
 * next writer of one of its ids) publishes. Answers per document whether it was new, as
 * `insertNew` does; an id held by a batch still in progress is a 503 (retry).
 */
export async function insertAllOrNothing(
  db: Db,
  storeId: string,
  docs: readonly StagedFields[],
  now: Date,
): Promise<boolean[]> {
  const statements = db.collection<StagedFields>(COLLECTIONS.statements);
  const batches = db.collection<BatchDoc>(COLLECTIONS.statementBatches);
  if (docs.length <= 1) return insertFreeing(batches, statements, storeId, docs, now);

  const batchId = randomUUID();
  const record: BatchDoc = {
    _id: docId(storeId, batchId),
    storeId,
    batchId,
    state: 'staged',
    statementIds: docs.map((d) => d.statementId),
    at: now,
  };
  await batches.insertOne(record);
  const staged = docs.map((d): StagedFields => ({
    ...d,
    storeId: stagedStoreId(storeId),
    batch: batchId,
    pipeline: { ...d.pipeline, state: 'staged' },
  }));
  const fresh = await insertFreeing(batches, statements, storeId, staged, now);
  const mine = docs.filter((_, i) => fresh[i]).map((d) => d._id);
  const committed = await batches.updateOne(
    { _id: record._id, state: 'staged' },
    { $set: { state: 'committed' } },
  );
  if (committed.matchedCount === 0) {
    const current = await batches.findOne({ _id: record._id });
    if (current === null || current.state === 'abandoned') {
      // Abandoned while this writer was slower than the lease: nothing of it was ever visible.
      await statements.deleteMany({ _id: { $in: mine }, batch: batchId });
      await batches.deleteOne({ _id: record._id });
      throw new StoreErrors.unavailable('the batch took longer than its lease; send it again');
    }
    // Committed by a retry of the same delivery (settle): publishing again is harmless.
  }
  await publish(statements, storeId, mine);
  await batches.deleteOne({ _id: record._id });
  return fresh;
}

/**
 * `insertNew`, except that an id held by a staged statement of another batch is settled first
 * (published, or abandoned and removed, then inserted again), and counted as existing only when
 * it is visible.
 */
async function insertFreeing(
  batches: Collection<BatchDoc>,
  statements: Collection<StagedFields>,
  storeId: string,
  docs: readonly StagedFields[],
  now: Date,
): Promise<boolean[]> {
  const fresh = await insertNew(statements, docs);
  const taken = docs.filter((_, i) => !fresh[i]);
  if (taken.length === 0) return fresh;
  const holders = await statements
    .find({ _id: { $in: taken.map((d) => d._id) } }, { projection: { storeId: 1, batch: 1 } })
    .toArray();
  const blocking = [
    ...new Set(holders.filter((h) => h.storeId !== storeId).flatMap((h) => h.batch ?? [])),
  ];
  if (blocking.length === 0) return fresh;
  const records = await batches
    .find({ _id: { $in: blocking.map((b) => docId(storeId, b)) } })
    .toArray();
  const found = new Set(records.map((r) => r.batchId));
  for (const record of records) {
    if ((await settle(batches, statements, record, now, true)) === 'in progress')
      throw new StoreErrors.unavailable(
        `an earlier delivery of statement ${record.statementIds[0] ?? ''} is still being written`,
      );
  }
  // Staged statements of a batch without a record (its writer died right after removing it, or
  // before: never committed) are removed as abandoned.
  for (const orphan of blocking.filter((b) => !found.has(b)))
    await statements.deleteMany({ _id: { $in: taken.map((d) => d._id) }, batch: orphan });
  const again = await insertNew(
    statements,
    taken.map((d) => d),
  );
  let at = 0;
  return fresh.map((isNew) => isNew || (again[at++] ?? false));
}

/** Port: batches left behind by writers that died (the sweeper's recovery). */
export interface StatementBatchRepository {
  /**
   * Settles at most `limit` batches of any store whose writer began before `before` and never
   * finished: committed ones are published, staged ones past their lease abandoned and removed.
   */
  recover(
    before: Date,
    limit: number,
    now: Date,
  ): Promise<{ published: number; abandoned: number }>;
}

export function mongoStatementBatchRepository(db: Db): StatementBatchRepository {
  const statements = db.collection<StagedFields>(COLLECTIONS.statements);
  const batches = db.collection<BatchDoc>(COLLECTIONS.statementBatches);
  return {
    async recover(before, limit, now) {
      if (limit <= 0) return { published: 0, abandoned: 0 };
      // Served by `at` (indexes.ts); only unfinished batches have a record.
      const stale = await batches
        .find({ at: { $lt: before } })
        .sort({ at: 1 })
        .limit(limit)
        .toArray();
      let published = 0;
      let abandoned = 0;
      for (const record of stale) {
        // Not adopted: a batch its writer never acknowledged is rolled back, so that a client
        // without ids that retries does not find it stored twice.
        const outcome = await settle(batches, statements, record, now, false);
        if (outcome === 'published') published++;
        if (outcome === 'abandoned') abandoned++;
      }
      return { published, abandoned };
    },
  };
}
