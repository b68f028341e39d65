// CORS: courses running in a browser post to Cairn. Preflights follow the installation's list
// (CAIRN_CORS_ORIGINS; a preflight carries no credential), and once a request is authenticated its
// store's own list, set through the admin API, decides. Requests without Origin (servers, tools)
// are never concerned.
import t from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEFAULT_STORE_ID } from '@cairn/store';
import { buildApp } from '@cairn/lrs';
import { buildTestApp } from '../helpers/build-test-app.js';
import { basicAuth } from '../helpers/credentials.js';
import { pollUntil } from '../helpers/poll.js';
import { testResources } from '../helpers/test-resources.js';

const COURSE = 'https://courses.example.com';
const OTHER = 'https://elsewhere.example.net';

function statement(): object {
  return {
    actor: { objectType: 'Agent', mbox: 'mailto:ada@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { objectType: 'Activity', id: 'https://courses.example.com/intro' },
  };
}

function post(
  app: FastifyInstance,
  authorization: string,
  origin?: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: {
      authorization,
      'x-experience-api-version': '1.0.3',
      ...(origin === undefined ? {} : { origin }),
    },
    payload: statement(),
  });
}

function preflight(app: FastifyInstance, origin: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'OPTIONS',
    url: '/xapi/statements',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-experience-api-version',
    },
  });
}

async function countStatements(app: FastifyInstance, authorization: string): Promise<number> {
  const res = await app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: { authorization, 'x-experience-api-version': '1.0.3' },
  });
  return res.json<{ statements: unknown[] }>().statements.length;
}

const notAllowed = (origin: string): object => ({
  statusCode: 403,
  error: 'Forbidden',
  code: 'AUTH_ERR_ORIGIN_NOT_ALLOWED',
  message: `requests from origin ${origin} are not allowed for this credential's store`,
});

t.test('by default any origin may call: preflight, headers exposed to the page', async (t) => {
  const { app, store } = await buildTestApp(t);
  const auth = await basicAuth(store, 'store-cors-default', ['all']);

  const pre = await preflight(app, COURSE);
  t.equal(pre.statusCode, 204);
  t.equal(pre.headers['access-control-allow-origin'], COURSE);
  t.equal(pre.headers['access-control-allow-methods'], 'GET, HEAD, PUT, POST, DELETE, PATCH');
  t.equal(
    pre.headers['access-control-allow-headers'],
    'authorization,content-type,x-experience-api-version',
  );
  t.equal(pre.headers['access-control-max-age'], '600');

  const res = await post(app, auth, COURSE);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['access-control-allow-origin'], COURSE);
  t.match(res.headers['vary'], /Origin/);
  // A credential the browser remembers from a Basic prompt is never lent to another site.
  t.equal(res.headers['access-control-allow-credentials'], undefined);
  t.equal(pre.headers['access-control-allow-credentials'], undefined);
  t.equal(
    res.headers['access-control-expose-headers'],
    'ETag, Last-Modified, Location, Retry-After, X-Experience-API-Version, X-Experience-API-Consistent-Through',
  );
  // About needs no credential and is served cross-origin too.
  const about = await app.inject({ method: 'GET', url: '/xapi/about', headers: { origin: OTHER } });
  t.equal(about.statusCode, 200);
  t.equal(about.headers['access-control-allow-origin'], OTHER);
});

t.test('an installation list bounds every store; a refused request stores nothing', async (t) => {
  const { app, store } = await buildTestApp(t, { corsOrigins: [COURSE] });
  const auth = await basicAuth(store, 'store-cors-bounded', ['all']);

  const pre = await preflight(app, OTHER);
  t.equal(pre.headers['access-control-allow-origin'], undefined, 'no CORS grant for OTHER');

  // A browser would not send this after the failed preflight; a page could still try a form post.
  const refused = await post(app, auth, OTHER);
  t.equal(refused.statusCode, 403);
  t.strictSame(refused.json(), notAllowed(OTHER));
  t.equal(await countStatements(app, auth), 0, 'nothing stored');

  t.equal((await post(app, auth, COURSE)).statusCode, 200);
  t.equal((await post(app, auth)).statusCode, 200, 'no Origin: not a browser, not concerned');
  t.equal(await countStatements(app, auth), 2);
});

