import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/**
 * A dashboard session: a browser signed in with a credential. Stored under the SHA-256 digest of
 * its id, so that a read of the collection does not hand out live cookies; holds the credential's
 * key, never its secret.
 */
export interface DashboardSessionRecord {
  /** Hex SHA-256 of the session id the cookie carries. */
  readonly idHash: string;
  /** The credential signed in with; its scopes and revocation are read afresh on each request. */
  readonly key: string;
  readonly storeId: string;
  readonly createdAt: Date;
  /** After this instant the session is over, whatever the credential. */
  readonly expiresAt: Date;
}

/** Port: dashboard sessions across every store (a session names its store). */
export interface DashboardSessionRepository {
  create(session: DashboardSessionRecord): Promise<void>;
  /** The session with this id hash, expired or not; null when there is none. */
  find(idHash: string): Promise<DashboardSessionRecord | null>;
  /** Ends the session; nothing happens when there is none. */
  delete(idHash: string): Promise<void>;
  /** Deletes every session that expired before `now` (no TTL index on the compatibility floor). */
  deleteExpired(now: Date): Promise<number>;
}

interface DashboardSessionDoc {
  _id: string;
  key: string;
  storeId: string;
  createdAt: Date;
  expiresAt: Date;
}

export function mongoDashboardSessionRepository(db: Db): DashboardSessionRepository {
  const col = db.collection<DashboardSessionDoc>(COLLECTIONS.dashboardSessions);
  return {
    async create(s) {
      await col.insertOne({
        _id: s.idHash,
        key: s.key,
        storeId: s.storeId,
        createdAt: s.createdAt,
        expiresAt: s.expiresAt,
      });
    },
    async find(idHash) {
      const d = await col.findOne({ _id: idHash });
      return d === null
        ? null
        : {
            idHash: d._id,
            key: d.key,
            storeId: d.storeId,
            createdAt: d.createdAt,
            expiresAt: d.expiresAt,
          };
    },
    async delete(idHash) {
      await col.deleteOne({ _id: idHash });
    },
    async deleteExpired(now) {
      // Served by the `expires` index (indexes.ts).
      const result = await col.deleteMany({ expiresAt: { $lt: now } });
      return result.deletedCount;
    },
  };
}
