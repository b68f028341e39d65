import {
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type Collection,
  type Document,
} from 'mongodb';
import { DUPLICATE_KEY, writeErrorsOf } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';

/**
 * Runs idempotent upserts (each filtered on `_id`) as one unordered bulk write (the driver splits
 * it at the server's batch size). Two writers upserting the same new `_id` at once can make one of
 * them fail with 11000 on MongoDB: those operations are retried once, when they find the
 * document. Results are judged by write errors only, never by `upsertedIds`.
 */
export async function upsertAll<T extends Document>(
  col: Collection<T>,
  ops: readonly AnyBulkWriteOperation<T>[],
): Promise<void> {
  if (ops.length > 0) await upsertChunk(col, ops);
}

async function upsertChunk<T extends Document>(
  col: Collection<T>,
  ops: readonly AnyBulkWriteOperation<T>[],
): Promise<void> {
  let pending = [...ops];
  for (let attempt = 0; pending.length > 0; attempt++) {
    try {
      await col.bulkWrite(pending, { ordered: false });
      return;
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw StoreErrors.wrap(error);
      const failed = writeErrorsOf(error);
      if (attempt > 0 || failed.some((w) => w.code !== DUPLICATE_KEY)) {
        throw StoreErrors.wrap(error);
      }
      const retry = new Set(failed.map((w) => w.index));
      pending = pending.filter((_, i) => retry.has(i));
    }
  }
}
