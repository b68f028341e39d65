import {
  MongoBulkWriteError,
  type AnyBulkWriteOperation,
  type Collection,
  type Document,
} from 'mongodb';
import { DUPLICATE_KEY, writeErrorsOf } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';

/**
 * Write operations per bulk command. FerretDB 1.24 never answers a command that replaces or
 * updates more than 100 existing documents, and hangs its database from then on (seen in the
 * bench; docs/ferretdb.md): bulk writes are sent in chunks well below that.
 */
export const BULK_CHUNK = 50;

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
