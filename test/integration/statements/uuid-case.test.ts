// UUIDs are case-insensitive on input (RFC 4122, which xAPI-Data 4.4 names): a statement id,
// a StatementRef and a registration sent in upper case are the same as in lower case, for
// lookups, PUT, conflicts, voiding and queries. Cairn stores them in lower case, as RFC 4122
// says to output them.
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

const UPPER = 'ABCDEF12-3456-4789-ABCD-EF0123456789';
const LOWER = UPPER.toLowerCase();
const REGISTRATION = 'DDDDDDDD-0000-4000-8000-00000000000A';

function completed(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    actor: { mbox: 'mailto:ann@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    object: { id: 'https://example.com/courses/safety' },
    ...extra,
  };
}

async function setup(t: Teardown) {
  const r = await buildTestApp(t);
  const auth = await basicAuth(r.store, 'default', ['all']);
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    r.app.inject({
      method,
      url,
      headers: { authorization: auth, 'x-experience-api-version': '2.0.0' },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  return { call };
}

t.test('an id sent in upper case is found in either case, and stored in lower case', async (t) => {
  const { call } = await setup(t);
  const post = await call('POST', '/xapi/statements', completed(UPPER));
  t.equal(post.statusCode, 200, post.body);
  t.same(post.json(), [LOWER], 'the id answered is the stored one');
  for (const asked of [UPPER, LOWER]) {
    const got = await call('GET', `/xapi/statements?statementId=${asked}`);
    t.equal(got.statusCode, 200, `GET ${asked}`);
    t.equal(got.json<{ id: string }>().id, LOWER);
  }
});

t.test('the same statement again in another case is the same statement', async (t) => {
  const { call } = await setup(t);
  t.equal((await call('POST', '/xapi/statements', completed(UPPER))).statusCode, 200);
  const put = await call('PUT', `/xapi/statements?statementId=${LOWER}`, completed(LOWER));
  t.equal(put.statusCode, 204, 'accepted, not stored twice');
  const changed = await call(
    'PUT',
    `/xapi/statements?statementId=${LOWER}`,
    completed(LOWER, { verb: { id: 'http://adlnet.gov/expapi/verbs/passed' } }),
  );
  t.equal(changed.statusCode, 409, 'different content under the same id in another case');
  const all = await call('GET', '/xapi/statements');
  t.equal(all.json<{ statements: unknown[] }>().statements.length, 1, 'one copy');
});

t.test('one batch with an id twice, in two cases, is refused', async (t) => {
  const { call } = await setup(t);
  const res = await call('POST', '/xapi/statements', [completed(UPPER), completed(LOWER)]);
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: 'XAPI_ERR_DUPLICATE_ID' });
  t.equal((await call('GET', `/xapi/statements?statementId=${LOWER}`)).statusCode, 404);
});

t.test('a voiding StatementRef in upper case voids its target', async (t) => {
  const { call } = await setup(t);
  t.equal((await call('POST', '/xapi/statements', completed(LOWER))).statusCode, 200);
  const voiding = {
    actor: { mbox: 'mailto:admin@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
    object: { objectType: 'StatementRef', id: UPPER },
  };
  t.equal((await call('POST', '/xapi/statements', voiding)).statusCode, 200);
  t.equal((await call('GET', `/xapi/statements?statementId=${LOWER}`)).statusCode, 404);
  t.equal((await call('GET', `/xapi/statements?voidedStatementId=${UPPER}`)).statusCode, 200);
});

t.test('a registration in upper case matches registration= in either case', async (t) => {
  const { call } = await setup(t);
  const sent = completed(LOWER, { context: { registration: REGISTRATION } });
  t.equal((await call('POST', '/xapi/statements', sent)).statusCode, 200);
  for (const asked of [REGISTRATION, REGISTRATION.toLowerCase()]) {
    const page = await call('GET', `/xapi/statements?registration=${asked}`);
    t.equal(page.statusCode, 200, page.body);
    const found = page.json<{ statements: { context: { registration: string } }[] }>().statements;
    t.equal(found.length, 1, `registration=${asked}`);
    t.equal(found[0]?.context.registration, REGISTRATION.toLowerCase());
  }
});
