import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKey } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';
import { docId } from './statement-keys.js';

/** How long an `Idempotency-Key` is remembered: a day, past any client's retries. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60_000;

/** What a key stands for: the body it was first sent with, and the statement ids given to it. */
export interface IdempotencyClaim {
  /** The ids of the first request with this key, in its order. */
  readonly statementIds: readonly string[];
  /** Whether the body differs from the first request's (the caller refuses the request). */
  readonly sameBody: boolean;
}

/**
 * Port: one store's `Idempotency-Key`s of statement POSTs (docs/pipeline.md, "Retries without
 * ids"). A key maps to the statement ids the LRS gave the first request that carried it, so that
 * a retry of the same body stores the same ids, which the insert deduplicates.
 */
export interface IdempotencyRepository {
  /**
   * Claims `key` for a body (its hash) and the ids proposed for it; if the key is held (and not
   * expired), answers the holder's ids and whether its body is the same.
   */
  claim(
    key: string,
    bodyHash: string,
    statementIds: readonly string[],
    now: Date,
  ): Promise<IdempotencyClaim>;
}

/** Port: expiry of every store's `Idempotency-Key`s (the sweeper; no TTL index, see indexes.ts). */
export interface IdempotencyExpiry {
  /** Forgets keys claimed before `before`, in every store. Returns how many. */
  purge(before: Date): Promise<number>;
}

export function mongoIdempotencyExpiry(db: Db): IdempotencyExpiry {
  const col = db.collection<IdempotencyDoc>(COLLECTIONS.idempotencyKeys);
  return {
    async purge(before) {
      // Served by `at` (indexes.ts): expiry is a sweep, not a TTL index (docs/local-database.md).
      const result = await col.deleteMany({ at: { $lt: before } });
      return result.deletedCount;
    },
  };
}

interface IdempotencyDoc {
  /** {@link docId} of (store, key). */
  _id: string;
  storeId: string;
  bodyHash: string;
  statementIds: string[];
  at: Date;
}

export function mongoIdempotencyRepository(db: Db, storeId: string): IdempotencyRepository {
  const col = db.collection<IdempotencyDoc>(COLLECTIONS.idempotencyKeys);
  return {
    async claim(key, bodyHash, statementIds, now) {
      const doc: IdempotencyDoc = {
        _id: docId(storeId, key),
        storeId,
        bodyHash,
        statementIds: [...statementIds],
        at: now,
      };
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await col.insertOne(doc);
          return { statementIds, sameBody: true };
        } catch (error) {
          if (!isDuplicateKey(error)) throw StoreErrors.wrap(error);
        }
        const held = await col.findOne({ _id: doc._id });
        if (held === null) continue; // purged meanwhile: claim it again
        if (held.at.getTime() >= now.getTime() - IDEMPOTENCY_RETENTION_MS)
          return { statementIds: held.statementIds, sameBody: held.bodyHash === bodyHash };
        // Expired but not purged yet (the local server has no TTL): replace it, unless another
        // request did first.
        const replaced = await col.replaceOne({ _id: doc._id, at: held.at }, doc);
        if (replaced.matchedCount === 1) return { statementIds, sameBody: true };
      }
      throw new StoreErrors.conflict(`Idempotency-Key ${key} is being claimed by other requests`);
    },
  };
}
