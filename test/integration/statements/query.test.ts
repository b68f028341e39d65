import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';

const VERSION = { 'x-experience-api-version': '2.0.0' };
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const PASSED = 'http://adlnet.gov/expapi/verbs/passed';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

function statement(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    actor: { mbox: `mailto:person${n % 3}@example.com` },
    verb: { id: n % 2 === 0 ? COMPLETED : PASSED },
    object: { id: `https://example.com/activity/${n % 4}` },
    context: { contextActivities: { parent: [{ id: 'https://example.com/programme' }] } },
    ...overrides,
  };
}

const idOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Page {
  statements: { id: string }[];
  more: string;
}

async function get(app: FastifyInstance, auth: string, url: string): Promise<Page> {
  const res = await app.inject({
    method: 'GET',
    url,
    headers: { ...VERSION, authorization: auth },
  });
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
  return res.json<Page>();
}

async function post(app: FastifyInstance, auth: string, payload: object): Promise<number> {
  const res = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { ...VERSION, authorization: auth },
    payload,
  });
  return res.statusCode;
}

t.test('filters: agent, verb, activity, related_activities, registration', async (t) => {
  const { app, store } = await buildTestApp(t);
  const auth = await basicAuth(store, 'default', ['all']);
  t.equal(
    await post(
      app,
      auth,
      [1, 2, 3, 4, 5, 6].map((n) => statement(n)),
    ),
    200,
  );
  t.equal(
    await post(
      app,
      auth,
      statement(7, { context: { registration: 'aaaaaaaa-0000-4000-8000-000000000001' } }),
    ),
    200,
  );
  const ids = async (query: string) =>
    (await get(app, auth, `/xapi/statements?${query}`)).statements.map((s) => s.id).sort();

  t.same(await ids(`verb=${encodeURIComponent(PASSED)}`), [1, 3, 5, 7].map(idOf));
  t.same(
    await ids(
      `agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:person1@EXAMPLE.com' }))}`,
    ),
    [1, 4, 7].map(idOf),
    'agent matches by IFI, email domain case-insensitively',
  );
  t.same(
    await ids(`activity=${encodeURIComponent('https://example.com/activity/1')}`),
    [1, 5].map(idOf),
  );
  t.same(await ids(`activity=${encodeURIComponent('https://example.com/programme')}`), []);
  t.same(
    await ids(
      `activity=${encodeURIComponent('https://example.com/programme')}&related_activities=true`,
    ),
    [1, 2, 3, 4, 5, 6].map(idOf),
  );
  t.same(await ids('registration=aaaaaaaa-0000-4000-8000-000000000001'), [idOf(7)]);
});

t.test('bad query parameters are 400s that name the parameter', async (t) => {
  const { app, store } = await buildTestApp(t);
  const auth = await basicAuth(store, 'default', ['all']);
  const cases: [string, RegExp][] = [
    ['agent=not-json', /parameter agent: must be a JSON Agent or Group object/],
    [`agent=${encodeURIComponent('{"mbox":"ann@example.com"}')}`, /parameter agent: agent\.mbox/],
    ['verb=completed', /parameter verb: must be an IRI/],
    ['since=yesterday', /parameter since: must be an ISO 8601 timestamp/],
    ['limit=-1', /parameter limit: must be a non-negative integer/],
    ['format=full', /parameter format: must be exact, ids or canonical/],
    ['colour=blue', /unknown parameter colour/],
    [
      `statementId=${idOf(1)}&verb=${encodeURIComponent(COMPLETED)}`,
      /parameter verb: cannot be combined/,
    ],
    ['more=garbage', /more link is malformed/],
  ];
  for (const [query, message] of cases) {
    const res = await app.inject({
      method: 'GET',
      url: `/xapi/statements?${query}`,
      headers: { ...VERSION, authorization: auth },
    });
    t.equal(res.statusCode, 400, query);
    t.match(res.json(), { statusCode: 400, message }, query);
  }
});