t.test(
  'a store narrows the list through the admin API; other stores are not affected',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const admin = await basicAuth(store, DEFAULT_STORE_ID, ['admin']);
    const created = await app.inject({
      method: 'POST',
      url: '/admin/v1/stores',
      headers: { authorization: admin },
      payload: { name: 'Courses' },
    });
    const storeId = created.json<{ id: string }>().id;
    t.equal(created.json<{ corsOrigins: unknown }>().corsOrigins, null, 'new stores inherit');
    const narrowed = await basicAuth(store, storeId, ['all']);
    const neighbour = await basicAuth(store, 'store-cors-neighbour', ['all']);

    const patch = (payload: object, authorization = admin): Promise<LightMyRequestResponse> =>
      app.inject({
        method: 'PATCH',
        url: `/admin/v1/stores/${storeId}`,
        headers: { authorization },
        payload,
      });

    const set = await patch({ corsOrigins: [COURSE] });
    t.equal(set.statusCode, 200);
    t.strictSame(set.json<{ corsOrigins: unknown }>().corsOrigins, [COURSE]);

    // This process applies the change at once.
    t.strictSame((await post(app, narrowed, OTHER)).json(), notAllowed(OTHER));
    t.equal((await post(app, narrowed, COURSE)).statusCode, 200);
    t.equal((await post(app, neighbour, OTHER)).statusCode, 200, 'the neighbour still inherits *');
    t.equal(await countStatements(app, narrowed), 1);

    const renamed = await patch({ name: 'Courses (EU)' });
    t.strictSame(renamed.json<{ name: string; corsOrigins: unknown }>(), {
      ...renamed.json<object>(),
      name: 'Courses (EU)',
      corsOrigins: [COURSE],
    });

    const inherit = await patch({ corsOrigins: null });
    t.equal(inherit.json<{ corsOrigins: unknown }>().corsOrigins, null);
    t.equal((await post(app, narrowed, OTHER)).statusCode, 200, 'back to the installation list');
  },
);

t.test('bad origin lists are refused with the problem named, nothing changed', async (t) => {
  const { app, store } = await buildTestApp(t);
  const admin = await basicAuth(store, DEFAULT_STORE_ID, ['admin']);
  const storeId = (
    await app.inject({
      method: 'POST',
      url: '/admin/v1/stores',
      headers: { authorization: admin },
      payload: { name: 'Strict' },
    })
  ).json<{ id: string }>().id;
  const patch = (payload: unknown, id = storeId): Promise<LightMyRequestResponse> =>
    app.inject({
      method: 'PATCH',
      url: `/admin/v1/stores/${id}`,
      headers: { authorization: admin, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const invalid = (message: string): object => ({
    statusCode: 400,
    error: 'Bad Request',
    code: 'ADMIN_ERR_INVALID',
    message,
  });

  t.strictSame(
    (await patch({ corsOrigins: ['https://courses.example.com/launch'] })).json(),
    invalid(
      'corsOrigins "https://courses.example.com/launch" is not an origin as browsers send it; did you mean "https://courses.example.com"?',
    ),
  );
  t.strictSame(
    (await patch({ corsOrigins: ['*', COURSE] })).json(),
    invalid('corsOrigins * allows every origin and cannot be combined with others'),
  );
  t.strictSame(
    (await patch({ corsOrigins: [] })).json(),
    invalid('corsOrigins must list at least one origin, or *'),
  );
  const empty = await patch({});
  t.equal(empty.statusCode, 400);
  t.equal(empty.json<{ code: string }>().code, 'FST_ERR_VALIDATION');
  const unknownProperty = await patch({ origins: [COURSE] });
  t.equal(unknownProperty.statusCode, 400);
  t.equal(
    unknownProperty.json<{ message: string }>().message,
    "body must NOT have additional property 'origins'",
  );
  const missing = await patch({ corsOrigins: [COURSE] }, 'st_0000000000000000');
  t.equal(missing.statusCode, 404);
  t.equal(missing.json<{ code: string }>().code, 'ADMIN_ERR_STORE_NOT_FOUND');

  const after = await store.tenants.get(storeId);
  t.equal(after?.corsOrigins, null, 'nothing changed');
  t.equal(after?.name, 'Strict');
});

t.test('a change reaches another process within seconds', async (t) => {
  const r = await testResources(t);
  const storeId = 'store-cors-two-processes';
  const auth = await basicAuth(r.store, storeId, ['all']);
  const other = await buildApp({
    store: r.store,
    pipeline: { enqueue: async () => undefined },
    checks: [],
    productVersion: '0.0.0-test',
  });
  t.teardown(() => other.close());
  t.equal((await post(other, auth, OTHER)).statusCode, 200, 'the list is now cached');

  await r.store.tenants.update(storeId, { corsOrigins: [COURSE] });
  const refused = await pollUntil('the other process to refuse OTHER', async () => {
    const res = await post(other, auth, OTHER);
    return res.statusCode === 403 ? res : undefined;
  });
  t.strictSame(refused.json(), notAllowed(OTHER));
});
