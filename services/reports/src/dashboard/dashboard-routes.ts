import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  AuthErrors,
  DASHBOARD_HEADER,
  readCookie,
  SESSION_COOKIE,
  type Principal,
} from '@cairn/auth';
import { DashboardErrors } from './dashboard-errors.js';

export interface DashboardRoutesOptions {
  /** The built front-end's directory; null: /dashboard answers 503 saying to build it. */
  readonly root: string | null;
}

/**
 * Only our own scripts, styles, images and API; no framing; no plugins. ECharts draws on a canvas
 * and sets styles through the CSSOM, which style-src does not govern, so no 'unsafe-inline'.
 */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: null,
};

interface SignInBody {
  key: string;
  secret: string;
}

function basicOf(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')}`;
}

/**
 * Cross-site request forgery guard for sign-in and sign-out: the cookie is SameSite=Strict, and
 * the request must also carry our header (a form of another site cannot set one) and, when the
 * browser says where it comes from, come from this very origin.
 */
function sameSiteOnly(request: FastifyRequest): void {
  if (request.headers[DASHBOARD_HEADER] !== '1')
    throw new DashboardErrors.crossSite(
      `state-changing dashboard requests must carry the header ${DASHBOARD_HEADER}: 1`,
    );
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`)
    throw new DashboardErrors.crossSite(`requests from origin ${origin} may not sign in or out`);
}

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

const who = (p: Principal) => ({
  key: p.key,
  label: p.label,
  storeId: p.storeId,
  scopes: p.scopes,
});

/**
 * The dashboard: its static files under /dashboard/ (with strict security headers) and its
 * session: POST /dashboard/session signs in with a credential's key and secret (verified by the
 * app's authenticator, as HTTP Basic would be), GET says who is signed in, DELETE signs out.
 */
export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, options) => {
  // Registered in this plugin's scope: the headers go on the dashboard's responses only.
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP },
    crossOriginEmbedderPolicy: true,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('Cache-Control', 'no-store');
  });

  const sessionIdOf = (request: FastifyRequest): string | undefined =>
    readCookie(request.headers.cookie, SESSION_COOKIE);

  app.post<{ Body: SignInBody }>(
    '/session',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          properties: {
            key: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^:]*$' },
            secret: { type: 'string', minLength: 1, maxLength: 500 },
          },
          required: ['key', 'secret'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      sameSiteOnly(request);
      const principal = await app.cairnAuthenticator.authenticate(
        basicOf(request.body.key, request.body.secret),
      );
      const { id, expiresAt, lifetimeMs } = await app.cairnSessions.start(principal);
      void reply.header('Set-Cookie', sessionCookie(request, id, Math.floor(lifetimeMs / 1000)));
      return { ...who(principal), expiresAt: expiresAt.toISOString() };
    },
  );

  app.get('/session', { schema: { hide: true } }, async (request) => {
    const id = sessionIdOf(request);
    if (id === undefined) throw new DashboardErrors.signedOut('not signed in');
    try {
      return who(await app.cairnSessions.resolve(id));
    } catch (error) {
      if (error instanceof AuthErrors.unauthorized)
        throw new DashboardErrors.signedOut((error as Error).message);
      throw error;
    }
  });

  app.delete('/session', { schema: { hide: true } }, async (request, reply) => {
    sameSiteOnly(request);
    const id = sessionIdOf(request);
    if (id !== undefined) await app.cairnSessions.end(id);
    void reply.header('Set-Cookie', sessionCookie(request, '', 0));
    return reply.code(204).send();
  });

  if (options.root === null) {
    const notBuilt = async (): Promise<never> => {
      throw new DashboardErrors.notBuilt(
        'the dashboard is not built: run `npm run build` (or `npm start`, which builds it)',
      );
    };
    // `/*` answers `/dashboard/` too; `/dashboard` itself redirects there (app.ts).
    app.get('/*', { schema: { hide: true } }, notBuilt);
    return;
  }
  await app.register(fastifyStatic, {
    root: options.root,
    prefix: '/',
    index: 'index.html',
    // Never list the directory; the hashless file names are re-validated on every load.
    list: false,
    cacheControl: false,
  });
};

/** `/dashboard` without the slash: the page's relative asset URLs need it. */
export function redirectToDashboard(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.redirect('/dashboard/', 301);
}
