// X-Experience-API-Consistent-Through on statement GETs (xAPI Communication 2.1.3). Cairn's
// promise: every statement whose `stored` is at or before the header is readable when the
// header is sent, so a client may use it as the `since` of its next read and miss nothing.
// A write in flight (its `stored` taken, its insert not yet answered) holds its store's header
// back; a lag covers other lrs processes' writes (docs/decisions.md, "Consistent-Through").
import t from 'tap';
import type { Store } from '@cairn/store';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

const T0 = Date.UTC(2026, 10, 29, 9);
const CONSISTENT = 'x-experience-api-consistent-through';

function statement(id: string, verb = 'completed'): Record<string, unknown> {
  return {
    id,
    actor: { objectType: 'Agent', mbox: 'mailto:ann@example.com' },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
    object: { objectType: 'Activity', id: 'https://example.com/courses/safety' },
  };
}

/** Stands in front of the real statements' insert: while armed, inserts wait for `open`. */
function insertGate() {
  let armed = false;
  let release = (): void => undefined;
  let arrived = (): void => undefined;
  const gate = {
    /** Resolves when a write has taken its `stored` and reached the insert. */
    arm(): Promise<void> {
      armed = true;
      const opened = new Promise<void>((resolve) => (release = resolve));
      const reached = new Promise<void>((resolve) => (arrived = resolve));
      gate.wait = opened;
      return reached;
    },
    open(): void {
      armed = false;
      release();
    },
    wait: Promise.resolve(),
    wrap: (store: Store): Store => ({
      ...store,
      statementsOf: (storeId) => {
        const repo = store.statementsOf(storeId);
        return {
          ...repo,
          insertMany: async (statements) => {
            if (armed) {
              arrived();
              await gate.wait;
            }
            return repo.insertMany(statements);
          },
        };
      },
    }),
  };
  return gate;
}

async function setup(t: Teardown, consistencyLagMs?: number) {
  let clock = T0;
  const gate = insertGate();
  const r = await buildTestApp(
    t,
    {
      now: () => new Date(clock),
      ...(consistencyLagMs !== undefined ? { consistencyLagMs } : {}),
    },
    gate.wrap,
  );
  const auth = await basicAuth(r.store, 'default', ['all']);
  const otherAuth = await basicAuth(r.store, 'other', ['all']);
  const call = (method: 'GET' | 'POST', url: string, payload?: unknown, authorization = auth) =>
    r.app.inject({
      method,
      url,
      headers: { authorization, 'x-experience-api-version': '2.0.0' },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const header = async (authorization = auth) => {
    const res = await call('GET', '/xapi/statements?limit=1', undefined, authorization);
    return new Date(String(res.headers[CONSISTENT])).getTime();
  };
  return {
    ...r,
    gate,
    call,
    header,
    otherAuth,
    setClock: (ms: number) => void (clock = ms),
  };
}

t.test('a statement is covered by the header once its POST has answered', async (t) => {
  const { call, header, setClock } = await setup(t, 0);
  const id = '0b7a5a3e-0000-4000-8000-000000000001';
  t.equal((await call('POST', '/xapi/statements', statement(id))).statusCode, 200);
  setClock(T0 + 10);
  const through = await header();
  t.equal(through, T0 + 9, 'now, less the millisecond a write may still take its stored in');
  const read = await call('GET', `/xapi/statements?since=${new Date(T0 - 1).toISOString()}`);
  t.ok(read.body.includes(id), 'what is before the header is readable');
  t.ok(through >= T0, 'and its stored is at or before the header');
});

t.test('a write in flight holds its store back to just before its stored', async (t) => {
  const { call, header, gate, setClock, otherAuth } = await setup(t, 0);
  const id = '0b7a5a3e-0000-4000-8000-000000000002';
  setClock(T0 + 1000);
  const reached = gate.arm();
  const posting = call('POST', '/xapi/statements', statement(id));
  await reached;
  setClock(T0 + 60_000);

  t.equal(await header(), T0 + 999, 'held back: the statement stored at T0+1000 is not readable');
  const before = await call('GET', `/xapi/statements?statementId=${id}`);
  t.equal(before.statusCode, 404, 'indeed it is not readable yet');
  t.equal(
    await header(otherAuth),
    T0 + 59_999,
    "another store is not held back by this one's write",
  );

  gate.open();
  t.equal((await posting).statusCode, 200);
  t.equal(await header(), T0 + 59_999, 'the write done, the header is back to now');
  t.equal((await call('GET', `/xapi/statements?statementId=${id}`)).statusCode, 200);
});

t.test('a write that fails does not hold the header back', async (t) => {
  const { call, header, setClock } = await setup(t, 0);
  const id = '0b7a5a3e-0000-4000-8000-000000000003';
  t.equal((await call('POST', '/xapi/statements', statement(id))).statusCode, 200);
  setClock(T0 + 5);
  const conflict = await call('POST', '/xapi/statements', statement(id, 'passed'));
  t.equal(conflict.statusCode, 409);
  setClock(T0 + 50);
  t.equal(await header(), T0 + 49);
});

t.test("by default the header lags now by a second, for other processes' writes", async (t) => {
  const { header, setClock } = await setup(t);
  setClock(T0 + 5000);
  t.equal(await header(), T0 + 4000);
});

t.test('every Statements response carries the header: POST, PUT and errors too', async (t) => {
  const { app, call, setClock } = await setup(t, 0);
  setClock(T0 + 100);
  const expected = new Date(T0 + 99).toISOString();
  const id = '0b7a5a3e-0000-4000-8000-000000000004';
  const post = await call('POST', '/xapi/statements', statement(id));
  t.equal(post.statusCode, 200);
  t.equal(post.headers[CONSISTENT], expected, 'POST');
  const put = await app.inject({
    method: 'PUT',
    url: `/xapi/statements?statementId=${id}`,
    headers: { authorization: 'Basic Og==', 'x-experience-api-version': '2.0.0' },
    payload: statement(id),
  });
  t.equal(put.statusCode, 401, 'refused before anyone is known');
  t.equal(put.headers[CONSISTENT], expected, 'an error');
  const bad = await call('POST', '/xapi/statements', { verb: 'completed' });
  t.equal(bad.statusCode, 400);
  t.equal(bad.headers[CONSISTENT], expected, 'a bad statement');
});
