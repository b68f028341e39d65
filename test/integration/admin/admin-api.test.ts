import t from 'tap';
import { DEFAULT_CREDENTIAL_TTL_MS, type Scope } from '@cairn/auth';
import { DEFAULT_STORE_ID } from '@cairn/store';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { basic, call, errorBody, otherProcess, statement, type Method } from './admin-client.js';

const NOW = new Date('2026-03-02T09:30:00.000Z');
const STORE_ID = /^st_[0-9a-f]{16}$/;
const KEY = /^ck_[0-9a-f]{24}$/;

interface Setup extends TestApp {
  /** An admin credential of the default store: administers the installation. */
  readonly admin: string;
}

async function setup(t: Teardown): Promise<Setup> {
  const r = await buildTestApp(t, { now: () => NOW });
  return { ...r, admin: await basicAuth(r.store, DEFAULT_STORE_ID, ['admin']) };
}

async function createStore(s: Setup, name: string): Promise<string> {
  const res = await call(s.app, 'POST', '/admin/v1/stores', s.admin, { name });
  if (res.statusCode !== 201) throw new Error(`store not created: ${res.body}`);
  return res.json<{ id: string }>().id;
}

async function createCredential(
  s: Setup,
  storeId: string,
  scopes: readonly Scope[],
): Promise<{ key: string; secret: string; authorization: string }> {
  const res = await call(s.app, 'POST', `/admin/v1/stores/${storeId}/credentials`, s.admin, {
    scopes,
  });
  if (res.statusCode !== 201) throw new Error(`credential not created: ${res.body}`);
  const { key, secret } = res.json<{ key: string; secret: string }>();
  return { key, secret, authorization: basic(key, secret) };
}

t.test('stores and credentials: create, use, see the statistics move, list, revoke', async (t) => {
  const s = await setup(t);

  const created = await call(s.app, 'POST', '/admin/v1/stores', s.admin, { name: ' Acme ' });
  t.equal(created.statusCode, 201);
  const store = created.json<{ id: string }>();
  t.match(store.id, STORE_ID);
  t.strictSame(store, {
    id: store.id,
    name: 'Acme',
    createdAt: NOW.toISOString(),
    corsOrigins: null,
  });
  t.equal(created.headers['location'], `/admin/v1/stores/${store.id}`);

  const listed = await call(s.app, 'GET', '/admin/v1/stores', s.admin);
  t.equal(listed.statusCode, 200);
  const { stores } = listed.json<{ stores: { id: string }[] }>();
  t.strictSame(
    stores.find((x) => x.id === store.id),
    { id: store.id, name: 'Acme', createdAt: NOW.toISOString(), corsOrigins: null },
  );
  t.ok(
    stores.some((x) => x.id === DEFAULT_STORE_ID),
    'the default store is listed too',
  );

  const empty = await call(s.app, 'GET', `/admin/v1/stores/${store.id}`, s.admin);
  t.equal(empty.statusCode, 200);
  t.strictSame(empty.json(), {
    id: store.id,
    name: 'Acme',
    createdAt: NOW.toISOString(),
    corsOrigins: null,
    statementCount: 0,
    lastStored: null,
  });

  const issued = await call(s.app, 'POST', `/admin/v1/stores/${store.id}/credentials`, s.admin, {
    scopes: ['statements/write', 'statements/read', 'statements/write'],
    label: 'course player',
  });
  t.equal(issued.statusCode, 201);
  const credential = issued.json<{ key: string; secret: string }>();
  t.match(credential.key, KEY);
  t.match(credential.secret, /^[A-Za-z0-9_-]{43}$/, '256 random bits, base64url');
  t.strictSame(credential, {
    key: credential.key,
    storeId: store.id,
    scopes: ['statements/write', 'statements/read'],
    label: 'course player',
    createdAt: NOW.toISOString(),
    revokedAt: null,
    secret: credential.secret,
  });
  const stored = await s.store.credentials.findByKey(credential.key);
  t.ok(stored?.secretHash.startsWith('scrypt$'), 'only a scrypt hash is stored');
  t.notOk(JSON.stringify(stored).includes(credential.secret), 'the secret itself is not');

  const auth = basic(credential.key, credential.secret);
  const post = await call(s.app, 'POST', '/xapi/statements', auth, statement());
  t.equal(post.statusCode, 200, post.body);

  const after = await call(s.app, 'GET', `/admin/v1/stores/${store.id}`, s.admin);
  t.match(after.json(), { statementCount: 1, lastStored: NOW.toISOString() });

  const credentials = await call(s.app, 'GET', `/admin/v1/stores/${store.id}/credentials`, s.admin);
  t.equal(credentials.statusCode, 200);
  const expected = {
    key: credential.key,
    storeId: store.id,
    scopes: ['statements/write', 'statements/read'],
    label: 'course player',
    createdAt: NOW.toISOString(),
    revokedAt: null,
  };
  t.strictSame(credentials.json(), { credentials: [expected] }, 'no secret, no hash');

  const revoked = await call(
    s.app,
    'DELETE',
    `/admin/v1/stores/${store.id}/credentials/${credential.key}`,
    s.admin,
  );
  t.equal(revoked.statusCode, 204);
  t.equal(revoked.body, '');
  const refused = await call(s.app, 'POST', '/xapi/statements', auth, statement());
  t.equal(refused.statusCode, 401, 'this process forgets the key at once');
  t.strictSame(refused.json(), errorBody(401, 'AUTH_ERR_UNAUTHORIZED', 'credential revoked'));
  // As a script whose HTTP helper sends a JSON content type on every request would.
  const again = await s.app.inject({
    method: 'DELETE',
    url: `/admin/v1/stores/${store.id}/credentials/${credential.key}`,
    headers: { authorization: s.admin, 'content-type': 'application/json' },
  });
  t.equal(again.statusCode, 204, 'revoking twice is fine, with an empty JSON body too');

  const relisted = await call(s.app, 'GET', `/admin/v1/stores/${store.id}/credentials`, s.admin);
  t.strictSame(relisted.json(), {
    credentials: [{ ...expected, revokedAt: NOW.toISOString() }],
  });
  const final = await call(s.app, 'GET', `/admin/v1/stores/${store.id}`, s.admin);
  t.match(final.json(), { statementCount: 1 }, 'the refused request stored nothing');
});

