import { identifierSightingsOf, type PeopleRepository, type StoredStatement } from '@cairn/store';

/**
 * Records the agent identifiers and names a batch of statements mentions, for the Agents resource
 * (and, later, for people-level analytics). Idempotent: names are added to a set, identifiers are
 * written only when a person is created. Returns how many agent mentions it saw.
 */
export async function updatePeople(
  people: PeopleRepository,
  statements: readonly StoredStatement[],
): Promise<number> {
  const sightings = identifierSightingsOf(statements);
  if (sightings.length > 0) await people.record(sightings);
  return sightings.length;
}
