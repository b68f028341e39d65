import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/** The store every installation has; the bootstrap credential belongs to it. */
export const DEFAULT_STORE_ID = 'default';

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
}

/** Port: the stores (tenants) of this installation. */
export interface TenantRepository {
  /** Creates the store if it does not exist; never changes an existing one. */
  ensure(id: string, name: string, now: Date): Promise<TenantRecord>;
  get(id: string): Promise<TenantRecord | null>;
}

interface TenantDoc {
  _id: string;
  name: string;
  createdAt: Date;
}

export function mongoTenantRepository(db: Db): TenantRepository {
  const col = db.collection<TenantDoc>(COLLECTIONS.stores);
  const toRecord = (d: TenantDoc): TenantRecord => ({
    id: d._id,
    name: d.name,
    createdAt: d.createdAt,
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
    async get(id) {
      const doc = await col.findOne({ _id: id });
      return doc === null ? null : toRecord(doc);
    },
  };
}