t.test('a revocation reaches another LRS process when its cache entry expires', async (t) => {
  const s = await setup(t);
  const clock = { ms: 1_000_000 };
  const other = await otherProcess(t, s, clock);
  const storeId = await createStore(s, 'Other process');
  const { key, authorization } = await createCredential(s, storeId, ['statements/read']);

  t.equal((await call(other, 'GET', '/xapi/statements', authorization)).statusCode, 200);
  const revoked = await call(
    s.app,
    'DELETE',
    `/admin/v1/stores/${storeId}/credentials/${key}`,
    s.admin,
  );
  t.equal(revoked.statusCode, 204);

  clock.ms += DEFAULT_CREDENTIAL_TTL_MS - 1;
  t.equal(
    (await call(other, 'GET', '/xapi/statements', authorization)).statusCode,
    200,
    'still cached just before the TTL',
  );
  clock.ms += 1;
  const refused = await call(other, 'GET', '/xapi/statements', authorization);
  t.equal(refused.statusCode, 401, 'refused once the TTL has passed');
  t.strictSame(refused.json(), errorBody(401, 'AUTH_ERR_UNAUTHORIZED', 'credential revoked'));
});

const ROUTES: readonly [Method, string, object?][] = [
  ['POST', '/admin/v1/stores', { name: 'x' }],
  ['GET', '/admin/v1/stores'],
  ['GET', '/admin/v1/stores/default'],
  ['POST', '/admin/v1/stores/default/credentials', { scopes: ['all'] }],
  ['GET', '/admin/v1/stores/default/credentials'],
  ['DELETE', '/admin/v1/stores/default/credentials/ck_000000000000000000000000'],
];

t.test('every admin route: 401 without credentials, 403 without the admin scope', async (t) => {
  const s = await setup(t);
  const all = await basicAuth(s.store, DEFAULT_STORE_ID, [
    'all',
    'reports:cohort',
    'reports:person',
  ]);
  for (const [method, url, body] of ROUTES) {
    const anonymous = await call(s.app, method, url, undefined, body);
    t.equal(anonymous.statusCode, 401, `${method} ${url}`);
    t.equal(anonymous.headers['www-authenticate'], 'Basic realm="Cairn"');
    t.strictSame(
      anonymous.json(),
      errorBody(
        401,
        'AUTH_ERR_UNAUTHORIZED',
        'missing Authorization header: send HTTP Basic credentials (key and secret)',
      ),
    );
    const forbidden = await call(s.app, method, url, all, body);
    t.equal(forbidden.statusCode, 403, `${method} ${url}`);
    t.strictSame(
      forbidden.json(),
      errorBody(
        403,
        'AUTH_ERR_FORBIDDEN',
        'this credential lacks scope admin; it has: all, reports:cohort, reports:person',
      ),
    );
  }
  const badBody = await call(s.app, 'POST', '/admin/v1/stores', undefined, { name: 5 });
  t.equal(badBody.statusCode, 401, 'credentials are checked before the body');
  t.same(await s.store.tenants.list().then((l) => l.map((x) => x.id)), [DEFAULT_STORE_ID]);
});

