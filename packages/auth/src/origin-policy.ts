/**
 * Checks a credentialed request's Origin against its store. A service that serves web pages
 * decorates its app with one (services/lrs's CORS plugin, as `cairnOriginPolicy`); when the
 * decorator is present, {@link requireScope} calls it once the request is authenticated.
 */
export interface OriginPolicy {
  /** Throws AUTH_ERR_ORIGIN_NOT_ALLOWED (403) when `origin` may not use `storeId`'s credentials. */
  check(storeId: string, origin: string): Promise<void>;
  /** Drops a store's cached list, e.g. right after this process changed it. */
  forget(storeId: string): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Set by a CORS plugin, when the service has one; {@link requireScope} calls it once
     * authenticated, and only when it is registered (check with `hasDecorator`).
     */
    readonly cairnOriginPolicy: OriginPolicy;
  }
}
