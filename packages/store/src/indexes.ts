import type { Db, IndexDescription } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/**
 * Every index Cairn's queries rely on, declared here next to the collections that the queries in
 * this package read. Only shapes on the compatibility floor: no partial, TTL or sparse indexes.
 */
const INDEXES: Readonly<Record<string, readonly IndexDescription[]>> = {
  [COLLECTIONS.credentials]: [{ key: { storeId: 1, createdAt: 1 }, name: 'store_created' }],
};

/** Creates missing indexes; idempotent, safe to run at every start-up. */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    if (indexes.length > 0) await db.collection(collection).createIndexes([...indexes]);
  }
}
