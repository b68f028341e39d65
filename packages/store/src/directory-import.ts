import type { DirectoryInput } from './directory-input.js';
import type { MembershipRecord, MembershipRepository } from './memberships.js';
import type { PeopleRepository } from './people.js';
import { PeopleErrors } from './people-errors.js';
import type { IdentityActor } from './person-audit.js';
import { identifierGroup } from './person-keys.js';

/** What an import did. Importing the same directory again answers zeros but for `people`. */
export interface DirectoryImportResult {
  /** Directory people read. */
  readonly people: number;
  /** The audited merges it made, by change id. */
  readonly merges: readonly string[];
  /** Directory people whose record (memberships, manager, identifiers) was written. */
  readonly memberships: number;
}

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * Imports a checked directory into a store (docs/identity.md): each directory person's
 * identifiers become one person (merged, audited with source `directory`), and its record goes to
 * `memberships`. Runs under the store's identity lock and checks everything before it writes: a
 * directory person whose identifiers would join a person holding another directory person's
 * identifier is a DIRECTORY_ERR_CONFLICT naming both, and nothing is changed. Idempotent.
 */
export async function importDirectory(
  people: PeopleRepository,
  memberships: MembershipRepository,
  directory: DirectoryInput,
  actor: IdentityActor,
): Promise<DirectoryImportResult> {
  const entries = directory.people;
  const groups = entries.map((p) => unique(p.identifiers.flatMap(identifierGroup)));
  const allKeys = unique(groups.flat());
  return people.exclusive(async (session) => {
    const before = await people.resolve(allKeys);
    const touched = await people.findByIdentifiers(allKeys);
    const personKeys = new Map(touched.map((p) => [p.personId, p.identifiers]));

    // Who lists each key: this directory, and earlier imports of people it does not list.
    const owners = new Map<string, Set<string>>();
    const own = (k: string, directoryId: string): void => {
      owners.set(k, (owners.get(k) ?? new Set()).add(directoryId));
    };
    entries.forEach((p, i) => groups[i]?.forEach((k) => own(k, p.id)));
    const listed = new Set(entries.map((p) => p.id));
    const stored = await memberships.ofIdentifiers(
      unique([...allKeys, ...touched.flatMap((p) => p.identifiers)]),
    );
    for (const record of stored) {
      if (!listed.has(record.directoryId))
        record.identifiers.forEach((k) => own(k, record.directoryId));
    }
    entries.forEach((p, i) => {
      for (const key of groups[i] ?? []) {
        const personId = before.get(key);
        // The key itself first, so that the message says the plainest thing that is wrong.
        for (const k of [
          key,
          ...(personId === undefined ? [] : (personKeys.get(personId) ?? [])),
        ]) {
          const other = [...(owners.get(k) ?? [])].find((o) => o !== p.id);
          if (other === undefined) continue;
          throw new PeopleErrors.directoryConflict(
            `directory person ${p.id} lists ${key}, but ` +
              (k === key
                ? `directory person ${other} already has it`
                : `it belongs to person ${personId ?? ''} together with ${k} of directory ` +
                  `person ${other}`) +
              '; split that person first or correct the directory',
          );
        }
      }
    });

    await people.ensureIdentifiers(allKeys);
    const after = await people.resolve(allKeys);
    const merges: string[] = [];
    for (const keys of groups) {
      // The survivor: the person of the first listed identifier that had one before the import.
      const existing = keys.flatMap((k) => before.get(k) ?? []);
      const ids = unique([...existing, ...keys.flatMap((k) => after.get(k) ?? [])]);
      if (ids.length > 1) merges.push((await session.merge(ids, actor, 'directory')).id);
    }
    const records = entries.map((p, i): MembershipRecord => ({
      directoryId: p.id,
      name: p.name,
      ...(p.manager === undefined ? {} : { manager: p.manager }),
      identifiers: [...(groups[i] ?? [])].sort(),
      identifierPeriods: p.identifierPeriods,
      periods: p.periods,
    }));
    return { people: entries.length, merges, memberships: await memberships.put(records) };
  });
}
