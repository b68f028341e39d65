// Dashboard sessions over HTTP (no browser): sign-in with a credential sets an opaque, HttpOnly,
// SameSite=Strict cookie; the report routes accept it on GET as well as HTTP Basic, which works
// exactly as before; state changes need the dashboard's header and this origin (CSRF); the
// session ends at sign-out, at expiry, and at the credential's revocation.
import t from 'tap';
import { buildTestApp, reportsAppOn } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { credentialOf } from './browser.js';

const HEADER = { 'x-cairn-dashboard': '1', 'content-type': 'application/json' };

async function world(t: Teardown, ttlMs?: number) {
  const r = await buildTestApp(t);
  let clock = Date.parse('2025-03-02T12:00:00Z');
  const reports = await reportsAppOn(t, r, {
    now: () => new Date(clock),
    ...(ttlMs === undefined ? {} : { sessionTtlMs: ttlMs }),
  });
  const auth = await basicAuth(r.store, 'default', ['reports:cohort']);
  const signIn = (payload: object, headers: Record<string, string> = HEADER) =>
    reports.inject({ method: 'POST', url: '/dashboard/session', headers, payload });
  const cookieOf = (setCookie: unknown): string => String(setCookie).split(';')[0] ?? '';
  return {
    r,
    reports,
    auth,
    signIn,
    cookieOf,
    advance: (ms: number) => void (clock += ms),
  };
}

t.test('sign-in sets an opaque HttpOnly SameSite=Strict cookie that reads reports', async (t) => {
  const w = await world(t);
  const res = await w.signIn(credentialOf(w.auth));
  t.equal(res.statusCode, 200);
  const setCookie = String(res.headers['set-cookie']);
  t.match(
    setCookie,
    /^cairn_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/,
  );
  t.notOk(setCookie.includes(credentialOf(w.auth).secret), 'the cookie is not the secret');
  t.match(res.json(), {
    label: 'test reports:cohort',
    scopes: ['reports:cohort'],
    storeId: 'default',
  });
  const cookie = w.cookieOf(setCookie);
  const health = await w.reports.inject({
    method: 'GET',
    url: '/api/v1/reports/data-health',
    headers: { cookie },
  });
  t.equal(health.statusCode, 200);
  const who = await w.reports.inject({
    method: 'GET',
    url: '/dashboard/session',
    headers: { cookie },
  });
  t.match(who.json(), { label: 'test reports:cohort', scopes: ['reports:cohort'] });
  // The store keeps only a digest of the id.
  const stored = await w.r.mongo.db.collection('dashboard_sessions').find().toArray();
  t.equal(stored.length, 1);
  t.not(stored[0]?._id, cookie.split('=')[1]);
});

t.test('a wrong secret gets 401 without a cookie and without a Basic challenge', async (t) => {
  const w = await world(t);
  const res = await w.signIn({ key: credentialOf(w.auth).key, secret: 'wrong' });
  t.equal(res.statusCode, 401);
  t.strictSame(res.json(), {
    statusCode: 401,
    code: 'AUTH_ERR_UNAUTHORIZED',
    error: 'Unauthorized',
    message: 'unknown key or wrong secret',
  });
  t.equal(res.headers['set-cookie'], undefined);
  t.equal(res.headers['www-authenticate'], undefined);
});

t.test('sign-in and sign-out refuse cross-site requests', async (t) => {
  const w = await world(t);
  const body = credentialOf(w.auth);
  const noHeader = await w.signIn(body, { 'content-type': 'application/json' });
  t.equal(noHeader.statusCode, 403);
  t.strictSame(noHeader.json(), {
    statusCode: 403,
    code: 'DASHBOARD_ERR_CROSS_SITE',
    error: 'Forbidden',
    message: 'state-changing dashboard requests must carry the header x-cairn-dashboard: 1',
  });
  const otherOrigin = await w.signIn(body, { ...HEADER, origin: 'https://evil.example' });
  t.equal(otherOrigin.statusCode, 403);
  t.equal(
    otherOrigin.json<{ message: string }>().message,
    'requests from origin https://evil.example may not sign in or out',
  );
  const sameOrigin = await w.signIn(body, { ...HEADER, origin: 'http://localhost:80' });
  t.equal(sameOrigin.statusCode, 200, 'the page’s own origin may');
  const cookie = w.cookieOf(sameOrigin.headers['set-cookie']);
  const signOut = await w.reports.inject({
    method: 'DELETE',
    url: '/dashboard/session',
    headers: { cookie },
  });
  t.equal(signOut.statusCode, 403, 'sign-out needs the header too');
});