t.test('bad bodies: 400 naming the field, nothing created', async (t) => {
  const s = await setup(t);
  const storeId = await createStore(s, 'Bodies');
  const invalid = (code: string, message: string) => errorBody(400, code, message);
  const fastify = (message: string) => invalid('FST_ERR_VALIDATION', message);
  const cases: [string, unknown, object][] = [
    ['/admin/v1/stores', {}, fastify("body must have required property 'name'")],
    ['/admin/v1/stores', { name: 5 }, fastify('body/name must be string')],
    ['/admin/v1/stores', { name: null }, fastify('body/name must be string')],
    [
      '/admin/v1/stores',
      { name: 'x', owner: 'y' },
      fastify("body must NOT have additional property 'owner'"),
    ],
    ['/admin/v1/stores', ['x'], fastify('body must be object')],
    ['/admin/v1/stores', { name: ' \t' }, invalid('ADMIN_ERR_INVALID', 'name must not be empty')],
    [
      '/admin/v1/stores',
      { name: 'x'.repeat(201) },
      invalid('ADMIN_ERR_INVALID', 'name must be at most 200 characters'),
    ],
    [
      '/admin/v1/stores',
      { name: 'a\nb' },
      invalid('ADMIN_ERR_INVALID', 'name must not contain control characters'),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      {},
      fastify("body must have required property 'scopes'"),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      { scopes: 'all' },
      fastify('body/scopes must be array'),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      { scopes: ['all', 7] },
      fastify('body/scopes/1 must be string'),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      { scopes: ['all'], label: 3 },
      fastify('body/label must be string'),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      { scopes: ['all'], secret: 'mine' },
      fastify("body must NOT have additional property 'secret'"),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      { scopes: [] },
      invalid('ADMIN_ERR_INVALID', 'scopes must name at least one scope'),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      { scopes: ['statements/write', 'statements/delete'] },
      invalid(
        'ADMIN_ERR_UNKNOWN_SCOPE',
        'unknown scope "statements/delete": scopes are statements/write, statements/read, ' +
          'statements/read/mine, all/read, all, state, define, profile, reports:cohort, ' +
          'reports:person, admin',
      ),
    ],
    [
      `/admin/v1/stores/${storeId}/credentials`,
      { scopes: ['all'], label: 'x'.repeat(201) },
      invalid('ADMIN_ERR_INVALID', 'label must be at most 200 characters'),
    ],
  ];
  for (const [url, body, expected] of cases) {
    const res = await call(s.app, 'POST', url, s.admin, body);
    t.strictSame(res.json(), expected, `${url} ${JSON.stringify(body)}`);
  }
  const noBody = await s.app.inject({
    method: 'POST',
    url: '/admin/v1/stores',
    headers: { authorization: s.admin },
  });
  t.equal(noBody.statusCode, 400);
  t.match(noBody.json(), { code: 'FST_ERR_VALIDATION', message: 'body must be object' });

  const stores = await s.store.tenants.list();
  t.strictSame(
    stores.map((x) => x.id).sort(),
    [DEFAULT_STORE_ID, storeId].sort(),
    'no store was created',
  );
  t.strictSame(await s.store.credentials.listByStore(storeId), [], 'no credential was created');
});

t.test('unknown stores and credentials: 404', async (t) => {
  const s = await setup(t);
  const storeId = await createStore(s, 'Known');
  const notFound = errorBody(404, 'ADMIN_ERR_STORE_NOT_FOUND', 'no store st_0000000000000000');
  const unknown = '/admin/v1/stores/st_0000000000000000';
  for (const [method, url, body] of [
    ['GET', unknown],
    ['POST', `${unknown}/credentials`, { scopes: ['all'] }],
    ['GET', `${unknown}/credentials`],
    ['DELETE', `${unknown}/credentials/ck_000000000000000000000000`],
  ] as const) {
    const res = await call(s.app, method, url, s.admin, body);
    t.equal(res.statusCode, 404, `${method} ${url}`);
    t.strictSame(res.json(), notFound);
  }
  const noKey = await call(
    s.app,
    'DELETE',
    `/admin/v1/stores/${storeId}/credentials/ck_000000000000000000000000`,
    s.admin,
  );
  t.strictSame(
    noKey.json(),
    errorBody(
      404,
      'ADMIN_ERR_CREDENTIAL_NOT_FOUND',
      `no credential ck_000000000000000000000000 in store ${storeId}`,
    ),
  );
});

