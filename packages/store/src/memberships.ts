import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/** A named value of a person in a period (CSV columns that are not identifiers). */
export interface MembershipAttribute {
  readonly name: string;
  readonly value: string;
}

/** Where a person worked from `from` until `to` (exclusive, absent while current), YYYY-MM-DD. */
export interface MembershipPeriod {
  readonly team: string;
  readonly department: string;
  readonly from: string;
  readonly to?: string;
  readonly attributes?: readonly MembershipAttribute[];
}

/** When an identifier was in use (directory accounts have dates), YYYY-MM-DD, `to` exclusive. */
export interface IdentifierPeriod {
  readonly key: string;
  readonly from: string;
  readonly to?: string;
}

/**
 * One directory person as imported (collection `memberships`). It names identifier keys, not a
 * person id: its person is the person of its identifiers when read, so merges and splits never
 * leave it pointing at a person that no longer exists.
 */
export interface MembershipRecord {
  /** The directory's own id of the person. */
  readonly directoryId: string;
  readonly name: string;
  /** The manager's directory id. */
  readonly manager?: string;
  /** Canonical keys, each mbox with its SHA-1's key, sorted. */
  readonly identifiers: readonly string[];
  readonly identifierPeriods: readonly IdentifierPeriod[];
  readonly periods: readonly MembershipPeriod[];
}

/** Port: the directory people of one store. */
export interface MembershipRepository {
  /**
   * Stores the records, replacing those with the same directory ids; writes only those that
   * differ, and answers how many it wrote (0 when importing the same directory again).
   */
  put(records: readonly MembershipRecord[]): Promise<number>;
  /** The records naming any of these identifier keys, by directory id. */
  ofIdentifiers(keys: readonly string[]): Promise<MembershipRecord[]>;
  /**
   * Deletes the directory people having any of these identifier keys (an erasure); returns how
   * many there were.
   */
  deleteOfIdentifiers(keys: readonly string[]): Promise<number>;
  /** Every record of the store, in directory id order (cohort reports read the whole directory). */
  list(): Promise<MembershipRecord[]>;
}

const LIST_BATCH = 1000;

interface MembershipDoc extends MembershipRecord {
  /** `${storeId}|${directoryId}`. */
  _id: string;
  storeId: string;
}

/** The record with its fields in one order, optional ones absent when empty: comparable as JSON. */
function canonical(r: MembershipRecord): MembershipRecord {
  return {
    directoryId: r.directoryId,
    name: r.name,
    ...(r.manager === undefined ? {} : { manager: r.manager }),
    identifiers: [...r.identifiers],
    identifierPeriods: r.identifierPeriods.map((p) => ({
      key: p.key,
      from: p.from,
      ...(p.to === undefined ? {} : { to: p.to }),
    })),
    periods: r.periods.map((p) => ({
      team: p.team,
      department: p.department,
      from: p.from,
      ...(p.to === undefined ? {} : { to: p.to }),
      ...(p.attributes === undefined || p.attributes.length === 0
        ? {}
        : { attributes: p.attributes.map((a) => ({ name: a.name, value: a.value })) }),
    })),
  };
}

export function mongoMembershipRepository(db: Db, storeId: string): MembershipRepository {
  const col = db.collection<MembershipDoc>(COLLECTIONS.memberships);
  const idOf = (directoryId: string): string => `${storeId}|${directoryId}`;
  const recordOf = ({ _id: _, storeId: __, ...record }: MembershipDoc): MembershipRecord =>
    canonical(record);

  return {
    async put(records) {
      if (records.length === 0) return 0;
      const stored = new Map(
        (await col.find({ _id: { $in: records.map((r) => idOf(r.directoryId)) } }).toArray()).map(
          (d) => [d.directoryId, JSON.stringify(recordOf(d))],
        ),
      );
      const changed = records
        .map(canonical)
        .filter((r) => stored.get(r.directoryId) !== JSON.stringify(r));
      if (changed.length === 0) return 0;
      await col.bulkWrite(
        changed.map((r) => ({
          replaceOne: {
            filter: { _id: idOf(r.directoryId) },
            replacement: { storeId, ...r },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      return changed.length;
    },

    async deleteOfIdentifiers(keys) {
      if (keys.length === 0) return 0;
      // Served by store_identifiers.
      return (await col.deleteMany({ storeId, identifiers: { $in: [...new Set(keys)] } }))
        .deletedCount;
    },

    async ofIdentifiers(keys) {
      if (keys.length === 0) return [];
      // Served by store_identifiers.
      const docs = await col
        .find({ storeId, identifiers: { $in: [...new Set(keys)] } })
        .sort({ _id: 1 })
        .toArray();
      return docs.map(recordOf);
    },

    async list() {
      // Served by store_id; paged on _id so that any directory fits the batches.
      const records: MembershipRecord[] = [];
      let after: string | null = null;
      for (;;) {
        const batch: MembershipDoc[] = await col
          .find({ storeId, ...(after === null ? {} : { _id: { $gt: after } }) })
          .sort({ _id: 1 })
          .limit(LIST_BATCH)
          .toArray();
        records.push(...batch.map(recordOf));
        const last = batch[batch.length - 1];
        if (batch.length < LIST_BATCH || last === undefined) return records;
        after = last._id;
      }
    },
  };
}
