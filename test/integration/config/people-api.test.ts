// The people API of services/reports (/api/v1/people, /api/v1/directory; docs/identity.md)
// through app.inject, on the real servers: lookups, merge, split, directory import (JSON and CSV),
// audit and skill totals, every error with its whole body, two stores kept apart, and a merge in
// the middle of a stream of statements (posted to the LRS) that the real pipeline aggregates.
import t from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import { recomputeSkillDays } from '@cairn/aggregator';
import { buildDirectory, buildWorld, directoryCsv, simulationOptions } from '@cairn/simulate';
import { COLLECTIONS, identifierGroup, TOTAL_FIELDS, type Store } from '@cairn/store';
import { mboxSha1, type Statement } from '@cairn/xapi';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestReportsApp, lrsAppOn, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';

const SLACK = 'https://slack.example.com';
const ANN = 'mbox::mailto:ann@example.com';
const ANN_SHA1 = `sha1::${mboxSha1('mailto:ann@example.com')}`;
const ANN_SLACK = `account::${SLACK}::U1`;
const BOB = 'mbox::mailto:bob@example.com';
const BOB_SHA1 = `sha1::${mboxSha1('mailto:bob@example.com')}`;
const SKILL = 'https://skills.example/sql';

interface Api {
  /** The reports service, on its own database. */
  readonly r: TestApp;
  /** The LRS on the same database, for statements. */
  readonly lrs: FastifyInstance;
  readonly admin: string;
  call(
    method: 'GET' | 'POST',
    url: string,
    body?: unknown,
    auth?: string,
    contentType?: string,
  ): Promise<LightMyRequestResponse>;
  /** The person id of a key, through the API. */
  personOf(key: string): Promise<string>;
}