t.test('a session cookie alone changes nothing: only Basic may write', async (t) => {
  const w = await world(t);
  const admin = await basicAuth(w.r.store, 'default', ['admin']);
  const cookie = w.cookieOf((await w.signIn(credentialOf(admin))).headers['set-cookie']);
  const put = await w.reports.inject({
    method: 'PUT',
    url: '/api/v1/report-settings',
    headers: { cookie, 'content-type': 'application/json' },
    payload: { minCohort: 2 },
  });
  t.equal(put.statusCode, 401);
  t.equal(put.json<{ code: string }>().code, 'AUTH_ERR_UNAUTHORIZED');
  const settings = await w.reports.inject({
    method: 'GET',
    url: '/api/v1/report-settings',
    headers: { cookie },
  });
  t.equal(settings.json<{ minCohort: number }>().minCohort, 5, 'unchanged');
});

t.test('HTTP Basic works exactly as without sessions, and wins over a cookie', async (t) => {
  const w = await world(t);
  const missing = await w.reports.inject({ method: 'GET', url: '/api/v1/reports/data-health' });
  t.equal(missing.statusCode, 401);
  t.equal(missing.headers['www-authenticate'], 'Basic realm="Cairn"');
  const basic = await w.reports.inject({
    method: 'GET',
    url: '/api/v1/reports/data-health',
    headers: { authorization: w.auth, cookie: 'cairn_session=not-a-session' },
  });
  t.equal(basic.statusCode, 200);
});

t.test('sign-out, expiry and revocation each end the session', async (t) => {
  const w = await world(t, 60_000);
  const read = (cookie: string) =>
    w.reports.inject({ method: 'GET', url: '/api/v1/reports/data-health', headers: { cookie } });
  const body = credentialOf(w.auth);

  const out = w.cookieOf((await w.signIn(body)).headers['set-cookie']);
  const del = await w.reports.inject({
    method: 'DELETE',
    url: '/dashboard/session',
    headers: { cookie: out, 'x-cairn-dashboard': '1' },
  });
  t.equal(del.statusCode, 204);
  t.match(
    String(del.headers['set-cookie']),
    /^cairn_session=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/,
  );
  const afterOut = await read(out);
  t.equal(afterOut.statusCode, 401);
  t.strictSame(afterOut.json(), {
    statusCode: 401,
    code: 'AUTH_ERR_UNAUTHORIZED',
    error: 'Unauthorized',
    message: 'session ended or expired: sign in again',
  });
  t.equal(afterOut.headers['www-authenticate'], undefined, 'no Basic challenge to a browser');

  const expiring = w.cookieOf((await w.signIn(body)).headers['set-cookie']);
  t.equal((await read(expiring)).statusCode, 200);
  w.advance(60_001);
  t.equal((await read(expiring)).statusCode, 401, 'expired');

  const revoked = w.cookieOf((await w.signIn(body)).headers['set-cookie']);
  t.equal((await read(revoked)).statusCode, 200);
  await w.r.store.credentials.revoke('default', body.key, new Date());
  const afterRevoke = await read(revoked);
  t.equal(afterRevoke.statusCode, 401);
  t.equal(afterRevoke.json<{ message: string }>().message, 'credential revoked');
  const who = await w.reports.inject({
    method: 'GET',
    url: '/dashboard/session',
    headers: { cookie: revoked },
  });
  t.strictSame(
    who.json(),
    {
      statusCode: 401,
      code: 'DASHBOARD_ERR_SIGNED_OUT',
      error: 'Unauthorized',
      message: 'session ended or expired: sign in again',
    },
    'the revoked session is gone',
  );
});

t.test('the dashboard is served with strict security headers', async (t) => {
  const w = await world(t);
  const page = await w.reports.inject({ method: 'GET', url: '/dashboard/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  const csp = String(page.headers['content-security-policy']);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ])
    t.ok(csp.split(';').includes(directive), directive);
  t.notMatch(csp, /unsafe-inline|unsafe-eval/);
  t.equal(page.headers['x-frame-options'], 'DENY');
  t.equal(page.headers['x-content-type-options'], 'nosniff');
  t.equal(page.headers['referrer-policy'], 'no-referrer');
  t.notMatch(page.body, /<script>|<style>|\sstyle=|\son[a-z]+=/, 'no inline script or style');
  const redirect = await w.reports.inject({ method: 'GET', url: '/dashboard' });
  t.equal(redirect.statusCode, 301);
  t.equal(redirect.headers['location'], '/dashboard/');
});
