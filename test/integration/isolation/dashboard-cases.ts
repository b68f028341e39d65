// The dashboard of the reports service (/dashboard): its files belong to no store, and its
// sessions are each one credential's. B signing in with A's key is answered as an unknown key;
// B's session reads B's store only (A's framework is no framework to it); B signing out ends
// B's session and nothing of A's.
import type { LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { onReports, type IsolationCase } from './case.js';
import { expectNothingOfA } from './expectations.js';
import type { Method, Tenant, World } from './fixture.js';
import { FRAMEWORK_OF_A, SECRETS, skillsOfA } from './skills-api-cases.js';

const HEADER = { 'x-cairn-dashboard': '1', 'content-type': 'application/json' };
const NOBODY = 'key-of-nobody-anywhere';

function secretOf(tenant: Tenant): string {
  const decoded = Buffer.from(tenant.authorization.slice('Basic '.length), 'base64').toString();
  return decoded.slice(decoded.indexOf(':') + 1);
}

/** Signs `tenant` in (without a credential header) and returns its session cookie. */
async function sessionOf(w: World, tenant: Tenant): Promise<string> {
  const res = await w.anonymousReports({
    method: 'POST',
    url: '/dashboard/session',
    headers: HEADER,
    payload: { key: tenant.key, secret: secretOf(tenant) },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${tenant.name}: ${res.body}`);
  return String(res.headers['set-cookie']).split(';')[0] ?? '';
}

function namesNothingOfA(t: Test, w: World, res: LightMyRequestResponse): void {
  for (const secret of [w.a.storeId, w.a.key, ...SECRETS(w)])
    t.notOk(res.body.includes(secret), `does not name ${secret}`);
}

/** The page and its assets: the same bytes for anyone, with or without a credential. */
const files = (method: Method, url: string, sample: string): IsolationCase => ({
  method,
  url,
  attempt: 'the same files for anyone, naming nothing of A',
  async run(t, w) {
    const anonymous = await w.anonymousReports({ method, url: sample });
    for (const res of [
      await w.b.reports({ method, url: sample }),
      await w.a.reports({ method, url: sample }),
    ]) {
      t.equal(res.statusCode, anonymous.statusCode);
      t.equal(res.body, anonymous.body);
      namesNothingOfA(t, w, res);
    }
  },
});

const signIn: IsolationCase = {
  method: 'POST',
  url: '/dashboard/session',
  attempt: "B signing in with A's key is answered as an unknown key; B's session is B's",
  async run(t, w) {
    await expectNothingOfA(
      t,
      w.anonymousReports,
      {
        method: 'POST',
        url: '/dashboard/session',
        headers: HEADER,
        payload: { key: w.a.key, secret: secretOf(w.b) },
      },
      {
        method: 'POST',
        url: '/dashboard/session',
        headers: HEADER,
        payload: { key: NOBODY, secret: secretOf(w.b) },
      },
      [[w.a.key, NOBODY]],
      { status: 401 },
    );
    const cookie = await sessionOf(w, w.b);
    const who = await w.anonymousReports({
      method: 'GET',
      url: '/dashboard/session',
      headers: { cookie },
    });
    t.match(who.json(), { storeId: w.b.storeId, key: w.b.key });
  },
};

const readSession = (method: Method): IsolationCase => ({
  method,
  url: '/dashboard/session',
  attempt: "B's session reads B's store only: A's framework is no framework",
  async run(t, w) {
    await skillsOfA(w);
    const cookie = await sessionOf(w, w.b);
    const who = await w.anonymousReports({
      method,
      url: '/dashboard/session',
      headers: { cookie },
    });
    t.equal(who.statusCode, 200);
    namesNothingOfA(t, w, who);
    const withSession = (req: { method: Method; url: string }) =>
      w.anonymousReports({ ...req, headers: { cookie } });
    const param = (f: string) => `framework=${encodeURIComponent(f)}`;
    await expectNothingOfA(
      t,
      withSession,
      { method: 'GET', url: `/api/v1/reports/heatmap?${param(FRAMEWORK_OF_A)}` },
      { method: 'GET', url: `/api/v1/reports/heatmap?${param('https://nowhere.example.org/f')}` },
      [[FRAMEWORK_OF_A, 'https://nowhere.example.org/f']],
      { status: 404 },
    );
  },
});

const signOut: IsolationCase = {
  method: 'DELETE',
  url: '/dashboard/session',
  attempt: "B signing out ends B's session only; A's goes on",
  async run(t, w) {
    const ofA = await sessionOf(w, w.a);
    const ofB = await sessionOf(w, w.b);
    const out = await w.anonymousReports({
      method: 'DELETE',
      url: '/dashboard/session',
      headers: { cookie: ofB, 'x-cairn-dashboard': '1' },
    });
    t.equal(out.statusCode, 204);
    const a = await w.anonymousReports({
      method: 'GET',
      url: '/dashboard/session',
      headers: { cookie: ofA },
    });
    t.equal(a.statusCode, 200, "A's session is still open");
    const b = await w.anonymousReports({
      method: 'GET',
      url: '/dashboard/session',
      headers: { cookie: ofB },
    });
    t.equal(b.statusCode, 401, "B's is over");
  },
};

export const dashboardCases: IsolationCase[] = onReports([
  files('GET', '/dashboard', '/dashboard'),
  files('HEAD', '/dashboard', '/dashboard'),
  files('GET', '/dashboard/*', '/dashboard/'),
  files('GET', '/dashboard/*', '/dashboard/app.js'),
  files('HEAD', '/dashboard/*', '/dashboard/styles.css'),
  signIn,
  readSession('GET'),
  readSession('HEAD'),
  signOut,
]);
