import { AuthErrors, type OriginPolicy } from '@cairn/auth';
import cors from '@fastify/cors';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { originAllowed } from './origins.js';

export interface CorsOptions {
  /**
   * The installation's list (CAIRN_CORS_ORIGINS): the origins that get CORS headers, preflights
   * included, and the bound no store can widen. `['*']`: any origin.
   */
  readonly origins: readonly string[];
  /** A store's own list, or null when it has none (the installation's then applies). */
  readonly storeOrigins: (storeId: string) => Promise<readonly string[] | null>;
  /**
   * How long a store's list is used without asking the store again: a change reaches the other
   * processes within this time. Default 5 s, like verified credentials.
   */
  readonly ttlMs?: number;
}

/** Response headers a page's script may read: the ones xAPI clients need. */
const EXPOSED_HEADERS = [
  'ETag',
  'Last-Modified',
  'Location',
  'Retry-After',
  'X-Experience-API-Version',
  'X-Experience-API-Consistent-Through',
];

/** Preflights are answered for every method a route has; the admin API uses PATCH. */
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'];

/** Browsers cache a preflight for at most this long (Chrome caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_S = 600;

interface CachedList {
  readonly origins: readonly string[] | null;
}

const corsPluginAsync: FastifyPluginAsync<CorsOptions> = async (app, options) => {
  const installation = [...options.origins];
  await app.register(cors, {
    // Reflects an allowed origin (with Vary: Origin). xAPI content sends its credential in the
    // Authorization header, which its script holds.
    origin: (origin, callback) => {
      callback(null, origin !== undefined && originAllowed(installation, origin));
    },
    methods: METHODS,
    // allowedHeaders is left out on purpose: the preflight's requested headers are reflected, so
    // xAPI clients that add their own headers keep working; authorisation is per request anyway.
    exposedHeaders: EXPOSED_HEADERS,
    // No Access-Control-Allow-Credentials: a browser that once answered the Basic prompt keeps
    // that credential and would attach it to another site's `withCredentials` requests, letting
    // the site read the answers. Without the header, such requests fail instead.
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_S,
  });

  const lists = new LRUCache<string, CachedList>({
    max: 10_000,
    ttl: options.ttlMs ?? 5_000,
    // Concurrent requests of one store share one lookup.
    fetchMethod: async (storeId) => ({ origins: await options.storeOrigins(storeId) }),
  });

  // The decorator @cairn/auth declares and its requireScope calls once a request is authenticated.
  app.decorate('cairnOriginPolicy', {
    async check(storeId, origin) {
      const own = (await lists.fetch(storeId))?.origins ?? null;
      // The installation's list bounds every store, so that a request no preflight would let
      // through (a "simple" POST) is refused too, before it changes anything.
      const allowed =
        originAllowed(installation, origin) && (own === null || originAllowed(own, origin));
      if (!allowed) throw new AuthErrors.originNotAllowed(origin);
    },
    forget(storeId) {
      lists.delete(storeId);
    },
  } satisfies OriginPolicy);
};

/**
 * CORS, so that courses running in a browser can post. Preflights and CORS headers follow the
 * installation's list (a preflight carries no credential, so no store is known yet); once a
 * request is authenticated, {@link requireScope} refuses an Origin its store does not allow.
 * Requests without an Origin header (servers, command-line tools) are not concerned.
 */
export const corsPlugin = fp(corsPluginAsync, {
  name: 'cairn-cors',
  fastify: '5.x',
  dependencies: ['cairn-auth'],
});
