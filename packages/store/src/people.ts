import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import type { InverseFunctionalIdentifiers } from '@cairn/xapi';
import { COLLECTIONS } from './collections.js';
import { upsertAll } from './upsert-all.js';

/** What statements said about one agent identifier: see {@link PeopleRepository.record}. */
export interface IdentifierSighting {
  /** Canonical IFI key (`agentKey` of @cairn/xapi): the person first met under it. */
  readonly key: string;
  /** The keys that find the person: its IFI key and, for an mbox, its SHA-1's key. */
  readonly lookupKeys: readonly string[];
  /** The IFI itself, normalised (`normalisedIfi` of @cairn/xapi). */
  readonly ifi: InverseFunctionalIdentifiers;
  /** Names seen with it (only from statements allowed to define agents). */
  readonly names: readonly string[];
}

/** One person as stored: every identifier and name known for them. */
export interface PersonRecord {
  readonly personId: string;
  /** Lookup keys: IFI keys, and the SHA-1 key of every mbox. */
  readonly identifiers: readonly string[];
  /** The IFIs, as Agent properties, to answer with. */
  readonly ifis: readonly InverseFunctionalIdentifiers[];
  readonly names: readonly string[];
}

/**
 * Port: the people of one store (analytics-model.md, section 6: one person, many identifiers).
 * A person is met under one IFI and found by any of its identifiers; until people are merged (an
 * explicit, audited operation that comes with the pipeline), each IFI seen is one person, and
 * readers combine the people that one agent's lookup keys find.
 */
export interface PeopleRepository {
  /**
   * Records sightings: the person met under each key is created with its identifiers, and the
   * names are added to it. Idempotent; never removes anything.
   */
  record(sightings: readonly IdentifierSighting[]): Promise<void>;
  /** Every person having any of these identifiers. */
  findByIdentifiers(keys: readonly string[]): Promise<PersonRecord[]>;
}

interface PersonDoc {
  /** `${storeId}|${personId}`. */
  _id: string;
  storeId: string;
  /** SHA-256 hex of the key the person was first met under: a fixed-length, stable id. */
  personId: string;
  identifiers: string[];
  ifis: InverseFunctionalIdentifiers[];
  /**
   * Absent until a name is known: FerretDB 1.24 leaves an empty array out of a `$setOnInsert`
   * (docs/ferretdb.md), so none is written.
   */
  names?: string[];
}

function personIdOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function mongoPeopleRepository(db: Db, storeId: string): PeopleRepository {
  const col = db.collection<PersonDoc>(COLLECTIONS.people);
  return {
    async record(sightings) {
      const byKey = new Map<string, { sighting: IdentifierSighting; names: Set<string> }>();
      for (const s of sightings) {
        const seen = byKey.get(s.key) ?? { sighting: s, names: new Set<string>() };
        for (const name of s.names) seen.names.add(name);
        byKey.set(s.key, seen);
      }
      await upsertAll(
        col,
        [...byKey.values()].map(({ sighting: s, names }) => {
          const personId = personIdOf(s.key);
          const created = {
            storeId,
            personId,
            identifiers: [...s.lookupKeys],
            ifis: [s.ifi],
          };
          // $addToSet, never a read and a write: processing a batch again adds nothing.
          const update =
            names.size > 0
              ? { $setOnInsert: created, $addToSet: { names: { $each: [...names].sort() } } }
              : { $setOnInsert: created };
          return {
            updateOne: { filter: { _id: `${storeId}|${personId}` }, update, upsert: true },
          };
        }),
      );
    },

    async findByIdentifiers(keys) {
      if (keys.length === 0) return [];
      // Served by store_identifiers.
      const docs = await col.find({ storeId, identifiers: { $in: [...keys] } }).toArray();
      return docs.map((d) => ({
        personId: d.personId,
        identifiers: d.identifiers,
        ifis: d.ifis,
        names: d.names ?? [],
      }));
    },
  };
}
