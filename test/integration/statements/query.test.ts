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
    [
      // Valid as an actor, but an Anonymous Group identifies no one to filter by.
      `agent=${encodeURIComponent('{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"}]}')}`,
      /parameter agent: must be an Agent or an Identified Group/,
    ],
    ['verb=completed', /parameter verb: must be an IRI/],
    // The IRI rule of the statements themselves: no stored activity id can hold a `{`.
    [
      `activity=${encodeURIComponent('https://example.com/{course}')}`,
      /parameter activity: must be an IRI/,
    ],
    ['registration=not-a-uuid', /parameter registration: must be a UUID/],
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

t.test('limit: leading zeros are the same number, and 0 is the server maximum', async (t) => {
  const { app, store } = await buildTestApp(t);
  const auth = await basicAuth(store, 'default', ['all']);
  t.equal(
    await post(
      app,
      auth,
      [1, 2, 3].map((n) => statement(n)),
    ),
    200,
  );
  const count = async (limit: string) =>
    (await get(app, auth, `/xapi/statements?limit=${limit}`)).statements.length;
  t.equal(await count('0'), 3);
  t.equal(await count('00'), 3, 'limit=00 is 0: the maximum, not an empty page');
  t.equal(await count('000'), 3);
  t.equal(await count('02'), 2);
  for (const bad of ['', '+1', '-0', '1.0', '1e2', '0x1', 'ten', '%201']) {
    const res = await app.inject({
      method: 'GET',
      url: `/xapi/statements?limit=${bad}`,
      headers: { ...VERSION, authorization: auth },
    });
    t.equal(res.statusCode, 400, `limit=${bad}`);
    t.match(res.json(), {
      statusCode: 400,
      message: /parameter limit: must be a non-negative integer/,
    });
  }
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

// Filter Conditions for StatementRefs (xAPI Communication 2.1.3.s3, 2.1.4.s1).

const CONFIRMED = 'https://example.com/verbs/confirmed';
const BEN = { mbox: 'mailto:ben@example.com' };
const ANDREW = { mbox: 'mailto:andrew@example.com' };
const CAROL = { mbox: 'mailto:carol@example.com' };
const EXPLOSIVES = 'https://example.com/activity/explosives';
const REGISTRATION = 'bbbbbbbb-0000-4000-8000-000000000001';
const T0 = Date.UTC(2026, 0, 1);

/** Statement `n`: `actor` did `verb` (passed by default) on an activity (explosives by default). */
function did(
  n: number,
  actor: object,
  extra: { verb?: string; activity?: string; registration?: string } = {},
): Record<string, unknown> {
  return {
    id: idOf(n),
    actor,
    verb: { id: extra.verb ?? PASSED },
    object: { id: extra.activity ?? EXPLOSIVES },
    ...(extra.registration !== undefined ? { context: { registration: extra.registration } } : {}),
  };
}

/** Statement `n`: `actor` (Andrew by default) `verb` (confirmed) a StatementRef to `target`. */
function ref(n: number, target: number, actor: object = ANDREW, verb = CONFIRMED): object {
  return {
    id: idOf(n),
    actor,
    verb: { id: verb },
    object: { objectType: 'StatementRef', id: idOf(target) },
  };
}

/**
 * An app whose clock the test sets: `postAt(k, ...)` stores at T0 + k seconds, so `storedAt(k)`
 * is the `stored` of what was posted then.
 */
async function clockApp(t: Parameters<typeof buildTestApp>[0]) {
  let clock = T0;
  const { app, store } = await buildTestApp(t, { now: () => new Date(clock) });
  const auth = await basicAuth(store, 'default', ['all']);
  const postAt = async (k: number, payload: object): Promise<number> => {
    clock = T0 + k * 1000;
    return post(app, auth, payload);
  };
  /** Ids (as statement numbers) of every page of a query, following `more` links. */
  const numbers = async (query: string): Promise<number[]> => {
    const seen: number[] = [];
    let page = await get(app, auth, `/xapi/statements?${query}`);
    for (;;) {
      seen.push(...page.statements.map((s) => Number(s.id.slice(-12))));
      if (page.more === '') return seen;
      page = await get(app, auth, page.more);
    }
  };
  return { app, store, auth, postAt, numbers };
}

const storedAt = (k: number): string => encodeURIComponent(new Date(T0 + k * 1000).toISOString());
const q = (name: string, value: unknown): string =>
  `${name}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`;

t.test(
  'StatementRefs: a statement targeting a match meets the agent, verb, activity and registration filters',
  async (t) => {
    const { postAt, numbers } = await clockApp(t);
    t.equal(await postAt(1, did(1, BEN, { registration: REGISTRATION })), 200);
    t.equal(await postAt(2, ref(2, 1)), 200, 'Andrew confirmed <Ben passed explosives>');
    t.equal(
      await postAt(3, did(3, CAROL, { verb: COMPLETED, activity: 'https://example.com/x' })),
      200,
    );
    t.equal(await postAt(4, ref(4, 3)), 200, 'Andrew confirmed <Carol completed x>');
    t.equal(
      await postAt(5, {
        ...did(5, ANDREW, { verb: COMPLETED, activity: 'https://example.com/forum' }),
        context: { statement: { objectType: 'StatementRef', id: idOf(1) } },
      }),
      200,
      'a StatementRef in the context only',
    );

    const asc = 'ascending=true';
    t.same(await numbers(`${q('agent', BEN)}&${asc}`), [1, 2], 'agent');
    t.same(
      await numbers(`${q('agent', BEN)}&related_agents=true&${asc}`),
      [1, 2],
      'related_agents',
    );
    t.same(await numbers(`${q('verb', PASSED)}&${asc}`), [1, 2], 'verb');
    t.same(await numbers(`${q('activity', EXPLOSIVES)}&${asc}`), [1, 2], 'activity');
    t.same(
      await numbers(`${q('activity', EXPLOSIVES)}&related_activities=true&${asc}`),
      [1, 2],
      'related_activities',
    );
    t.same(await numbers(`${q('registration', REGISTRATION)}&${asc}`), [1, 2], 'registration');
    t.same(await numbers(`${q('agent', CAROL)}&${asc}`), [3, 4], 'another target, another match');
    t.same(
      await numbers(`${q('verb', CONFIRMED)}&${asc}`),
      [2, 4],
      'the referring statements match on their own; nothing targets them',
    );
    t.same(
      await numbers(`${q('agent', BEN)}&${q('verb', CONFIRMED)}`),
      [],
      'the filters apply together to one statement of the chain',
    );
    t.same(
      await numbers(`${q('agent', BEN)}&${q('verb', PASSED)}&${asc}`),
      [1, 2],
      'all of them met by the target',
    );
    t.notOk(
      (await numbers(q('activity', EXPLOSIVES))).includes(5),
      'a StatementRef in context does not make a statement match',
    );
  },
);

t.test(
  'StatementRefs: the rule applies recursively, through chains of StatementRefs',
  async (t) => {
    const { postAt, numbers } = await clockApp(t);
    t.equal(await postAt(1, did(1, BEN)), 200);
    t.equal(await postAt(2, ref(2, 1)), 200, '2 targets 1');
    t.equal(await postAt(3, ref(3, 2, CAROL, 'https://example.com/verbs/endorsed')), 200, '3 -> 2');
    t.equal(await postAt(4, ref(4, 3, CAROL, 'https://example.com/verbs/endorsed')), 200, '4 -> 3');
    t.same(await numbers(`${q('agent', BEN)}&ascending=true`), [1, 2, 3, 4]);
    t.same(
      await numbers(`${q('verb', CONFIRMED)}&ascending=true`),
      [2, 3, 4],
      'a chain matches from the statement in it that meets the filter, not only from its end',
    );
  },
);

t.test(
  'StatementRefs: voiding statements of a match are returned, voided statements never are',
  async (t) => {
    const { postAt, numbers } = await clockApp(t);
    t.equal(await postAt(1, did(1, BEN)), 200);
    t.equal(await postAt(2, ref(2, 1, ANDREW, VOIDED)), 200, '2 voids 1');
    t.equal(await postAt(3, ref(3, 1)), 200, '3 targets the voided 1');
    t.equal(await postAt(4, did(4, BEN)), 200);
    t.equal(await postAt(5, ref(5, 4)), 200, '5 targets 4');
    t.equal(await postAt(6, ref(6, 5, ANDREW, VOIDED)), 200, '6 voids 5');
    t.equal(await postAt(7, ref(7, 8, ANDREW, VOIDED)), 200, '7 voids 8 before 8 arrives');
    t.equal(await postAt(8, did(8, BEN)), 200);
    t.same(
      await numbers(`${q('agent', BEN)}&ascending=true`),
      [2, 3, 4, 6, 7],
      'voided 1, 5 and 8 are left out; what targets them, voiding or not, is returned',
    );
    t.same(
      await numbers(`${q('verb', VOIDED)}&ascending=true`),
      [2, 6, 7],
      'voiding statements are ordinary statements',
    );
  },
);

t.test(
  "StatementRefs: since and until apply to the referring statement's own stored",
  async (t) => {
    const { postAt, numbers } = await clockApp(t);
    t.equal(await postAt(1, did(1, BEN)), 200);
    t.equal(await postAt(2, ref(2, 1)), 200);
    t.equal(await postAt(3, ref(3, 2, CAROL)), 200);
    const ben = `${q('agent', BEN)}&ascending=true`;
    t.same(await numbers(`${ben}&since=${storedAt(1)}`), [2, 3], 'the target is before since');
    t.same(await numbers(`${ben}&until=${storedAt(1)}`), [1], 'the referrers are after until');
    t.same(await numbers(`${ben}&since=${storedAt(1)}&until=${storedAt(2)}`), [2]);
    t.same(
      await numbers(`${ben}&since=${storedAt(2)}`),
      [3],
      'through a chain whose other statements are all outside the window',
    );
  },
);

t.test('StatementRefs: a target stored after the statement referring to it', async (t) => {
  const { postAt, numbers } = await clockApp(t);
  t.equal(await postAt(1, ref(1, 2)), 200, '1 targets 2, which is not stored yet');
  t.same(await numbers(q('agent', BEN)), []);
  t.equal(await postAt(2, did(2, BEN)), 200);
  t.same(await numbers(`${q('agent', BEN)}&ascending=true`), [1, 2], 'matches once 2 is stored');
});

t.test(
  'StatementRefs: more links page through direct and referring matches once each, in order',
  async (t) => {
    const { postAt, numbers } = await clockApp(t);
    const posts: object[] = [
      did(1, BEN), // direct
      did(2, CAROL, { verb: COMPLETED }),
      ref(3, 1), // -> 1
      ref(4, 2), // -> 2: no match
      ref(5, 2, BEN), // Ben himself: direct, its target does not match
      ref(6, 1, BEN), // direct and through its target: once
      ref(7, 3, CAROL), // -> 3 -> 1
      did(8, CAROL, { verb: COMPLETED }),
      ref(9, 7), // -> 7 -> 3 -> 1
      ref(10, 8), // -> 8: no match
      did(11, BEN), // direct
    ];
    for (const [k, s] of posts.entries()) t.equal(await postAt(k + 1, s), 200);
    const expected = [1, 3, 5, 6, 7, 9, 11];
    for (const limit of [1, 2, 3]) {
      t.same(
        await numbers(`${q('agent', BEN)}&limit=${limit}&ascending=true`),
        expected,
        `ascending, limit=${limit}`,
      );
      t.same(
        await numbers(`${q('agent', BEN)}&limit=${limit}`),
        [...expected].reverse(),
        `descending, limit=${limit}`,
      );
    }
  },
);

t.test('StatementRefs: a reference into another store never makes anything match', async (t) => {
  const { app, store, postAt, numbers } = await clockApp(t);
  const other = await basicAuth(store, 'other-store', ['all']);
  t.equal(await postAt(1, did(1, BEN)), 200);
  t.equal(await postAt(2, did(2, CAROL, { verb: COMPLETED })), 200);
  t.equal(await postAt(3, ref(3, 2)), 200, 'here, 3 targets Carol');
  t.equal(await post(app, other, did(2, BEN)), 200, 'there, the same id 2 is Ben');
  t.equal(await post(app, other, ref(4, 1)), 200, 'there, 4 targets an id stored only here');
  t.same(await numbers(`${q('agent', BEN)}&ascending=true`), [1], 'not 3');
  const theirs = await get(app, other, `/xapi/statements?${q('agent', BEN)}`);
  t.same(
    theirs.statements.map((s) => s.id),
    [idOf(2)],
    'not 4',
  );
});

t.test('since and until read timestamps as statements do: a space, t and z too', async (t) => {
  const { postAt, numbers } = await clockApp(t);
  for (let k = 1; k <= 3; k++) t.equal(await postAt(k, did(k, BEN)), 200);
  const at = (k: number): string => new Date(T0 + k * 1000).toISOString();
  const spaced = (k: number): string => encodeURIComponent(at(k).replace('T', ' '));
  const lower = (k: number): string => at(k).replace('T', 't').replace('Z', 'z');
  const offset = encodeURIComponent('2026-01-01 01:00:02+01:00');
  t.same(await numbers(`since=${spaced(1)}&ascending=true`), [2, 3]);
  t.same(await numbers(`until=${spaced(2)}&ascending=true`), [1, 2]);
  t.same(await numbers(`since=${lower(1)}&until=${lower(2)}`), [2]);
  t.same(await numbers(`until=${offset}&ascending=true`), [1, 2], 'an offset with a space');
});
