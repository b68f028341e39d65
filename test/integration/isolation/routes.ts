// Which routes the app has, read from the app itself, so that a route added later without an
// isolation case makes every-route.test.ts fail.
//
// Why printRoutes: an `onRoute` hook sees every route as it is added, but it must be registered
// before the routes, and buildApp registers them itself; wrapping buildApp to sneak a hook in
// would test a different app from the one main.ts builds. `app.hasRoute` answers only for a
// route one already names. `printRoutes({ commonPrefix: false })` is public Fastify 5 API and
// lists every (path, methods) of the finished app, HEAD routes included, as a tree:
//
//   ├── /xapi/activities (GET, HEAD, POST)
//   │   ├── /state (GET, HEAD, PUT, POST, DELETE)
//
// where each level of indentation (4 characters) appends its path to its parent's. The parser
// refuses any line it does not understand, and every route it finds is checked back with
// `app.hasRoute`, so a change of that format fails loudly instead of hiding routes.
import type { FastifyInstance } from 'fastify';
import type { Method, Service } from './fixture.js';

export interface Route {
  readonly service: Service;
  readonly method: Method;
  /** The path as registered, parameters as `:name`. */
  readonly url: string;
}

const LINE = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/u;
const METHODS: ReadonlySet<string> = new Set<Method>([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
]);

/**
 * Routes find-my-way prints under another path than the one registered: @fastify/swagger-ui's
 * `/api/v1/docs/static/*` sits in the tree under `static/index.html`'s shared prefix, and is
 * printed as `*` below `/api/v1/docs/`. Checked with `hasRoute` like every other route.
 */
const PRINTED_AS: Readonly<Record<string, string>> = {
  '/api/v1/docs/*': '/api/v1/docs/static/*',
};

/** Every (method, path) of one service's app, from its route tree. */
export function routesOf(service: Service, app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    if (line.trim() === '') continue;
    const m = LINE.exec(line);
    if (m === null)
      throw new Error(`printRoutes printed a line this parser does not know: ${line}`);
    const depth = (m[1] ?? '').length / 4;
    parents.length = depth;
    const url = (parents[depth - 1] ?? '') + (m[2] ?? '');
    parents.push(url);
    for (const method of m[3]?.split(', ') ?? []) {
      // Any other method would need cases of its own: fail rather than skip it.
      if (!METHODS.has(method)) throw new Error(`unexpected method ${method} on ${url}`);
      // The router keeps the catch-all `*` (CORS preflights) as `/*` but prints it as `*`, and
      // prints Swagger UI's static wildcard without its `static/` segment (PRINTED_AS).
      const registered = url === '*' ? '/*' : (PRINTED_AS[url] ?? url);
      if (!app.hasRoute({ method, url: registered })) {
        throw new Error(`parsed ${method} ${url}, which is not a route`);
      }
      routes.push({
        service,
        method: method as Method,
        url: registered === '/*' ? url : registered,
      });
    }
  }
  return routes;
}

/** One route, named by its service too: both services have `/health`. */
export const routeKey = (r: { service?: Service; method: Method; url: string }): string =>
  `${r.service ?? 'lrs'} ${r.method} ${r.url}`;