t.test('stores are isolated: data credentials, store admins, and revocation', async (t) => {
  const s = await setup(t);
  const [a, b] = [await createStore(s, 'A'), await createStore(s, 'B')];
  const writerA = await createCredential(s, a, ['statements/write', 'statements/read']);
  const writerB = await createCredential(s, b, ['statements/write', 'statements/read']);
  for (const [writer, activity] of [
    [writerA, 'https://example.org/a/1'],
    [writerA, 'https://example.org/a/2'],
    [writerB, 'https://example.org/b/1'],
  ] as const) {
    const res = await call(s.app, 'POST', '/xapi/statements', writer.authorization, {
      ...statement(activity),
    });
    t.equal(res.statusCode, 200, res.body);
  }

  // Statistics of each store count only its own statements.
  for (const [storeId, count] of [
    [a, 2],
    [b, 1],
  ] as const) {
    const stats = await call(s.app, 'GET', `/admin/v1/stores/${storeId}`, s.admin);
    t.match(stats.json(), { id: storeId, statementCount: count });
  }

  // A data credential reads its own store only, and reaches no admin route.
  const readA = await call(s.app, 'GET', '/xapi/statements', writerA.authorization);
  const objects = readA
    .json<{ statements: { object: { id: string } }[] }>()
    .statements.map((x) => x.object.id)
    .sort();
  t.strictSame(objects, ['https://example.org/a/1', 'https://example.org/a/2']);
  const statsByWriter = await call(s.app, 'GET', `/admin/v1/stores/${a}`, writerA.authorization);
  t.equal(statsByWriter.statusCode, 403);

  // An admin credential of store A administers A and nothing else.
  const adminA = await createCredential(s, a, ['admin']);
  const listed = await call(s.app, 'GET', '/admin/v1/stores', adminA.authorization);
  t.strictSame(
    listed.json<{ stores: { id: string }[] }>().stores.map((x) => x.id),
    [a],
    'lists its own store only',
  );
  const own = await call(s.app, 'GET', `/admin/v1/stores/${a}`, adminA.authorization);
  t.match(own.json(), { id: a, statementCount: 2 });
  const createStoreByA = await call(s.app, 'POST', '/admin/v1/stores', adminA.authorization, {
    name: 'C',
  });
  t.strictSame(
    createStoreByA.json(),
    errorBody(
      403,
      'ADMIN_ERR_FORBIDDEN',
      'only an admin credential of the default store may create stores',
    ),
  );
  const hidden = errorBody(404, 'ADMIN_ERR_STORE_NOT_FOUND', `no store ${b}`);
  for (const [method, url, body] of [
    ['GET', `/admin/v1/stores/${b}`],
    ['GET', `/admin/v1/stores/${b}/credentials`],
    ['POST', `/admin/v1/stores/${b}/credentials`, { scopes: ['all'] }],
    ['DELETE', `/admin/v1/stores/${b}/credentials/${writerB.key}`],
    ['GET', `/admin/v1/stores/${DEFAULT_STORE_ID}`],
  ] as const) {
    const res = await call(s.app, method, url, adminA.authorization, body);
    const expected =
      url === `/admin/v1/stores/${DEFAULT_STORE_ID}`
        ? errorBody(404, 'ADMIN_ERR_STORE_NOT_FOUND', `no store ${DEFAULT_STORE_ID}`)
        : hidden;
    t.strictSame(res.json(), expected, `${method} ${url}: as if B did not exist`);
  }
  const unknownStore = await call(
    s.app,
    'GET',
    '/admin/v1/stores/st_0000000000000000',
    adminA.authorization,
  );
  t.strictSame(
    unknownStore.json(),
    errorBody(404, 'ADMIN_ERR_STORE_NOT_FOUND', 'no store st_0000000000000000'),
    'the same answer as for a store that does not exist',
  );

  // B's key cannot be revoked through A, even by the installation admin.
  const crossRevoke = await call(
    s.app,
    'DELETE',
    `/admin/v1/stores/${a}/credentials/${writerB.key}`,
    s.admin,
  );
  t.strictSame(
    crossRevoke.json(),
    errorBody(404, 'ADMIN_ERR_CREDENTIAL_NOT_FOUND', `no credential ${writerB.key} in store ${a}`),
  );
  const stillWorks = await call(s.app, 'GET', '/xapi/statements', writerB.authorization);
  t.equal(stillWorks.statusCode, 200, "B's credential still works");

  // A's admin manages A's credentials.
  const listA = await call(s.app, 'GET', `/admin/v1/stores/${a}/credentials`, adminA.authorization);
  t.strictSame(
    listA
      .json<{ credentials: { key: string }[] }>()
      .credentials.map((c) => c.key)
      .sort(),
    [writerA.key, adminA.key].sort(),
  );
  const revokeA = await call(
    s.app,
    'DELETE',
    `/admin/v1/stores/${a}/credentials/${writerA.key}`,
    adminA.authorization,
  );
  t.equal(revokeA.statusCode, 204);
});
