import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { mongoStatementRepository } from './statements.js';

/** Figures about one store, for its administrators. */
export interface StoreStatistics {
  /** Every statement stored in the store, voided and voiding ones included. */
  readonly statementCount: number;
  /** When the latest statement was stored; null for a store without statements. */
  readonly lastStored: Date | null;
}

/** The statistics of one store; both figures are read with the store id in the query. */
export async function storeStatistics(db: Db, storeId: string): Promise<StoreStatistics> {
  // countDocuments is one $match and one $group with a single $sum, within the compatibility
  // floor; the `store_latest` index (indexes.ts) serves both figures.
  const [statementCount, lastStored] = await Promise.all([
    db.collection(COLLECTIONS.statements).countDocuments({ storeId }),
    mongoStatementRepository(db, storeId).lastStored(),
  ]);
  return { statementCount, lastStored };
}
