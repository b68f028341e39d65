import {
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type Collection,
  type Document,
} from 'mongodb';
import { DUPLICATE_KEY, writeErrorsOf } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';

/**
 * Write operations per bulk command. FerretDB 1.24 holds one SQLite connection for each update
 * operation of a command until the whole command returns, and a database has 100 connections:
 * update commands in flight at once whose operations add up to about 100 wait for one another for
 * ever, and the database hangs from then on (docs/ferretdb.md rule 14; seen with two bulk writes
 * of 50 at once). Small chunks keep many writers (partition jobs, the LRS, several aggregator
 * processes) far below that, at the price of more round trips for the rare large write.
 */
export const BULK_CHUNK = 10;

/** `items` in consecutive chunks of at most `size`. */
export function chunked<T>(items: readonly T[], size: number = BULK_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Runs idempotent upserts (each filtered on `_id`) as unordered commands of {@link BULK_CHUNK}. Two writers upserting
 * the same new `_id` at once can make one of them fail with 11000 (MongoDB and FerretDB alike,
 * docs/ferretdb.md rule 10): those operations are retried once, when they find the document.
 * Results are judged by write errors only, never by `upsertedIds` (rule 11).
 */
export async function upsertAll<T extends Document>(
  col: Collection<T>,
  ops: readonly AnyBulkWriteOperation<T>[],
): Promise<void> {
  for (const chunk of chunked(ops)) await upsertChunk(col, chunk);
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
