import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { insertNew } from './duplicate-keys.js';
import { homePersonId } from './person-keys.js';

/**
 * One identifier key and the person it belongs to. The `_id` is (store, key), so a key belongs to
 * exactly one person by construction: the only unique key of the collection.
 */
interface IdentifierDoc {
  /** `${storeId}|${key}`. */
  _id: string;
  storeId: string;
  key: string;
  personId: string;
}

/** A person as a set of identifier keys. */
export interface PersonIdentifiers {
  readonly personId: string;
  /** Sorted. */
  readonly identifiers: readonly string[];
}

/** The identifier map of one store: which person each identifier key belongs to. */
export interface IdentityMap {
  /** The person of each known key; unknown keys are absent. One read. */
  resolve(keys: readonly string[]): Promise<Map<string, string>>;
  /**
   * Gives every key of each group a person, where it has none: the person of a key of its group
   * that has one, else the group's home person. Insert-only: never moves a key that has a person,
   * so it cannot undo a merge or split running beside it.
   */
  ensure(groups: readonly (readonly string[])[]): Promise<void>;
  /** The identifier keys of each person that has any, sorted by person id. */
  identifiersOf(personIds: readonly string[]): Promise<PersonIdentifiers[]>;
  /** A page of people in person id order, after `after`. */
  page(after: string | undefined, limit: number): Promise<PersonIdentifiers[]>;
  /** Moves every key of the `from` people to `to`. Idempotent. */
  movePeople(from: readonly string[], to: string): Promise<void>;
  /** Moves `keys` from person `from` to `to` (keys elsewhere are left alone). Idempotent. */
  moveKeys(keys: readonly string[], from: string, to: string): Promise<void>;
  /** Deletes every key of the person (an erasure); returns how many there were. Idempotent. */
  deletePerson(personId: string): Promise<number>;
}

export function mongoIdentityMap(db: Db, storeId: string): IdentityMap {
  const col = db.collection<IdentifierDoc>(COLLECTIONS.personIdentifiers);
  const idOf = (key: string): string => `${storeId}|${key}`;

  const resolve = async (keys: readonly string[]): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    if (keys.length === 0) return found;
    // By _id: a key lookup on every server.
    const docs = await col
      .find({ _id: { $in: [...new Set(keys)].map(idOf) } }, { projection: { key: 1, personId: 1 } })
      .toArray();
    for (const d of docs) found.set(d.key, d.personId);
    return found;
  };

  const group = (docs: readonly IdentifierDoc[]): PersonIdentifiers[] => {
    const byPerson = new Map<string, string[]>();
    for (const d of docs) {
      const keys = byPerson.get(d.personId) ?? [];
      keys.push(d.key);
      byPerson.set(d.personId, keys);
    }
    return [...byPerson.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([personId, keys]) => ({ personId, identifiers: keys.sort() }));
  };

  return {
    resolve,

    async ensure(groups) {
      const existing = await resolve(groups.flat());
      const planned = new Map<string, IdentifierDoc>();
      for (const g of groups) {
        const personOf = (k: string): string | undefined =>
          existing.get(k) ?? planned.get(k)?.personId;
        const missing = g.filter((k) => personOf(k) === undefined);
        if (missing.length === 0) continue;
        const personId =
          g.map(personOf).find((p): p is string => p !== undefined) ?? homePersonId(g);
        for (const key of missing) planned.set(key, { _id: idOf(key), storeId, key, personId });
      }
      // A key another writer inserted meanwhile keeps that writer's person (11000 is "taken").
      await insertNew(col, [...planned.values()]);
    },

    async identifiersOf(personIds) {
      if (personIds.length === 0) return [];
      // Served by store_person.
      const docs = await col
        .find({ storeId, personId: { $in: [...new Set(personIds)] } })
        .sort({ personId: 1, _id: 1 })
        .toArray();
      return group(docs);
    },

    async page(after, limit) {
      const docs: IdentifierDoc[] = [];
      const people = new Set<string>();
      // Served by store_person; the cursor is closed when the page is full.
      const cursor = col
        .find({ storeId, ...(after === undefined ? {} : { personId: { $gt: after } }) })
        .sort({ personId: 1, _id: 1 });
      for await (const d of cursor) {
        if (!people.has(d.personId) && people.size === limit) break;
        people.add(d.personId);
        docs.push(d);
      }
      await cursor.close();
      return group(docs);
    },

    async movePeople(from, to) {
      await col.updateMany({ storeId, personId: { $in: [...from] } }, { $set: { personId: to } });
    },

    async deletePerson(personId) {
      // Served by store_person.
      return (await col.deleteMany({ storeId, personId })).deletedCount;
    },

    async moveKeys(keys, from, to) {
      await col.updateMany(
        { _id: { $in: keys.map(idOf) }, personId: from },
        { $set: { personId: to } },
      );
    },
  };
}
