// The Activities resource (xAPI Communication 2.5): the canonical definition Cairn builds from
// the statements of a store, under 1.0.3 and 2.0.
import t from 'tap';
import { RECENT_STATEMENTS } from '@cairn/lrs';
import { canonicalJson } from '@cairn/xapi';
import { query, setup, statement, VERSIONS } from './resource-client.js';

const ACTIVITY = 'https://example.com/courses/safety';
const EXT = 'https://example.com/extensions/level';

const first = {
  name: { 'en-US': 'Safety' },
  description: { 'en-US': 'How to stay safe' },
  type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  interactionType: 'choice',
  correctResponsesPattern: ['a'],
  choices: [
    { id: 'a', description: { 'en-US': 'Wear a helmet' } },
    { id: 'b', description: { 'en-US': 'Run' } },
  ],
  extensions: { [EXT]: { min: 1 } },
};
const second = {
  name: { fr: 'Sécurité' },
  description: { 'en-US': 'How to stay safe at work' },
  interactionType: 'choice',
  correctResponsesPattern: ['b'],
  choices: [{ id: 'b' }],
};
/** `first` then `second`, merged (docs/activities-and-agents.md). */
const canonical = {
  name: { 'en-US': 'Safety', fr: 'Sécurité' },
  description: { 'en-US': 'How to stay safe at work' },
  type: first.type,
  interactionType: 'choice',
  correctResponsesPattern: ['a'],
  choices: first.choices,
  extensions: first.extensions,
};

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

for (const version of VERSIONS) {
  t.test(`${version}: the canonical definition, at once and from the pipeline`, async (t) => {
    const r = await setup(t, version);
    const lrs = await r.client();
    const get = () => lrs.get('/activities', { activityId: ACTIVITY });

    await lrs.post([statement({ objectType: 'Activity', id: ACTIVITY, definition: first })]);
    const res = await get();
    t.equal(res.statusCode, 200);
    t.equal(res.headers['x-experience-api-version'], version);
    t.match(res.headers['content-type'], /^application\/json/);
    t.same(
      res.json(),
      { objectType: 'Activity', id: ACTIVITY, definition: first },
      'the complete Activity Object right after the POST, before the pipeline ran',
    );

    // As a parent in a later statement's context: merged property by property.
    await lrs.post([
      statement(
        { id: 'https://example.com/other' },
        { context: { contextActivities: { parent: [{ id: ACTIVITY, definition: second }] } } },
      ),
    ]);
    t.same((await get()).json(), { objectType: 'Activity', id: ACTIVITY, definition: canonical });

    // Statements without definitions push both out of the latest ones a GET reads itself: from
    // now on the definition can only come from what the pipeline recorded.
    await lrs.post(Array.from({ length: RECENT_STATEMENTS }, () => statement({ id: ACTIVITY })));
    t.same((await get()).json(), { objectType: 'Activity', id: ACTIVITY }, 'not yet recorded');

    const aggregator = await r.startAggregator();
    await r.eventually('the pipeline to record the definitions', get, (body) =>
      same(body, { objectType: 'Activity', id: ACTIVITY, definition: canonical }),
    );
    await r.processed(aggregator, 3);
    const { before, after } = await r.reprocessAll();
    t.equal(
      before.filter((d) => typeof d === 'object' && d !== null && 'activityId' in d).length,
      2,
      'one record per distinct definition',
    );
    t.same(after, before, 'processing the same statements again changes nothing');
    t.same((await get()).json(), { objectType: 'Activity', id: ACTIVITY, definition: canonical });
  });

  t.test(`${version}: an activity never seen is still an Activity Object`, async (t) => {
    const r = await setup(t, version);
    const res = await (await r.client()).get('/activities', { activityId: 'urn:cairn:unseen' });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { objectType: 'Activity', id: 'urn:cairn:unseen' });
  });

  t.test(`${version}: without the define scope, statements define nothing`, async (t) => {
    const r = await setup(t, version);
    const definer = await r.client(['statements/write', 'define']);
    const writer = await r.client(['statements/write']);
    const reader = await r.client(['statements/read']);
    const aggregator = await r.startAggregator();
    await definer.post([statement({ id: ACTIVITY, definition: { name: { en: 'Safety' } } })]);
    await writer.post([statement({ id: ACTIVITY, definition: { name: { en: 'Hacked' } } })]);
    const expected = {
      objectType: 'Activity',
      id: ACTIVITY,
      definition: { name: { en: 'Safety' } },
    };
    t.same((await reader.get('/activities', { activityId: ACTIVITY })).json(), expected, 'at once');
    await writer.post(Array.from({ length: RECENT_STATEMENTS }, () => statement({ id: ACTIVITY })));
    await r.processed(aggregator, 3);
    t.same(
      (await reader.get('/activities', { activityId: ACTIVITY })).json(),
      expected,
      'as recorded by the pipeline',
    );
  });

  t.test(`${version}: another store sees nothing of this store's activities`, async (t) => {
    const r = await setup(t, version);
    const mine = await r.client();
    const theirs = await r.client(['all'], 'other-store');
    const aggregator = await r.startAggregator();
    await mine.post([statement({ id: ACTIVITY, definition: { name: { en: 'Mine' } } })]);
    await theirs.post([statement({ id: ACTIVITY, definition: { name: { fr: 'À eux' } } })]);
    // Out of the latest statements, so that only the pipeline's records count.
    for (const lrs of [mine, theirs]) {
      await lrs.post(Array.from({ length: RECENT_STATEMENTS }, () => statement({ id: ACTIVITY })));
    }
    await r.processed(aggregator, 4);
    t.same((await mine.get('/activities', { activityId: ACTIVITY })).json(), {
      objectType: 'Activity',
      id: ACTIVITY,
      definition: { name: { en: 'Mine' } },
    });
    t.same((await theirs.get('/activities', { activityId: ACTIVITY })).json(), {
      objectType: 'Activity',
      id: ACTIVITY,
      definition: { name: { fr: 'À eux' } },
    });
    const stranger = await r.client(['all'], 'third-store');
    t.same((await stranger.get('/activities', { activityId: ACTIVITY })).json(), {
      objectType: 'Activity',
      id: ACTIVITY,
    });
  });

  t.test(`${version}: bad parameters are refused, naming the parameter`, async (t) => {
    const r = await setup(t, version);
    const lrs = await r.client();
    const cases: [string, string, string][] = [
      ['missing', '', 'parameter activityId: is required'],
      ['empty', 'activityId=', 'parameter activityId: must not be empty'],
      [
        'not an IRI',
        'activityId=safety',
        'parameter activityId: must be an IRI (with a scheme), got "safety"',
      ],
      [
        'repeated',
        `${query({ activityId: ACTIVITY })}&${query({ activityId: ACTIVITY })}`,
        'parameter activityId: must be given once',
      ],
      ['unknown', `${query({ activityId: ACTIVITY })}&since=x`, 'unknown parameter since'],
      ['wrong case', query({ activityid: ACTIVITY }), 'unknown parameter activityid'],
    ];
    for (const [what, qs, message] of cases) {
      const res = await lrs.get('/activities', qs);
      t.same(
        { status: res.statusCode, body: res.json<unknown>() },
        {
          status: 400,
          body: { statusCode: 400, error: 'Bad Request', code: 'XAPI_ERR_PARAMETER', message },
        },
        what,
      );
    }
  });
}

