import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/** A credential as stored: the secret only as a slow hash. */
export interface CredentialRecord {
  /** The public half of HTTP Basic credentials; unique across the installation. */
  readonly key: string;
  readonly storeId: string;
  /** Encoded scrypt hash of the secret (see services/lrs for the format). */
  readonly secretHash: string;
  readonly scopes: readonly string[];
  readonly label: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** Port: credentials. */
export interface CredentialRepository {
  /**
   * Creates the credential, or replaces hash, scopes and label of an existing one with the same
   * key and store, so that start-up with the same bootstrap variables is idempotent and a changed
   * secret takes effect. Returns false when the key belongs to another store (nothing changed).
   */
  upsert(credential: CredentialRecord): Promise<boolean>;
  findByKey(key: string): Promise<CredentialRecord | null>;
  /** The credentials of one store, revoked ones included, oldest first. */
  listByStore(storeId: string): Promise<CredentialRecord[]>;
  /**
   * Marks the credential revoked at `now` (an earlier revocation stands). Returns false, changing
   * nothing, when no credential with this key belongs to this store.
   */
  revoke(storeId: string, key: string, now: Date): Promise<boolean>;
}

interface CredentialDoc {
  _id: string;
  storeId: string;
  secretHash: string;
  scopes: string[];
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

function toRecord(d: CredentialDoc): CredentialRecord {
  return {
    key: d._id,
    storeId: d.storeId,
    secretHash: d.secretHash,
    scopes: d.scopes,
    label: d.label,
    createdAt: d.createdAt,
    revokedAt: d.revokedAt,
  };
}

export function mongoCredentialRepository(db: Db): CredentialRepository {
  const col = db.collection<CredentialDoc>(COLLECTIONS.credentials);
  return {
    async upsert(c) {
      const existing = await col.findOne({ _id: c.key });
      if (existing !== null && existing.storeId !== c.storeId) return false;
      await col.updateOne(
        { _id: c.key },
        {
          $set: {
            storeId: c.storeId,
            secretHash: c.secretHash,
            scopes: [...c.scopes],
            label: c.label,
            revokedAt: c.revokedAt,
          },
          $setOnInsert: { createdAt: c.createdAt },
        },
        { upsert: true },
      );
      return true;
    },
    async findByKey(key) {
      const d = await col.findOne({ _id: key });
      return d === null ? null : toRecord(d);
    },
    async listByStore(storeId) {
      // Served by the `store_created` index (indexes.ts).
      const docs = await col.find({ storeId }).sort({ createdAt: 1, _id: 1 }).toArray();
      return docs.map(toRecord);
    },
    async revoke(storeId, key, now) {
      const existing = await col.findOne({ _id: key, storeId });
      if (existing === null) return false;
      if (existing.revokedAt === null) {
        await col.updateOne({ _id: key, storeId, revokedAt: null }, { $set: { revokedAt: now } });
      }
      return true;
    },
  };
}
