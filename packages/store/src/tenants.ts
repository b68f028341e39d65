import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { isDuplicateKey } from './duplicate-keys.js';
import { COLLECTIONS } from './collections.js';

/** The store every installation has; the bootstrap credential belongs to it. */
export const DEFAULT_STORE_ID = 'default';

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  /**
   * Web origins whose pages may use this store's credentials (`*`: any); null: the installation's
   * list (CAIRN_CORS_ORIGINS) applies.
   */
  readonly corsOrigins: readonly string[] | null;
}

/** What an update may change; an absent property is left as it is. */
export interface TenantChanges {
  readonly name?: string;
  readonly corsOrigins?: readonly string[] | null;
}

/** Port: the stores (tenants) of this installation. */
export interface TenantRepository {
  /** Creates the store if it does not exist; never changes an existing one. */
  ensure(id: string, name: string, now: Date): Promise<TenantRecord>;
  /** Creates a store with a new id: `st_` and 16 lowercase hex digits (URL-safe, no leading `-`). */
  create(name: string, now: Date): Promise<TenantRecord>;
  get(id: string): Promise<TenantRecord | null>;
  /** Every store, oldest first. */
  list(): Promise<TenantRecord[]>;
  /** Applies the changes; the updated store, or null when it does not exist. */
  update(id: string, changes: TenantChanges): Promise<TenantRecord | null>;
}

interface TenantDoc {
  _id: string;
  name: string;
  createdAt: Date;
  /** Absent on stores made before per-store CORS existed: read as null. */
  corsOrigins?: string[] | null;
}

/** Tries at a fresh id before giving up; with 64 random bits a clash is all but impossible. */
const CREATE_ATTEMPTS = 3;

function newStoreId(): string {
  return `st_${randomBytes(8).toString('hex')}`;
}

export function mongoTenantRepository(db: Db): TenantRepository {
  const col = db.collection<TenantDoc>(COLLECTIONS.stores);
  const toRecord = (d: TenantDoc): TenantRecord => ({
    id: d._id,
    name: d.name,
    createdAt: d.createdAt,
    corsOrigins: d.corsOrigins ?? null,
  });
  return {
    async ensure(id, name, now) {
      await col.updateOne(
        { _id: id },
        { $setOnInsert: { name, createdAt: now } },
        { upsert: true },
      );
      const doc = await col.findOne({ _id: id });
      if (doc === null) throw new Error(`store ${id} vanished right after it was ensured`);
      return toRecord(doc);
    },
    async create(name, now) {
      for (let attempt = 1; ; attempt++) {
        const doc: TenantDoc = { _id: newStoreId(), name, createdAt: now, corsOrigins: null };
        try {
          await col.insertOne(doc);
          return toRecord(doc);
        } catch (error) {
          if (!isDuplicateKey(error) || attempt >= CREATE_ATTEMPTS) throw error;
        }
      }
    },
    async get(id) {
      const doc = await col.findOne({ _id: id });
      return doc === null ? null : toRecord(doc);
    },
    async list() {
      // Served by the `created` index (indexes.ts).
      const docs = await col.find({}).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(toRecord);
    },
    async update(id, changes) {
      const set: Partial<TenantDoc> = {};
      if (changes.name !== undefined) set.name = changes.name;
      if (changes.corsOrigins !== undefined) {
        set.corsOrigins = changes.corsOrigins === null ? null : [...changes.corsOrigins];
      }
      if (Object.keys(set).length === 0) {
        const doc = await col.findOne({ _id: id });
        return doc === null ? null : toRecord(doc);
      }
      const doc = await col.findOneAndUpdate(
        { _id: id },
        { $set: set },
        { returnDocument: 'after' },
      );
      return doc === null ? null : toRecord(doc);
    },
  };
}
