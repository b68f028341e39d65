import { fastify, type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { errorHandler } from '@cairn/http';
import {
  authPlugin,
  createAuthenticator,
  hashSecret,
  requireScope,
  type Authenticator,
  type AuthenticatorOptions,
} from '@cairn/auth';
import type { CredentialRecord } from '@cairn/store';
import type { Teardown } from '../helpers/env.js';
import { pollUntil } from '../helpers/poll.js';
import { testResources, type TestResources } from '../helpers/test-resources.js';

const CREATED = new Date('2026-01-01T00:00:00Z');
const CHALLENGE = 'Basic realm="Cairn"';

interface AuthApp extends TestResources {
  readonly app: FastifyInstance;
  readonly authenticator: Authenticator;
}

/** A small app: the auth plugin, one open route and a few guarded ones, our error handler. */
async function buildAuthApp(
  t: Teardown,
  options: Omit<AuthenticatorOptions, 'credentials'> = {},
): Promise<AuthApp> {
  const r = await testResources(t);
  const authenticator = createAuthenticator({ credentials: r.store.credentials, ...options });
  const app = fastify({ logger: false });
  app.setErrorHandler(errorHandler);
  await app.register(authPlugin, { authenticator });
  app.get('/open', async (request) => ({ principal: request.principal }));
  app.get('/statements', { preHandler: requireScope('statements/read') }, async (request) => ({
    principal: request.principal,
  }));
  app.get('/state', { preHandler: requireScope('state', 'read') }, async (request) => ({
    principal: request.principal,
  }));
  app.put('/state', { preHandler: requireScope('state') }, async (request) => ({
    principal: request.principal,
  }));
  app.get('/admin', { preHandler: requireScope('admin') }, async (request) => ({
    principal: request.principal,
  }));
  t.teardown(() => app.close());
  return { ...r, app, authenticator };
}

async function addCredential(
  r: TestResources,
  credential: Partial<CredentialRecord> & { key: string; secret: string },
): Promise<CredentialRecord> {
  const { secret, ...rest } = credential;
  const record: CredentialRecord = {
    storeId: 'store-a',
    scopes: ['statements/read'],
    label: `label of ${credential.key}`,
    createdAt: CREATED,
    revokedAt: null,
    ...rest,
    secretHash: await hashSecret(secret),
  };
  if (!(await r.store.credentials.upsert(record))) throw new Error('credential key taken');
  return record;
}

function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')}`;
}

function get(
  app: FastifyInstance,
  url: string,
  authorization?: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url,
    ...(authorization === undefined ? {} : { headers: { authorization } }),
  });
}

function unauthorized(message: string): object {
  return { statusCode: 401, error: 'Unauthorized', code: 'AUTH_ERR_UNAUTHORIZED', message };
}

const INVALID = unauthorized('unknown key or wrong secret');

t.test('a route without requireScope needs no credential and has no principal', async (t) => {
  const { app } = await buildAuthApp(t);
  const res = await get(app, '/open');
  t.equal(res.statusCode, 200);
  t.same(res.json(), { principal: null });
  t.equal(res.headers['www-authenticate'], undefined);
});

t.test('no Authorization header: 401 with a Basic challenge', async (t) => {
  const { app } = await buildAuthApp(t);
  for (const header of [undefined, '', '   ']) {
    const res = await get(app, '/statements', header);
    t.equal(res.statusCode, 401);
    t.equal(res.headers['www-authenticate'], CHALLENGE);
    t.same(
      res.json(),
      unauthorized('missing Authorization header: send HTTP Basic credentials (key and secret)'),
    );
  }
});

t.test('malformed credentials: 401 naming what is wrong', async (t) => {
  const { app } = await buildAuthApp(t);
  const notBasic = unauthorized(
    'malformed Basic credentials: the Authorization scheme must be Basic',
  );
  const malformed = unauthorized(
    'malformed Basic credentials: expected "Basic " followed by base64 of key:secret',
  );
  const cases: [string, object][] = [
    ['Bearer abc.def.ghi', notBasic],
    ['Basicabc', notBasic],
    ['Basic', malformed],
    ['Basic ', malformed],
    ['Basic !!!!', malformed],
    ['Basic a2V5OnNlY3JldA', malformed], // unpadded
    ['Basic a2V5OnNl Y3JldA==', malformed],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, malformed],
    [`Basic ${Buffer.from([0x6b, 0x3a, 0xff, 0xfe]).toString('base64')}`, malformed], // not UTF-8
    [
      `Basic ${Buffer.from(':secret').toString('base64')}`,
      unauthorized('malformed Basic credentials: the key is empty'),
    ],
    ['Basic Og==', unauthorized('malformed Basic credentials: the key is empty')],
  ];
  for (const [header, body] of cases) {
    const res = await get(app, '/statements', header);
    t.equal(res.statusCode, 401, header);
    t.equal(res.headers['www-authenticate'], CHALLENGE, header);
    t.same(res.json(), body, header);
  }
});

