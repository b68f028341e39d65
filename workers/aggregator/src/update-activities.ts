import { definitionRecordsOf, type ActivityRepository, type StoredStatement } from '@cairn/store';

/**
 * Records the activity definitions a batch of statements carries, for the Activities resource,
 * which merges them into the canonical definition when read (`mergeDefinitions` of @cairn/xapi).
 * Idempotent: a batch processed twice records nothing new. Returns how many definitions it saw.
 */
export async function updateActivities(
  activities: ActivityRepository,
  statements: readonly StoredStatement[],
): Promise<number> {
  const records = definitionRecordsOf(statements);
  if (records.length > 0) await activities.record(records);
  return records.length;
}