t.test('reading activities needs statements/read or a scope implying it', async (t) => {
  const r = await setup(t, '2.0.0');
  const params = { activityId: ACTIVITY };
  for (const scopes of [['statements/read'], ['all/read'], ['all']] as const) {
    t.equal((await (await r.client(scopes)).get('/activities', params)).statusCode, 200, scopes[0]);
  }
  for (const scopes of [['statements/read/mine'], ['define'], ['statements/write']] as const) {
    const res = await (await r.client(scopes)).get('/activities', params);
    t.equal(res.statusCode, 403, scopes[0]);
  }
  const anonymous = await r.app.inject({
    method: 'GET',
    url: `/xapi/activities?${query(params)}`,
    headers: { 'x-experience-api-version': '2.0.0' },
  });
  t.equal(anonymous.statusCode, 401);
});

t.test('1.0.3: HEAD, the alternate request syntax, and no other method', async (t) => {
  const r = await setup(t, '1.0.3');
  const lrs = await r.client();
  await lrs.post([statement({ id: ACTIVITY, definition: { name: { en: 'Safety' } } })]);
  const head = await r.app.inject({
    method: 'HEAD',
    url: `/xapi/activities?${query({ activityId: ACTIVITY })}`,
    headers: lrs.headers,
  });
  t.equal(head.statusCode, 200);
  t.equal(head.body, '');

  const alternate = await r.app.inject({
    method: 'POST',
    url: '/xapi/activities?method=GET',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      activityId: ACTIVITY,
      Authorization: lrs.headers['authorization'] ?? '',
      'X-Experience-API-Version': '1.0.3',
    }).toString(),
  });
  t.equal(alternate.statusCode, 200);
  t.same(alternate.json(), {
    objectType: 'Activity',
    id: ACTIVITY,
    definition: { name: { en: 'Safety' } },
  });

  const post = await r.app.inject({
    method: 'POST',
    url: '/xapi/activities',
    headers: lrs.headers,
    payload: {},
  });
  t.equal(post.statusCode, 405);
  t.equal(post.headers['allow'], 'GET, HEAD');
  t.same(post.json(), {
    statusCode: 405,
    error: 'Method Not Allowed',
    code: 'XAPI_ERR_METHOD_NOT_ALLOWED',
    message:
      '/activities only answers GET (in xAPI 1.0.x also as POST ?method=GET, the alternate ' +
      'request syntax)',
  });
});