async function setup(t: Teardown, storeId = 'default'): Promise<Api> {
  const r = await buildTestReportsApp(t);
  const lrs = await lrsAppOn(t, r);
  const admin = await basicAuth(r.store, storeId, ['admin']);
  const call: Api['call'] = (method, url, body, auth = admin, contentType) =>
    r.app.inject({
      method,
      url,
      headers: {
        authorization: auth,
        ...(contentType === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { payload: body as string }),
    });
  return {
    r,
    lrs,
    admin,
    call,
    async personOf(key) {
      const res = await call('GET', `/api/v1/people?identifier=${encodeURIComponent(key)}`);
      const [person] = res.json<{ people: { id: string }[] }>().people;
      if (person === undefined) throw new Error(`no person for ${key}: ${res.body}`);
      return person.id;
    },
  };
}

const sighting = (key: string) => ({
  key,
  lookupKeys: identifierGroup(key),
  ifi: key.startsWith('mbox::')
    ? { mbox: key.slice(6) }
    : { account: { homePage: SLACK, name: key.split('::')[2] ?? '' } },
  names: [],
});

async function seed(store: Store, storeId: string): Promise<void> {
  await store.peopleOf(storeId).record([sighting(ANN), sighting(ANN_SLACK), sighting(BOB)]);
}

const errorBody = (status: number, code: string, message: string) => ({
  statusCode: status,
  error: { 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 415: 'Unsupported Media Type' }[
    status
  ],
  code,
  message,
});

t.test('lookups, merge, split, audit: with every error named', async (t) => {
  const api = await setup(t);
  await seed(api.r.store, 'default');
  const [ann, slack, bob] = await Promise.all([
    api.personOf(ANN),
    api.personOf(ANN_SLACK),
    api.personOf(BOB),
  ]);

  const found = await api.call(
    'GET',
    `/api/v1/people?identifier=${encodeURIComponent('mbox::mailto:ann@EXAMPLE.com')}` +
      `&identifier=${encodeURIComponent(ANN_SHA1)}`,
  );
  t.equal(found.statusCode, 200);
  t.same(found.json(), {
    people: [{ id: ann, identifiers: [ANN, ANN_SHA1], names: [] }],
    next: null,
  });
  const page1 = await api.call('GET', '/api/v1/people?limit=2');
  const page2 = await api.call(
    'GET',
    `/api/v1/people?limit=2&after=${page1.json<{ next: string }>().next}`,
  );
  t.same(
    [
      ...page1.json<{ people: { id: string }[] }>().people,
      ...page2.json<{ people: { id: string }[] }>().people,
    ].map((p) => p.id),
    [ann, slack, bob].sort(),
    'pages in person id order',
  );
  t.equal(page2.json<{ next: null }>().next, null);

  const merged = await api.call('POST', '/api/v1/people/merge', { people: [ann, slack] });
  t.equal(merged.statusCode, 200);
  t.match(merged.json(), {
    change: { kind: 'merge', state: 'done', actor: { label: 'test admin' }, plan: { to: ann } },
    person: { id: ann, identifiers: [ANN_SLACK, ANN, ANN_SHA1].sort() },
  });
  t.equal((await api.call('GET', `/api/v1/people/${slack}`)).statusCode, 404);

  const split = await api.call('POST', `/api/v1/people/${ann}/split`, { identifiers: [ANN_SLACK] });
  t.equal(split.statusCode, 201);
  const created = split.json<{ created: { id: string } }>().created.id;
  t.equal(split.headers['location'], `/api/v1/people/${created}`);
  t.match(split.json(), {
    person: { id: ann, identifiers: [ANN, ANN_SHA1] },
    created: { identifiers: [ANN_SLACK] },
  });
  const audit = await api.call('GET', `/api/v1/people/${ann}/audit`);
  t.same(
    audit.json<{ audit: { kind: string }[] }>().audit.map((c) => c.kind),
    ['split', 'merge'],
  );
  t.match(audit.json<{ audit: unknown[] }>().audit[1], {
    before: [
      { personId: ann, identifiers: [ANN, ANN_SHA1] },
      { personId: slack, identifiers: [ANN_SLACK] },
    ],
    actor: { label: 'test admin' },
  });

  const nobody = 'e'.repeat(64);
  const cases: [string, string, unknown, ReturnType<typeof errorBody>][] = [
    [
      'GET',
      '/api/v1/people?identifier=ann',
      undefined,
      errorBody(
        400,
        'PEOPLE_ERR_INVALID',
        'identifier "ann" is not an identifier key (mbox::mailto:..., sha1::<hex>, ' +
          'openid::<uri>, account::<homePage>::<name>)',
      ),
    ],
    [
      'GET',
      '/api/v1/people?limit=0',
      undefined,
      errorBody(400, 'PEOPLE_ERR_INVALID', 'query parameter limit must be an integer 1..500'),
    ],
    [
      'GET',
      '/api/v1/people?colour=red',
      undefined,
      errorBody(400, 'PEOPLE_ERR_INVALID', 'unknown query parameter colour'),
    ],
    [
      'GET',
      '/api/v1/people/xyz',
      undefined,
      errorBody(
        400,
        'PEOPLE_ERR_INVALID',
        'the path must be a person id (64 lowercase hexadecimal digits), got "xyz"',
      ),
    ],
    [
      'GET',
      `/api/v1/people/${nobody}`,
      undefined,
      errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${nobody}`),
    ],
    [
      'GET',
      `/api/v1/people/${nobody}/audit`,
      undefined,
      errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${nobody}`),
    ],
    [
      'POST',
      '/api/v1/people/merge',
      { people: [ann, nobody] },
      errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${nobody}`),
    ],
    [
      'POST',
      '/api/v1/people/merge',
      { people: [ann] },
      errorBody(400, 'PEOPLE_ERR_INVALID', 'a merge needs at least two different people'),
    ],
    [
      'POST',
      '/api/v1/people/merge',
      { people: [ann, 'bob'] },
      errorBody(
        400,
        'PEOPLE_ERR_INVALID',
        'people[1] must be a person id (64 lowercase hexadecimal digits), got "bob"',
      ),
    ],
    [
      'POST',
      '/api/v1/people/merge',
      { persons: [ann, bob] },
      errorBody(400, 'FST_ERR_VALIDATION', "body must have required property 'people'"),
    ],
    [
      'POST',
      `/api/v1/people/${bob}/split`,
      { identifiers: [ANN] },
      errorBody(400, 'PEOPLE_ERR_INVALID', `${ANN} is not an identifier of person ${bob}`),
    ],
    [
      'POST',
      `/api/v1/people/${bob}/split`,
      { identifiers: [] },
      errorBody(400, 'PEOPLE_ERR_INVALID', 'a split needs at least one identifier to move'),
    ],
    [
      'POST',
      `/api/v1/people/${bob}/split`,
      { identifiers: [BOB_SHA1] },
      errorBody(
        400,
        'PEOPLE_ERR_INVALID',
        `a split must leave person ${bob} at least one identifier; it would move all of them ` +
          `(${[BOB, BOB_SHA1].sort().join(', ')})`,
      ),
    ],
    [
      'GET',
      `/api/v1/people/${bob}/skills?from=yesterday`,
      undefined,
      errorBody(400, 'PEOPLE_ERR_INVALID', 'query parameter from must be a date YYYY-MM-DD'),
    ],
  ];
  for (const [method, url, body, expected] of cases) {
    const res = await api.call(method as 'GET' | 'POST', url, body);
    t.same(res.json(), expected, `${method} ${url}`);
  }
  t.same(
    (await api.call('GET', `/api/v1/people/${bob}/audit`)).json(),
    { audit: [] },
    'no trail yet',
  );

  const reader = await basicAuth(api.r.store, 'default', ['all']);
  const forbidden = await api.call('GET', '/api/v1/people', undefined, reader);
  t.equal(forbidden.statusCode, 403);
  t.equal(forbidden.json<{ code: string }>().code, 'AUTH_ERR_FORBIDDEN');
  t.equal((await api.call('GET', '/api/v1/people', undefined, 'Basic eDp5')).statusCode, 401);
});

const directoryJson = {
  organisation: 'Acme',
  departments: [{ id: 'd1', name: 'Ops' }],
  teams: [{ id: 't1', name: 'Red', department: 'd1' }],
  people: [
    {
      id: 'e1',
      name: 'Ann',
      identifiers: [
        { kind: 'mbox', value: 'mailto:ann@example.com' },
        { kind: 'account', homePage: SLACK, name: 'U1', from: '2024-01-01' },
      ],
      memberships: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
    },
    {
      id: 'e2',
      name: 'Bob',
      manager: 'e1',
      identifiers: [{ kind: 'mbox', value: 'mailto:bob@example.com' }],
      memberships: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
    },
  ],
};

t.test(
  'directory import: JSON, then the same as CSV, changes nothing the second time',
  async (t) => {
    const api = await setup(t);
    await seed(api.r.store, 'default');
    const first = await api.call('POST', '/api/v1/directory', directoryJson);
    t.equal(first.statusCode, 200);
    t.match(first.json(), { people: 2, memberships: 2 });
    t.equal(first.json<{ merges: string[] }>().merges.length, 1);
    const ann = await api.personOf(ANN_SLACK);
    t.equal(await api.personOf(ANN), ann);
    const person = await api.call('GET', `/api/v1/people/${ann}`);
    t.match(person.json(), {
      id: ann,
      identifiers: [ANN_SLACK, ANN, ANN_SHA1].sort(),
      memberships: [
        {
          directoryId: 'e1',
          name: 'Ann',
          identifierPeriods: [{ key: ANN_SLACK, from: '2024-01-01' }],
          periods: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
        },
      ],
    });
    const again = await api.call('POST', '/api/v1/directory', directoryJson);
    t.same(again.json(), { people: 2, merges: [], memberships: 0 }, 'idempotent');

    const csv =
      `person_id,name,email,department,team,manager_id,valid_from,valid_to,account:${SLACK}\r\n` +
      'e1,Ann,ann@example.com,d1,t1,,2024-01-01,,U1\r\n' +
      'e2,Bob,bob@example.com,d1,t1,e1,2024-01-01,,\r\n';
    const fromCsv = await api.call('POST', '/api/v1/directory', csv, api.admin, 'text/csv');
    t.equal(fromCsv.statusCode, 200);
    t.same(
      fromCsv.json(),
      { people: 2, merges: [], memberships: 1 },
      'no merge; only Ann record differs (the CSV has no account dates)',
    );
    const twice = await api.call('POST', '/api/v1/directory', csv, api.admin, 'text/csv');
    t.same(twice.json(), { people: 2, merges: [], memberships: 0 });

    const badCsv = await api.call(
      'POST',
      '/api/v1/directory',
      'person_id,name\n',
      api.admin,
      'text/csv',
    );
    t.same(
      badCsv.json(),
      errorBody(400, 'DIRECTORY_ERR_INVALID', 'the CSV header lacks the column email'),
    );
    const conflict = await api.call('POST', '/api/v1/directory', {
      people: [
        {
          ...directoryJson.people[1],
          identifiers: [{ kind: 'account', homePage: SLACK, name: 'U1' }],
        },
      ],
    });
    t.same(
      conflict.json(),
      errorBody(
        409,
        'DIRECTORY_ERR_CONFLICT',
        `directory person e2 lists ${ANN_SLACK}, but directory person e1 already has it; ` +
          'split that person first or correct the directory',
      ),
    );
    const xml = await api.call(
      'POST',
      '/api/v1/directory',
      '<people/>',
      api.admin,
      'application/xml',
    );
    t.equal(xml.statusCode, 415);
    t.equal(await api.personOf(BOB), await api.personOf(BOB_SHA1));
  },
);

t.test('two stores: each admin sees and changes only its own people', async (t) => {
  const api = await setup(t);
  const other = await basicAuth(api.r.store, 'other-store', ['admin']);
  await seed(api.r.store, 'default');
  await seed(api.r.store, 'other-store');
  const ann = await api.personOf(ANN);
  const bob = await api.personOf(BOB);
  const theirs = await api.call(
    'GET',
    `/api/v1/people?identifier=${encodeURIComponent(ANN)}`,
    undefined,
    other,
  );
  t.equal(theirs.json<{ people: { id: string }[] }>().people[0]?.id, ann, 'same key, same id');
  await api.call('POST', '/api/v1/people/merge', { people: [ann, bob] });
  t.equal(await api.personOf(BOB), ann, 'merged here');
  const elsewhere = await api.call(
    'GET',
    `/api/v1/people?identifier=${encodeURIComponent(BOB)}`,
    undefined,
    other,
  );
  t.equal(elsewhere.json<{ people: { id: string }[] }>().people[0]?.id, bob, 'not there');
  t.same(
    (await api.call('GET', `/api/v1/people/${ann}/audit`, undefined, other)).json(),
    { audit: [] },
    'the other store has no trail of this merge',
  );
});

function learning(n: number, actor: Statement['actor']): Statement & { id: string } {
  return {
    id: `5e1f0000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    actor,
    verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
    object: {
      id: `https://example.com/activities/${n % 3}`,
      definition: { extensions: { [SKILL_ALIGNMENT_EXTENSION]: [SKILL] } },
    },
    result: { success: n % 2 === 0, score: { scaled: ((n * 37) % 100) / 100 } },
    timestamp: new Date(Date.UTC(2024, 2, 1 + (n % 5), 9)).toISOString(),
  };
}

t.test('a merge and a split mid-stream: the person counts every row, exactly', async (t) => {
  const api = await setup(t);
  const writer = await basicAuth(api.r.store, 'default', ['all']);
  const post = async (statements: unknown[]) => {
    const res = await api.lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization: writer, 'x-experience-api-version': '2.0.0' },
      payload: statements as object[],
    });
    t.equal(res.statusCode, 200);
  };
  const pending = api.r.mongo.db.collection(COLLECTIONS.statements);
  const drained = () =>
    pollUntil('the pipeline to drain', async () =>
      (await pending.countDocuments({ 'pipeline.state': 'pending' })) === 0 ? true : undefined,
    );
  const actors: Statement['actor'][] = [
    { mbox: 'mailto:ann@example.com' },
    { mbox_sha1sum: mboxSha1('mailto:ann@example.com') },
    { account: { homePage: SLACK, name: 'U1' } },
  ];
  await startTestAggregator(t, api.r);
  let n = 0;
  const batch = async (size: number) => {
    await post(Array.from({ length: size }, () => learning(++n, actors[n % actors.length]!)));
  };
  /** What a full recomputation gives for these keys, per skill, as decimal strings. */
  const expected = async (keys: readonly string[]) => {
    const days = (await recomputeSkillDays(api.r.store, 'default')).filter((d) =>
      keys.includes(d.key.subject),
    );
    const sum = Object.fromEntries(
      TOTAL_FIELDS.map((f) => [f, days.reduce((a, d) => a + d.totals[f], 0n).toString()]),
    );
    return days.length === 0 ? [] : [{ skill: SKILL, ...sum }];
  };
  const skills = async (id: string) =>
    (await api.call('GET', `/api/v1/people/${id}/skills`)).json<{ skills: unknown[] }>().skills;

  await batch(6);
  await drained();
  const ann = await api.personOf(ANN);
  const slack = await api.personOf(ANN_SLACK);
  const before = { ann: await skills(ann), slack: await skills(slack) };
  t.same(before.ann, await expected([ANN, ANN_SHA1]), 'the mbox and its hash, summed');
  t.same(before.slack, await expected([ANN_SLACK]));

  // Statements keep arriving while the merge runs; some are aggregated before it, some after.
  await batch(3);
  const merge = await api.call('POST', '/api/v1/people/merge', { people: [ann, slack] });
  t.equal(merge.statusCode, 200);
  await batch(6);
  await drained();
  t.same(await skills(ann), await expected([ANN, ANN_SHA1, ANN_SLACK]), 'every row counts once');

  const split = await api.call('POST', `/api/v1/people/${ann}/split`, { identifiers: [ANN_SLACK] });
  const created = split.json<{ created: { id: string } }>().created.id;
  t.same(await skills(ann), await expected([ANN, ANN_SHA1]));
  t.same(await skills(created), await expected([ANN_SLACK]));
  const total = async (ids: string[]) => {
    let statements = 0n;
    for (const id of ids) {
      for (const s of (await skills(id)) as { statements: string }[])
        statements += BigInt(s.statements);
    }
    return statements;
  };
  t.equal(await total([ann, created]), 15n, 'all 15 statements, none lost or doubled');
});

