import { randomUUID } from 'node:crypto';
import {
  IDENTITY_LOCK_LEASE_MS,
  type IdentityActor,
  type IdentityAudit,
  type IdentityChange,
  type IdentityChangeSource,
} from './person-audit.js';
import type { IdentityMap, PersonIdentifiers } from './person-identity.js';
import { canonicalIdentifierKey, identifierGroup, personIdOf, sha1KeyOf } from './person-keys.js';
import { PeopleErrors } from './people-errors.js';

/** Merges and splits, run while the store's identity lock is held (see {@link IdentityChanges}). */
export interface IdentitySession {
  /**
   * Merges the people into the first one (the survivor), audited. Every id must name a person;
   * at least two distinct ones.
   */
  merge(
    personIds: readonly string[],
    actor: IdentityActor,
    source?: IdentityChangeSource,
  ): Promise<IdentityChange>;
  /**
   * Moves `identifiers` (canonical keys) of the person to a new person, audited. An mbox moves
   * with its SHA-1's key and the other way round; the person keeps at least one identifier.
   */
  split(
    personId: string,
    identifiers: readonly string[],
    actor: IdentityActor,
    source?: IdentityChangeSource,
  ): Promise<IdentityChange>;
}

/** Identity changes of one store, one at a time across processes. */
export interface IdentityChanges {
  /**
   * Takes the store's identity lock, finishes any change a dead writer left pending, runs `task`
   * and releases the lock. PEOPLE_ERR_BUSY when another change holds the lock.
   */
  exclusive<T>(task: (session: IdentitySession) => Promise<T>): Promise<T>;
}

export interface IdentityChangesDeps {
  readonly storeId: string;
  readonly map: IdentityMap;
  readonly audit: IdentityAudit;
  readonly now?: () => Date;
}

/**
 * The crash-safe order of one change (docs/identity.md): (1) the audit record, `pending`, with the
 * plan and the people before; (2) the moves, each an idempotent `updateMany` of identifier
 * documents; (3) the record marked `done` with the people after. A writer that dies anywhere
 * leaves either nothing (before 1) or a pending record whose plan the next lock holder runs again.
 */
export function identityChanges(deps: IdentityChangesDeps): IdentityChanges {
  const { storeId, map, audit } = deps;
  const now = deps.now ?? (() => new Date());

  const complete = async (change: IdentityChange): Promise<IdentityChange> => {
    const { from, to, identifiers } = change.plan;
    if (change.kind === 'merge') await map.movePeople(from, to);
    else await map.moveKeys(identifiers ?? [], from[0] ?? '', to);
    const after = await map.identifiersOf([to, ...from]);
    await audit.finish(change.id, after);
    return { ...change, state: 'done', after };
  };

  const ordered = (people: readonly PersonIdentifiers[], ids: readonly string[]) =>
    ids.flatMap((id) => people.filter((p) => p.personId === id));

  const session = (refresh: () => Promise<void>): IdentitySession => ({
    async merge(personIds, actor, source = 'api') {
      const ids = [...new Set(personIds)];
      if (ids.length < 2) {
        throw new PeopleErrors.invalid('a merge needs at least two different people');
      }
      await refresh();
      const before = await map.identifiersOf(ids);
      for (const id of ids) {
        if (!before.some((p) => p.personId === id)) throw new PeopleErrors.notFound(id);
      }
      const [to, ...from] = ids as [string, ...string[]];
      const change: IdentityChange = {
        id: randomUUID(),
        kind: 'merge',
        source,
        state: 'pending',
        actor,
        at: now(),
        plan: { from, to },
        before: ordered(before, ids),
      };
      await audit.begin(change);
      return complete(change);
    },

    async split(personId, identifiers, actor, source = 'api') {
      if (identifiers.length === 0) {
        throw new PeopleErrors.invalid('a split needs at least one identifier to move');
      }
      const keys = identifiers.map((raw) => {
        const key = canonicalIdentifierKey(raw);
        if (key === undefined) {
          throw new PeopleErrors.invalid(`${JSON.stringify(raw)} is not an identifier key`);
        }
        return key;
      });
      await refresh();
      const [person] = await map.identifiersOf([personId]);
      if (person === undefined) throw new PeopleErrors.notFound(personId);
      const own = new Set(person.identifiers);
      const moving = new Set<string>();
      for (const key of keys) {
        if (!own.has(key)) {
          throw new PeopleErrors.invalid(`${key} is not an identifier of person ${personId}`);
        }
        // An mbox and its SHA-1's key are one unit: either one drags the other along.
        for (const k of identifierGroup(key)) if (own.has(k)) moving.add(k);
        for (const k of own) if (sha1KeyOf(k) === key) moving.add(k);
      }
      if (moving.size === own.size) {
        throw new PeopleErrors.invalid(
          `a split must leave person ${personId} at least one identifier; ` +
            `it would move all of them (${[...moving].sort().join(', ')})`,
        );
      }
      const id = randomUUID();
      const change: IdentityChange = {
        id,
        kind: 'split',
        source,
        state: 'pending',
        actor,
        at: now(),
        // Derived from the change's id: running the plan again targets the same new person.
        plan: {
          from: [personId],
          to: personIdOf(`split|${storeId}|${id}`),
          identifiers: [...moving].sort(),
        },
        before: [person],
      };
      await audit.begin(change);
      return complete(change);
    },
  });

  return {
    async exclusive(task) {
      const holder = randomUUID();
      await audit.lock(holder);
      try {
        for (const change of await audit.pending()) await complete(change);
        let refreshed = Date.now();
        const refresh = async (): Promise<void> => {
          if (Date.now() - refreshed < IDENTITY_LOCK_LEASE_MS / 4) return;
          await audit.refresh(holder);
          refreshed = Date.now();
        };
        return await task(session(refresh));
      } finally {
        await audit.unlock(holder);
      }
    },
  };
}