t.test('an unknown key and a wrong secret get the very same answer', async (t) => {
  const r = await buildAuthApp(t);
  await addCredential(r, { key: 'known-key', secret: 'right-secret' });
  const wrongSecret = await get(r.app, '/statements', basic('known-key', 'wrong-secret'));
  const unknownKey = await get(r.app, '/statements', basic('unknown-key', 'right-secret'));
  for (const res of [wrongSecret, unknownKey]) {
    t.equal(res.statusCode, 401);
    t.equal(res.headers['www-authenticate'], CHALLENGE);
    t.same(res.json(), INVALID);
  }
  t.equal(wrongSecret.body, unknownKey.body);
});

t.test('the right key and secret with the right scope: 200 and the principal', async (t) => {
  const r = await buildAuthApp(t);
  await addCredential(r, {
    key: 'reader',
    secret: 'pa:ss:wo:rd', // a secret may contain colons
    scopes: ['statements/read', 'legacy/unknown-scope'],
    label: 'dashboard reader',
  });
  const expected = {
    principal: {
      key: 'reader',
      storeId: 'store-a',
      scopes: ['statements/read'],
      label: 'dashboard reader',
    },
  };
  const res = await get(r.app, '/statements', basic('reader', 'pa:ss:wo:rd'));
  t.equal(res.statusCode, 200);
  t.equal(res.headers['www-authenticate'], undefined);
  t.same(res.json(), expected, 'unknown stored scopes are dropped, not trusted');

  const lower = await get(
    r.app,
    '/statements',
    `basic  ${basic('reader', 'pa:ss:wo:rd').slice(6)}`,
  );
  t.equal(lower.statusCode, 200, 'the scheme is case-insensitive (RFC 7235)');
  t.same(lower.json(), expected);

  const cached = await get(r.app, '/statements', basic('reader', 'pa:ss:wo:rd'));
  t.same(cached.json(), expected, 'and again, from the cache');
  const wrong = await get(r.app, '/statements', basic('reader', 'pa:ss:wo'));
  t.same(wrong.json(), INVALID, 'a cached key does not let another secret in');
});

t.test('a valid credential without the scope: 403 listing what it has', async (t) => {
  const r = await buildAuthApp(t);
  await addCredential(r, {
    key: 'writer',
    secret: 'writer-secret',
    scopes: ['statements/write', 'statements/read/mine'],
  });
  await addCredential(r, { key: 'nothing', secret: 'nothing-secret', scopes: [] });

  const res = await get(r.app, '/statements', basic('writer', 'writer-secret'));
  t.equal(res.statusCode, 403);
  t.equal(res.headers['www-authenticate'], undefined, 'no challenge: the credential is fine');
  t.same(res.json(), {
    statusCode: 403,
    error: 'Forbidden',
    code: 'AUTH_ERR_FORBIDDEN',
    message:
      'this credential lacks scope statements/read; it has: statements/write, statements/read/mine',
  });

  const none = await get(r.app, '/admin', basic('nothing', 'nothing-secret'));
  t.equal(none.statusCode, 403);
  t.same(none.json(), {
    statusCode: 403,
    error: 'Forbidden',
    code: 'AUTH_ERR_FORBIDDEN',
    message: 'this credential lacks scope admin; it has: (none)',
  });
});

t.test('implied scopes open the routes the scope rules say', async (t) => {
  const r = await buildAuthApp(t);
  await addCredential(r, { key: 'all', secret: 'all-secret', scopes: ['all'] });
  await addCredential(r, { key: 'all-read', secret: 'all-read-secret', scopes: ['all/read'] });
  await addCredential(r, { key: 'admin', secret: 'admin-secret', scopes: ['admin'] });
  const put = (authorization: string): Promise<LightMyRequestResponse> =>
    r.app.inject({ method: 'PUT', url: '/state', headers: { authorization } });

  const all = basic('all', 'all-secret');
  t.equal((await get(r.app, '/statements', all)).statusCode, 200);
  t.equal((await get(r.app, '/state', all)).statusCode, 200);
  t.equal((await put(all)).statusCode, 200);
  t.equal((await get(r.app, '/admin', all)).statusCode, 403, 'all is xAPI only');

  const allRead = basic('all-read', 'all-read-secret');
  t.equal((await get(r.app, '/statements', allRead)).statusCode, 200);
  t.equal((await get(r.app, '/state', allRead)).statusCode, 200, 'reading state');
  const write = await put(allRead);
  t.equal(write.statusCode, 403, 'but not writing it');
  t.same(write.json(), {
    statusCode: 403,
    error: 'Forbidden',
    code: 'AUTH_ERR_FORBIDDEN',
    message: 'this credential lacks scope state; it has: all/read',
  });

  const admin = basic('admin', 'admin-secret');
  for (const res of [
    await get(r.app, '/admin', admin),
    await get(r.app, '/statements', admin),
    await put(admin),
  ]) {
    t.equal(res.statusCode, 200);
  }
});

