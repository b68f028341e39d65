import { randomBytes } from 'node:crypto';
import type { CredentialRecord, CredentialRepository } from '@cairn/store';
import { createCredentialCache } from './credential-cache.js';
import { AuthErrors, UNAUTHORIZED_REASONS } from './errors.js';
import { isScope } from './scope-rules.js';
import type { Scope } from './scopes.js';
import { hashSecret, verifySecret } from './secret-hash.js';

/** Who is calling: an authenticated, unrevoked credential. */
export interface Principal {
  readonly key: string;
  /** The only store this principal may read or write. */
  readonly storeId: string;
  /** The credential's scopes that Cairn knows; unknown stored strings are dropped. */
  readonly scopes: readonly Scope[];
  readonly label: string;
}

export interface AuthenticatorOptions {
  readonly credentials: CredentialRepository;
  /** How long a verified credential is cached; see {@link createCredentialCache}. */
  readonly ttlMs?: number;
  readonly maxEntries?: number;
  /** Milliseconds clock, injectable for tests. */
  readonly now?: () => number;
}

export interface Authenticator {
  /**
   * The principal behind an `Authorization` header value, or an `AUTH_ERR_UNAUTHORIZED` error
   * saying what is wrong (never whether a key exists).
   */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Forgets a key's cached verification, e.g. right after this process revoked it. */
  forget(key: string): void;
}

interface BasicCredentials {
  readonly key: string;
  readonly secret: string;
}

// RFC 4648 base64 with padding, as RFC 7617 requires.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Parses `Basic base64(key:secret)`; the key has no colon (RFC 7617), the secret may. */
export function parseBasic(authorization: string | undefined): BasicCredentials {
  const value = authorization?.trim() ?? '';
  if (value === '') throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.missing);
  const space = value.search(/[ \t]/);
  const scheme = space === -1 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') {
    throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.notBasic);
  }
  const token = space === -1 ? '' : value.slice(space).trim();
  if (token === '' || !BASE64.test(token)) {
    throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.malformed);
  }
  let decoded: string;
  try {
    decoded = UTF8.decode(Buffer.from(token, 'base64'));
  } catch {
    throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.malformed);
  }
  const colon = decoded.indexOf(':');
  if (colon === -1) throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.malformed);
  const key = decoded.slice(0, colon);
  if (key === '') throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.emptyKey);
  return { key, secret: decoded.slice(colon + 1) };
}

/**
 * HTTP Basic authentication against the credential store. Secrets are checked with scrypt in
 * constant time, then cached briefly by SHA-256 digest so that scrypt stays off the hot path;
 * after the TTL the stored credential is read again (not re-verified while its hash is
 * unchanged), so a revocation takes effect in every process within the TTL.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { credentials } = options;

  // An unknown key still costs one scrypt, against a hash nobody knows the secret of, so that the
  // response time does not tell whether a key exists.
  let decoy: Promise<string> | undefined;
  const decoyHash = (): Promise<string> =>
    (decoy ??= hashSecret(randomBytes(32).toString('base64url')));

  async function verify(key: string, secret: string): Promise<CredentialRecord | null> {
    const record = await credentials.findByKey(key);
    if (record === null) {
      await verifySecret(secret, await decoyHash());
      return null;
    }
    return (await verifySecret(secret, record.secretHash)) ? record : null;
  }

  const cache = createCredentialCache({
    verify,
    // After the TTL a known secret costs one read, not another scrypt (credential-cache.ts).
    refresh: (key) => credentials.findByKey(key),
    ttlMs: options.ttlMs,
    maxEntries: options.maxEntries,
    now: options.now,
  });

  return {
    async authenticate(authorization) {
      const { key, secret } = parseBasic(authorization);
      const record = await cache.resolve(key, secret);
      if (record === null) throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.invalid);
      // Checked only after the secret, so that only the holder learns the key was revoked.
      if (record.revokedAt !== null) {
        throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.revoked);
      }
      return Object.freeze({
        key: record.key,
        storeId: record.storeId,
        scopes: Object.freeze(record.scopes.filter(isScope)),
        label: record.label,
      });
    },
    forget(key) {
      cache.forget(key);
    },
  };
}
