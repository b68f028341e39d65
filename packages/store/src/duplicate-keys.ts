import {
  MongoBulkWriteError,
  type Collection,
  type Document,
  type OptionalUnlessRequiredId,
  type WriteError,
} from 'mongodb';
import { StoreErrors } from './errors.js';

/** MongoDB's code for a write that clashes with a unique index. */
export const DUPLICATE_KEY = 11000;

/** Whether a write failed only because the key is already taken. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
}

/** A bulk write's errors as a list (the driver gives one error or an array). */
export function writeErrorsOf(error: MongoBulkWriteError): WriteError[] {
  return ([] as WriteError[]).concat(error.writeErrors as WriteError | WriteError[]);
}

/**
 * Inserts `docs` as one unordered command, in which a document whose `_id` (or other unique key)
 * is already taken fails alone. Answers, per document, whether it was new; any other failure is
 * thrown as a store error.
 */
export async function insertNew<T extends Document>(
  col: Collection<T>,
  docs: readonly OptionalUnlessRequiredId<T>[],
): Promise<boolean[]> {
  const inserted = docs.map(() => true);
  if (docs.length === 0) return inserted;
  try {
    await col.insertMany([...docs], { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw StoreErrors.wrap(error);
    for (const w of writeErrorsOf(error)) {
      if (w.code !== DUPLICATE_KEY) throw StoreErrors.wrap(error);
      inserted[w.index] = false;
    }
  }
  return inserted;
}
