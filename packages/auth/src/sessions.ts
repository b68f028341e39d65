import { createHash, randomBytes } from 'node:crypto';
import type { CredentialRepository, DashboardSessionRepository } from '@cairn/store';
import type { Principal } from './authenticate.js';
import { AuthErrors, UNAUTHORIZED_REASONS } from './errors.js';
import { isScope } from './scope-rules.js';

/** The cookie a signed-in browser carries: an opaque random id, nothing else. */
export const SESSION_COOKIE = 'cairn_session';
/**
 * The header the dashboard's pages send with every request: sign-in and sign-out require it (a
 * cross-site form cannot set it), and a 401 to a request with it carries no Basic challenge, which
 * would make the browser pop up its own password dialog.
 */
export const DASHBOARD_HEADER = 'x-cairn-dashboard';
/** How long a session lasts after sign-in, whatever happens: a working day. */
export const DEFAULT_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * Sessions of browsers signed in with a credential. The cookie carries a random id; the store
 * keeps its digest with the credential's key. Every request reads the credential again, so that a
 * revocation (or a change of scopes) holds from the next request on.
 */
export interface SessionAuthenticator {
  /** Starts a session for a principal that has just authenticated: the cookie's id and expiry. */
  start(principal: Principal): Promise<{ id: string; expiresAt: Date; lifetimeMs: number }>;
  /**
   * The principal behind a session id, with the credential's current scopes; AUTH_ERR_UNAUTHORIZED
   * when the session is unknown or expired or its credential revoked (the session then ends).
   */
  resolve(id: string): Promise<Principal>;
  /** Ends the session (sign-out); an unknown id is no error. */
  end(id: string): Promise<void>;
}

export interface SessionAuthenticatorOptions {
  readonly sessions: DashboardSessionRepository;
  readonly credentials: CredentialRepository;
  readonly ttlMs?: number;
  /** Milliseconds clock, injectable for tests. */
  readonly now?: () => number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Set by a service that serves signed-in browsers (services/reports); when present,
     * {@link requireScope} accepts a session cookie on safe methods as well as HTTP Basic.
     */
    readonly cairnSessions: SessionAuthenticator;
  }
}

const digest = (id: string): string => createHash('sha256').update(id).digest('hex');

// 32 random bytes, base64url: what start() hands out; anything else is not looked up.
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export function createSessionAuthenticator(
  options: SessionAuthenticatorOptions,
): SessionAuthenticator {
  const { sessions, credentials } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const ended = (): Error => new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.sessionEnded);

  return {
    async start(principal) {
      const at = new Date(now());
      // Sweeping here keeps the collection to live sessions without a TTL index.
      await sessions.deleteExpired(at);
      const id = randomBytes(32).toString('base64url');
      const expiresAt = new Date(at.getTime() + ttlMs);
      await sessions.create({
        idHash: digest(id),
        key: principal.key,
        storeId: principal.storeId,
        createdAt: at,
        expiresAt,
      });
      return { id, expiresAt, lifetimeMs: ttlMs };
    },
    async resolve(id) {
      if (!SESSION_ID.test(id)) throw ended();
      const idHash = digest(id);
      const session = await sessions.find(idHash);
      if (session === null) throw ended();
      if (session.expiresAt.getTime() <= now()) {
        await sessions.delete(idHash);
        throw ended();
      }
      const record = await credentials.findByKey(session.key);
      if (record === null || record.storeId !== session.storeId || record.revokedAt !== null) {
        await sessions.delete(idHash);
        throw new AuthErrors.unauthorized(UNAUTHORIZED_REASONS.revoked);
      }
      return Object.freeze({
        key: record.key,
        storeId: record.storeId,
        scopes: Object.freeze(record.scopes.filter(isScope)),
        label: record.label,
      });
    },
    async end(id) {
      if (SESSION_ID.test(id)) await sessions.delete(digest(id));
    },
  };
}

/** The value of cookie `name` in a Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