t.test('the principal acts for its own credential’s store', async (t) => {
  const r = await buildAuthApp(t);
  await addCredential(r, { key: 'in-a', secret: 'secret-a', storeId: 'store-a' });
  await addCredential(r, { key: 'in-b', secret: 'secret-b', storeId: 'store-b' });
  const a = await get(r.app, '/statements', basic('in-a', 'secret-a'));
  const b = await get(r.app, '/statements', basic('in-b', 'secret-b'));
  t.match(a.json(), { principal: { key: 'in-a', storeId: 'store-a' } });
  t.match(b.json(), { principal: { key: 'in-b', storeId: 'store-b' } });
  const crossed = await get(r.app, '/statements', basic('in-a', 'secret-b'));
  t.same(crossed.json(), INVALID, 'one store’s secret does not open another store’s key');
});

t.test('a revoked credential is refused, and only its holder learns why', async (t) => {
  const r = await buildAuthApp(t);
  await addCredential(r, { key: 'gone', secret: 'gone-secret', revokedAt: CREATED });
  const res = await get(r.app, '/statements', basic('gone', 'gone-secret'));
  t.equal(res.statusCode, 401);
  t.equal(res.headers['www-authenticate'], CHALLENGE);
  t.same(res.json(), unauthorized('credential revoked'));
  const guess = await get(r.app, '/statements', basic('gone', 'guess'));
  t.same(guess.json(), INVALID, 'a wrong secret does not reveal the revocation');
});

t.test('a revocation takes effect once the cached verification expires', async (t) => {
  let now = 1_000_000;
  const r = await buildAuthApp(t, { ttlMs: 5_000, now: () => now });
  const record = await addCredential(r, { key: 'soon-gone', secret: 'soon-gone-secret' });
  const auth = basic('soon-gone', 'soon-gone-secret');
  t.equal((await get(r.app, '/statements', auth)).statusCode, 200);

  await r.store.credentials.upsert({ ...record, revokedAt: new Date() });
  now += 4_999;
  t.equal((await get(r.app, '/statements', auth)).statusCode, 200, 'still cached in this process');
  now += 1;
  const res = await get(r.app, '/statements', auth);
  t.equal(res.statusCode, 401);
  t.same(res.json(), unauthorized('credential revoked'));
});

t.test('with a short TTL on the real clock, a revocation arrives within it', async (t) => {
  const r = await buildAuthApp(t, { ttlMs: 200 });
  const record = await addCredential(r, { key: 'revoked-later', secret: 'revoked-secret' });
  const auth = basic('revoked-later', 'revoked-secret');
  t.equal((await get(r.app, '/statements', auth)).statusCode, 200);

  await r.store.credentials.upsert({ ...record, revokedAt: new Date() });
  const res = await pollUntil('the revocation to take effect', async () => {
    const attempt = await get(r.app, '/statements', auth);
    return attempt.statusCode === 200 ? undefined : attempt;
  });
  t.equal(res.statusCode, 401);
  t.equal(res.headers['www-authenticate'], CHALLENGE);
  t.same(res.json(), unauthorized('credential revoked'));
});

t.test('forget makes a revocation by this process effective at once', async (t) => {
  const r = await buildAuthApp(t, { ttlMs: 60_000 });
  const record = await addCredential(r, { key: 'forgotten', secret: 'forgotten-secret' });
  const auth = basic('forgotten', 'forgotten-secret');
  t.equal((await get(r.app, '/statements', auth)).statusCode, 200);
  await r.store.credentials.upsert({ ...record, revokedAt: new Date() });
  r.authenticator.forget('forgotten');
  t.same((await get(r.app, '/statements', auth)).json(), unauthorized('credential revoked'));
});

t.test('a store that cannot answer is a 500 with its details hidden, not a 401', async (t) => {
  const authenticator = createAuthenticator({
    credentials: {
      upsert: () => Promise.reject(new Error('not used')),
      findByKey: () => Promise.reject(new Error('connection refused by 10.0.0.7')),
      listByStore: () => Promise.reject(new Error('not used')),
      revoke: () => Promise.reject(new Error('not used')),
    },
  });
  const app = fastify({ logger: false });
  app.setErrorHandler(errorHandler);
  await app.register(authPlugin, { authenticator });
  app.get('/statements', { preHandler: requireScope('statements/read') }, async () => 'never');
  t.teardown(() => app.close());
  const res = await get(app, '/statements', basic('any-key', 'any-secret'));
  t.equal(res.statusCode, 500);
  t.equal(res.headers['www-authenticate'], undefined);
  t.same(res.json(), {
    statusCode: 500,
    error: 'Internal Server Error',
    code: 'CAIRN_ERR_INTERNAL',
    message: 'internal server error',
  });
});

t.test('requireScope without the plugin is a programming error, answered 500', async (t) => {
  const app = fastify({ logger: false });
  app.setErrorHandler(errorHandler);
  app.get('/statements', { preHandler: requireScope('statements/read') }, async () => 'never');
  t.teardown(() => app.close());
  const res = await get(app, '/statements', basic('any-key', 'any-secret'));
  t.equal(res.statusCode, 500);
  t.match(res.json(), { statusCode: 500, code: 'CAIRN_ERR_INTERNAL' });
});
