import type { FastifyPluginAsync, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Authenticator, Principal } from './authenticate.js';
import { AuthErrors, WWW_AUTHENTICATE } from './errors.js';
import { hasScope, type Access } from './scope-rules.js';
import type { Scope } from './scopes.js';
import { DASHBOARD_HEADER, readCookie, SESSION_COOKIE } from './sessions.js';

// Routes import the plugin's whole surface from here.
export type { Principal } from './authenticate.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller on routes guarded by {@link requireScope}; null elsewhere. */
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Set by the `cairn-auth` plugin; routes use {@link requireScope} rather than this. */
    readonly cairnAuthenticator: Authenticator;
  }
}

export interface AuthPluginOptions {
  readonly authenticator: Authenticator;
}

const authPluginAsync: FastifyPluginAsync<AuthPluginOptions> = async (app, options) => {
  app.decorate('cairnAuthenticator', options.authenticator);
  app.decorateRequest('principal', null);
};

/**
 * HTTP Basic authentication for the services (and, where the app decorates `cairnSessions`, a
 * signed-in browser's session cookie on safe methods; see sessions.ts). Register it once, before the routes; routes that need a
 * credential add `preHandler: requireScope(...)`, the others (about, health) simply don't.
 */
export const authPlugin = fp(authPluginAsync, { name: 'cairn-auth', fastify: '5.x' });

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * The session id a request authenticates with instead of HTTP Basic: only where the app keeps
 * sessions, only without an Authorization header (Basic then works exactly as without sessions),
 * and only on methods that change nothing, so that a cookie alone can never change state.
 */
function sessionOf(request: FastifyRequest): string | undefined {
  if (request.headers.authorization !== undefined) return undefined;
  if (!SAFE_METHODS.has(request.method)) return undefined;
  if (!request.server.hasDecorator('cairnSessions')) return undefined;
  return readCookie(request.headers.cookie, SESSION_COOKIE);
}

/**
 * A preHandler that authenticates the request, sets `request.principal` and lets it through only
 * with a scope implying `scope` (see {@link hasScope}). 401 answers carry
 * `WWW-Authenticate: Basic realm="Cairn"`; a valid credential without the scope gets 403, and so
 * does a request from a web origin its store does not allow (when the app has a `cairnOriginPolicy`,
 * see origin-policy.ts). Then the rate limit, when the app has one.
 *
 * @param access `'read'` for requests that only read a read/write resource (GET state, profiles),
 *   which `all/read` then allows.
 */
export function requireScope(
  scope: Scope,
  access: Access = 'read-write',
): preHandlerAsyncHookHandler {
  return async function requireScopeHook(request, reply) {
    if (!request.server.hasDecorator('cairnAuthenticator')) {
      throw new Error(`requireScope(${scope}) is used but the cairn-auth plugin is not registered`);
    }
    const session = sessionOf(request);
    let principal: Principal;
    try {
      principal =
        session === undefined
          ? await request.server.cairnAuthenticator.authenticate(request.headers.authorization)
          : await request.server.cairnSessions.resolve(session);
    } catch (error) {
      // No Basic challenge to the dashboard: the browser would pop up its own password dialog.
      const dashboard = session !== undefined || request.headers[DASHBOARD_HEADER] !== undefined;
      if (error instanceof AuthErrors.unauthorized && !dashboard) {
        void reply.header('WWW-Authenticate', WWW_AUTHENTICATE);
      }
      throw error;
    }
    request.principal = principal;
    if (!hasScope(principal, scope, access)) {
      const held = principal.scopes.length > 0 ? principal.scopes.join(', ') : '(none)';
      throw new AuthErrors.forbidden(scope, held);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && request.server.hasDecorator('cairnOriginPolicy')) {
      await request.server.cairnOriginPolicy.check(principal.storeId, origin);
    }
    if (request.server.hasDecorator('cairnRateLimit')) {
      await request.server.cairnRateLimit.call(request.server, request, reply);
    }
  };
}
