import type { Db } from 'mongodb';
import type { InverseFunctionalIdentifiers } from '@cairn/xapi';
import { agentKey } from '@cairn/xapi';
import { COLLECTIONS } from './collections.js';
import {
  MAX_AUDIT_RECORDS,
  mongoIdentityAudit,
  type IdentityActor,
  type IdentityChange,
} from './person-audit.js';
import { identityChanges, type IdentitySession } from './person-changes.js';
import { mongoIdentityMap, type PersonIdentifiers } from './person-identity.js';
import { identifierGroup, personIdOf } from './person-keys.js';
import {
  sumPersonSkillDays,
  type PersonSkillDay,
  type SkillDayRange,
} from './person-skill-days.js';
import { mongoSkillDayRepository } from './skill-days.js';
import { upsertAll } from './upsert-all.js';

/** What statements said about one agent identifier: see {@link PeopleRepository.record}. */
export interface IdentifierSighting {
  /** Canonical IFI key (`agentKey` of @cairn/xapi): the identifier seen. */
  readonly key: string;
  /** The keys that find the person: its IFI key and, for an mbox, its SHA-1's key. */
  readonly lookupKeys: readonly string[];
  /** The IFI itself, normalised (`normalisedIfi` of @cairn/xapi). */
  readonly ifi: InverseFunctionalIdentifiers;
  /** Names seen with it (only from statements allowed to define agents). */
  readonly names: readonly string[];
}

/** One person: every identifier key it has, and what statements said under them. */
export interface PersonRecord {
  readonly personId: string;
  /** Canonical identifier keys, sorted: IFI keys, and the SHA-1 key of every mbox. */
  readonly identifiers: readonly string[];
  /** The IFIs statements used, as Agent properties, to answer with. */
  readonly ifis: readonly InverseFunctionalIdentifiers[];
  /** Names statements gave, sorted. */
  readonly names: readonly string[];
}

/** A page of people in person id order; `next` is the `after` of the next page, if any. */
export interface PersonPage {
  readonly people: readonly PersonRecord[];
  readonly next: string | null;
}

/**
 * Port: the people of one store (docs/analytics-core.md, section 6; docs/identity.md). A person
 * is a set of identifier keys; every key known to the store belongs to exactly one person. People
 * change only by explicit, audited merges and splits (and directory imports, which merge).
 */
export interface PeopleRepository {
  /**
   * Records sightings: each key without a person gets one (the person of its mbox or hash if that
   * has one, else a new one), and the names and IFI seen are kept. Idempotent; never moves a key.
   */
  record(sightings: readonly IdentifierSighting[]): Promise<void>;
  /** Every person having any of these identifiers, with all their identifiers. */
  findByIdentifiers(keys: readonly string[]): Promise<PersonRecord[]>;
  /** The person id of each known key (batched); unknown keys are absent. */
  resolve(keys: readonly string[]): Promise<Map<string, string>>;
  /** Gives canonical keys that have no person one (each mbox with its SHA-1's key). */
  ensureIdentifiers(keys: readonly string[]): Promise<void>;
  get(personId: string): Promise<PersonRecord | null>;
  list(options: { readonly after?: string; readonly limit: number }): Promise<PersonPage>;
  /** Merges the people into the first one; see {@link IdentitySession.merge}. */
  merge(personIds: readonly string[], actor: IdentityActor): Promise<IdentityChange>;
  /** Moves identifiers to a new person; see {@link IdentitySession.split}. */
  split(
    personId: string,
    identifiers: readonly string[],
    actor: IdentityActor,
  ): Promise<IdentityChange>;
  /** Runs several changes under one hold of the store's identity lock (directory import). */
  exclusive<T>(task: (session: IdentitySession) => Promise<T>): Promise<T>;
  /** The audited changes that involved a person, latest first (at most `limit`, max 200). */
  audit(personId: string, limit?: number): Promise<IdentityChange[]>;
  /**
   * The person's skill-day buckets: the sums of the buckets of its identifiers, per (skill, day,
   * source, kind). Null for an unknown person.
   */
  personSkillDays(personId: string, range?: SkillDayRange): Promise<PersonSkillDay[] | null>;
  /**
   * Forgets a person (an erasure, docs/identity.md): its identifier keys, the profiles (IFIs and
   * names) of `identifiers`, and the audited merges and splits that involved it, under the
   * store's identity lock (PEOPLE_ERR_BUSY while another change holds it). Idempotent.
   */
  erase(personId: string, identifiers: readonly string[]): Promise<PersonErasure>;
}

/** What {@link PeopleRepository.erase} deleted. */
export interface PersonErasure {
  readonly identifiers: number;
  readonly profiles: number;
  readonly auditRecords: number;
}

/** What statements said under one IFI (collection `people`): names and the IFI, not identity. */
interface ProfileDoc {
  /** `${storeId}|${sha256(key)}`. */
  _id: string;
  storeId: string;
  /** Lookup keys: the IFI key first, then the SHA-1 key of an mbox. */
  identifiers: string[];
  ifis: InverseFunctionalIdentifiers[];
  /** Absent until a name is known (profiles written before names were recorded have none). */
  names?: string[];
}