t.test("the simulator's directory: JSON then CSV make one person per employee", async (t) => {
  const api = await setup(t);
  const world = buildWorld(simulationOptions({ people: 40, days: 30, seed: 7 }));
  const directory = buildDirectory(world.organisation, world.options);
  const first = await api.call('POST', '/api/v1/directory', directory);
  t.equal(first.statusCode, 200, first.body);
  // Every employee's identifiers are new: each makes one person per identifier, merged into one.
  const merged = first.json<{ people: number; merges: string[] }>();
  t.equal(merged.people, 40);
  t.equal(merged.merges.length, directory.people.filter((p) => p.identifiers.length > 1).length);
  const csv = directoryCsv(world.organisation, world.options);
  const again = await api.call('POST', '/api/v1/directory', csv, api.admin, 'text/csv');
  t.equal(again.statusCode, 200, again.body);
  t.same(again.json<{ merges: string[] }>().merges, [], 'the CSV names the same people');
  const listed = await api.call('GET', '/api/v1/people?limit=500');
  t.equal(listed.json<{ people: unknown[] }>().people.length, 40, 'one person per employee');
  const someone = directory.people[0];
  if (someone === undefined) throw new Error('no people');
  const id = await api.personOf(
    `mbox::${someone.identifiers[0]?.kind === 'mbox' ? someone.identifiers[0].value : ''}`,
  );
  const person = await api.call('GET', `/api/v1/people/${id}`);
  t.match(person.json(), {
    memberships: [{ directoryId: someone.id, name: someone.name, periods: someone.memberships }],
  });
});