t.test('more links page through everything exactly once while new statements arrive', async (t) => {
  const { app, store } = await buildTestApp(t);
  const auth = await basicAuth(store, 'default', ['all']);
  for (let n = 1; n <= 7; n++) t.equal(await post(app, auth, statement(n)), 200);
  const seen: string[] = [];
  let page = await get(app, auth, '/xapi/statements?limit=3');
  seen.push(...page.statements.map((s) => s.id));
  t.equal(await post(app, auth, statement(100)), 200, 'arrives after the first page');
  while (page.more !== '') {
    t.match(page.more, /^\/xapi\/statements\?more=/);
    page = await get(app, auth, page.more);
    seen.push(...page.statements.map((s) => s.id));
  }
  t.same(seen, [7, 6, 5, 4, 3, 2, 1].map(idOf), 'newest first, no gaps, no repeats, nothing newer');
  const ascending = await get(app, auth, '/xapi/statements?ascending=true&limit=100');
  t.same(
    ascending.statements.map((s) => s.id),
    [1, 2, 3, 4, 5, 6, 7, 100].map(idOf),
  );
  t.equal(ascending.more, '', 'an empty more when nothing is left');
});

t.test(
  'voiding: the target leaves queries and is read back by voidedStatementId, whichever came first',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const auth = await basicAuth(store, 'default', ['all']);
    const voids = (n: number, target: number) =>
      statement(n, {
        verb: { id: VOIDED },
        object: { objectType: 'StatementRef', id: idOf(target) },
      });

    t.equal(await post(app, auth, [statement(1), statement(2)]), 200);
    t.equal(await post(app, auth, voids(3, 1)), 200, 'void after the target');
    t.equal(await post(app, auth, voids(4, 5)), 200, 'void before the target');
    t.equal(await post(app, auth, statement(5)), 200);

    const listed = (await get(app, auth, '/xapi/statements?ascending=true')).statements.map(
      (s) => s.id,
    );
    t.same(listed, [2, 3, 4].map(idOf), 'voided statements are not listed; voiding ones are');
    for (const target of [1, 5]) {
      const byId = await app.inject({
        method: 'GET',
        url: `/xapi/statements?statementId=${idOf(target)}`,
        headers: { ...VERSION, authorization: auth },
      });
      t.equal(byId.statusCode, 404, `statement ${target} is not served by statementId`);
      const byVoided = await app.inject({
        method: 'GET',
        url: `/xapi/statements?voidedStatementId=${idOf(target)}`,
        headers: { ...VERSION, authorization: auth },
      });
      t.equal(byVoided.statusCode, 200, `statement ${target} is served by voidedStatementId`);
    }
    const notVoided = await app.inject({
      method: 'GET',
      url: `/xapi/statements?voidedStatementId=${idOf(2)}`,
      headers: { ...VERSION, authorization: auth },
    });
    t.equal(notVoided.statusCode, 404);

    t.equal(await post(app, auth, voids(6, 3)), 400, 'a voiding statement cannot be voided');
  },
);

t.test(
  'a credential of another store sees nothing of this one, even with a more link',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const mine = await basicAuth(store, 'default', ['all']);
    const theirs = await basicAuth(store, 'other-store', ['all']);
    for (let n = 1; n <= 3; n++) t.equal(await post(app, mine, statement(n)), 200);
    const page = await get(app, mine, '/xapi/statements?limit=1');
    t.not(page.more, '');

    t.same((await get(app, theirs, '/xapi/statements')).statements, []);
    const byId = await app.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${idOf(1)}`,
      headers: { ...VERSION, authorization: theirs },
    });
    t.equal(byId.statusCode, 404);
    const more = await app.inject({
      method: 'GET',
      url: page.more,
      headers: { ...VERSION, authorization: theirs },
    });
    t.equal(more.statusCode, 400);
    t.match(more.json(), { code: 'XAPI_ERR_MORE' });
    t.equal(await post(app, theirs, statement(1)), 200, 'the same id is free in another store');
    t.equal(
      (await get(app, mine, '/xapi/statements')).statements.length,
      3,
      'and changes nothing here',
    );
  },
);

t.test('statements/read/mine reads only what the same credential stored', async (t) => {
  const { app, store } = await buildTestApp(t);
  const writer = await basicAuth(store, 'default', ['statements/write', 'statements/read/mine']);
  const other = await basicAuth(store, 'default', ['all']);
  t.equal(await post(app, writer, statement(1)), 200);
  t.equal(await post(app, other, statement(2)), 200);
  const mine = await get(app, writer, '/xapi/statements');
  t.same(
    mine.statements.map((s) => s.id),
    [idOf(1)],
  );
  const notMine = await app.inject({
    method: 'GET',
    url: `/xapi/statements?statementId=${idOf(2)}`,
    headers: { ...VERSION, authorization: writer },
  });
  t.equal(notMine.statusCode, 404);
  t.equal(
    (await get(app, other, '/xapi/statements')).statements.length,
    2,
    'statements/read sees all',
  );
});
