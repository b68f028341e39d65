import { identifierSightingsOf, type PeopleRepository, type StoredStatement } from '@cairn/store';

/**
 * Records the agent identifiers and names a batch of statements mentions, for the Agents resource
 * and people-level analytics (docs/identity.md). Idempotent: names are added to a set, and an
 * identifier is only ever inserted (into the person holding its mbox or hash, or a new one), never
 * moved, so the pipeline cannot undo a merge or split. Returns how many agent mentions it saw.
 */
export async function updatePeople(
  people: PeopleRepository,
  statements: readonly StoredStatement[],
): Promise<number> {
  const sightings = identifierSightingsOf(statements);
  if (sightings.length > 0) await people.record(sightings);
  return sightings.length;
}
