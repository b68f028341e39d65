import { createHash, timingSafeEqual } from 'node:crypto';
import type { CredentialRecord } from '@cairn/store';

/** The slow check: the credential when key and secret match, else null (unknown key or wrong secret). */
export type VerifyCredential = (key: string, secret: string) => Promise<CredentialRecord | null>;

/** The credential as stored now, or null when there is none: a read, no secret checked. */
export type RefreshCredential = (key: string) => Promise<CredentialRecord | null>;

export interface CredentialCacheOptions {
  readonly verify: VerifyCredential;
  /**
   * When an entry expires and the same secret comes again, the stored credential is read again
   * instead of verified again: while its secret hash is the one this secret was verified
   * against, the secret still matches, and the fresh record carries any revocation. Only a
   * changed hash (or a vanished key) costs a full verification. Absent: always verify.
   */
  readonly refresh?: RefreshCredential | undefined;
  /**
   * How long a verified credential is trusted without asking the store again. Short, because a
   * revocation reaches the other processes only when their entry expires. 0 disables caching.
   */
  readonly ttlMs?: number | undefined;
  /** Bound on cached keys; the oldest entry is evicted first. */
  readonly maxEntries?: number | undefined;
  /** Milliseconds clock, injectable for tests. */
  readonly now?: (() => number) | undefined;
}

export interface CredentialCache {
  /**
   * The credential for this key and secret: from the cache when this very secret was verified for
   * this key less than the TTL ago, else from `verify`. Concurrent calls for the same key and secret
   * share one verification. Only successes are cached: a wrong secret never replaces a good entry.
   */
  resolve(key: string, secret: string): Promise<CredentialRecord | null>;
  /** Drops a key, e.g. right after this process changed or revoked it. */
  forget(key: string): void;
  /** Cached keys, expired or not (expired ones go when evicted or no longer match). */
  readonly size: number;
}

export const DEFAULT_CREDENTIAL_TTL_MS = 5_000;
export const DEFAULT_CREDENTIAL_CACHE_ENTRIES = 10_000;

interface Entry {
  readonly record: CredentialRecord;
  /** SHA-256 of the secret that was verified: enough to recognise it again, useless to replay. */
  readonly digest: Buffer;
  readonly expiresAt: number;
}

function digestOf(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Keeps scrypt off the hot path: a request whose key and secret were verified moments ago is
 * answered from memory. The secret itself is never kept, only its SHA-256, compared in constant
 * time.
 */
export function createCredentialCache(options: CredentialCacheOptions): CredentialCache {
  const ttlMs = options.ttlMs ?? DEFAULT_CREDENTIAL_TTL_MS;
  const maxEntries = options.maxEntries ?? DEFAULT_CREDENTIAL_CACHE_ENTRIES;
  const now = options.now ?? Date.now;
  const { verify, refresh } = options;
  if (!Number.isFinite(ttlMs) || ttlMs < 0) {
    throw new RangeError(`ttlMs must be a finite number >= 0, got ${ttlMs}`);
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be an integer >= 1, got ${maxEntries}`);
  }

  // Map iteration order is insertion order, so the first key is the oldest entry.
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<CredentialRecord | null>>();

  function remember(key: string, record: CredentialRecord, digest: Buffer): void {
    if (ttlMs === 0) return;
    entries.delete(key);
    entries.set(key, { record, digest, expiresAt: now() + ttlMs });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  }

  /**
   * The entry for this key when it was made with this very secret: `fresh` within the TTL,
   * `stale` after it (kept for {@link CredentialCacheOptions.refresh}).
   */
  function cached(key: string, digest: Buffer): { entry: Entry; fresh: boolean } | undefined {
    const entry = entries.get(key);
    if (entry === undefined || !timingSafeEqual(entry.digest, digest)) return undefined;
    const fresh = now() < entry.expiresAt;
    if (!fresh && refresh === undefined) {
      entries.delete(key);
      return undefined;
    }
    return { entry, fresh };
  }

  /** The stored credential, if its hash is still the one `entry`'s secret was verified against. */
  async function refreshed(
    key: string,
    secret: string,
    entry: Entry,
    read: RefreshCredential,
  ): Promise<CredentialRecord | null> {
    const record = await read(key);
    if (record !== null && record.secretHash === entry.record.secretHash) return record;
    entries.delete(key);
    return verify(key, secret);
  }

  return {
    async resolve(key, secret) {
      const digest = digestOf(secret);
      const hit = cached(key, digest);
      if (hit?.fresh === true) return hit.entry.record;

      // The digest leads so that no key can forge another pair's slot; it has a fixed length.
      const slot = `${digest.toString('hex')}:${key}`;
      const pending = inFlight.get(slot);
      if (pending !== undefined) return pending;

      // Starting from a resolved promise keeps even a synchronous throw in `verify` after the
      // slot is taken, so the slot is always released.
      const stale = hit?.entry;
      const verification = Promise.resolve()
        .then(() =>
          stale !== undefined && refresh !== undefined
            ? refreshed(key, secret, stale, refresh)
            : verify(key, secret),
        )
        .then((record) => {
          if (record !== null) remember(key, record, digest);
          return record;
        })
        .finally(() => inFlight.delete(slot));
      inFlight.set(slot, verification);
      return verification;
    },
    forget(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
