/** Statement ids are unique per store: the document id is the pair, so a get by id is a key lookup. */
export function docId(storeId: string, statementId: string): string {
  return `${storeId}|${statementId}`;
}

/**
 * The `storeId` a statement carries while its batch is staged (statement-batches.ts): no query of
 * the store (every one filters on its `storeId`) sees it, and reads by key check it.
 */
export function stagedStoreId(storeId: string): string {
  return `|staged|${storeId}`;
}