export function mongoPeopleRepository(db: Db, storeId: string): PeopleRepository {
  const profiles = db.collection<ProfileDoc>(COLLECTIONS.people);
  const map = mongoIdentityMap(db, storeId);
  const audit = mongoIdentityAudit(db, storeId);
  const changes = identityChanges({ storeId, map, audit });

  /** People with the IFIs and names of their profiles. */
  const withProfiles = async (people: readonly PersonIdentifiers[]): Promise<PersonRecord[]> => {
    const personOf = new Map(people.flatMap((p) => p.identifiers.map((k) => [k, p] as const)));
    // Served by store_identifiers.
    const docs =
      personOf.size === 0
        ? []
        : await profiles.find({ storeId, identifiers: { $in: [...personOf.keys()] } }).toArray();
    const found = new Map(
      people.map((p) => [
        p.personId,
        { ifis: new Map<string, InverseFunctionalIdentifiers>(), names: new Set<string>() },
      ]),
    );
    for (const d of docs) {
      const owner = personOf.get(d.identifiers[0] ?? '');
      const facts = owner === undefined ? undefined : found.get(owner.personId);
      if (facts === undefined) continue;
      for (const ifi of d.ifis) facts.ifis.set(agentKey(ifi), ifi);
      for (const name of d.names ?? []) facts.names.add(name);
    }
    return people.map((p) => {
      const facts = found.get(p.personId);
      const ifiKeys = [...(facts?.ifis.keys() ?? [])].sort();
      return {
        personId: p.personId,
        identifiers: p.identifiers,
        ifis: ifiKeys.flatMap((k) => facts?.ifis.get(k) ?? []),
        names: [...(facts?.names ?? [])].sort(),
      };
    });
  };

  const get = async (personId: string): Promise<PersonRecord | null> => {
    const [person] = await withProfiles(await map.identifiersOf([personId]));
    return person ?? null;
  };

  return {
    async record(sightings) {
      // Identity first: the keys' person, insert-only, so it never races a merge or split.
      await map.ensure(sightings.map((s) => s.lookupKeys));
      const byKey = new Map<string, { sighting: IdentifierSighting; names: Set<string> }>();
      for (const s of sightings) {
        const seen = byKey.get(s.key) ?? { sighting: s, names: new Set<string>() };
        for (const name of s.names) seen.names.add(name);
        byKey.set(s.key, seen);
      }
      await upsertAll(
        profiles,
        [...byKey.values()].map(({ sighting: s, names }) => {
          const created = { storeId, identifiers: [...s.lookupKeys], ifis: [s.ifi] };
          // $addToSet, never a read and a write: processing a batch again adds nothing.
          const update =
            names.size > 0
              ? { $setOnInsert: created, $addToSet: { names: { $each: [...names].sort() } } }
              : { $setOnInsert: created };
          return {
            updateOne: {
              filter: { _id: `${storeId}|${personIdOf(s.key)}` },
              update,
              upsert: true,
            },
          };
        }),
      );
    },

    async findByIdentifiers(keys) {
      const personIds = [...new Set((await map.resolve(keys)).values())];
      return withProfiles(await map.identifiersOf(personIds));
    },

    resolve: (keys) => map.resolve(keys),

    ensureIdentifiers: (keys) => map.ensure(keys.map(identifierGroup)),

    get,

    async list({ after, limit }) {
      const people = await map.page(after, limit + 1);
      const page = people.slice(0, limit);
      const last = page[page.length - 1];
      return {
        people: await withProfiles(page),
        next: people.length > limit && last !== undefined ? last.personId : null,
      };
    },

    merge: (personIds, actor) => changes.exclusive((s) => s.merge(personIds, actor)),

    split: (personId, identifiers, actor) =>
      changes.exclusive((s) => s.split(personId, identifiers, actor)),

    exclusive: (task) => changes.exclusive(task),

    audit: (personId, limit = MAX_AUDIT_RECORDS) => audit.ofPerson(personId, limit),

    erase: (personId, identifiers) =>
      changes.exclusive(async () => {
        const keys = [...new Set(identifiers)];
        // Served by store_identifiers.
        const gone =
          keys.length === 0
            ? 0
            : (await profiles.deleteMany({ storeId, identifiers: { $in: keys } })).deletedCount;
        const auditRecords = await audit.forgetPerson(personId);
        // The keys last: while they remain, a retry still finds the person to erase.
        const removed = await map.deletePerson(personId);
        return { identifiers: removed, profiles: gone, auditRecords };
      }),

    async personSkillDays(personId, range = {}) {
      const [person] = await map.identifiersOf([personId]);
      if (person === undefined) return null;
      const days = await mongoSkillDayRepository(db, storeId).ofSubjects(person.identifiers, range);
      return sumPersonSkillDays(days);
    },
  };
}
