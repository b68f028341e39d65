// The Agents resource (xAPI Communication 2.4): the Person Object with every identifier and name
// Cairn knows for an agent, under 1.0.3 and 2.0.
import t from 'tap';
import { RECENT_STATEMENTS } from '@cairn/lrs';
import { canonicalJson, mboxSha1 } from '@cairn/xapi';
import { query, setup, statement, VERSIONS } from './resource-client.js';

const ANN = 'mailto:ann@example.com';
const ANN_SHA1 = mboxSha1(ANN);
const COURSE = { id: 'https://example.com/courses/safety' };

/** What the statements below tell about Ann, as a Person. */
const ann = {
  objectType: 'Person',
  name: ['Ann', 'Ann B.'],
  mbox: [ANN],
  mbox_sha1sum: [ANN_SHA1],
};

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

for (const version of VERSIONS) {
  t.test(
    `${version}: a Person with every identifier and name, at once and from the pipeline`,
    async (t) => {
      const r = await setup(t, version);
      const lrs = await r.client();
      // Ann by mbox, then by the hash of her mbox only (a tool that hides addresses), then as an
      // instructor with an address whose domain is in capitals.
      await lrs.post([statement(COURSE, { actor: { name: 'Ann', mbox: ANN } })]);
      await lrs.post([statement(COURSE, { actor: { name: 'Ann B.', mbox_sha1sum: ANN_SHA1 } })]);
      await lrs.post([
        statement(COURSE, {
          context: { instructor: { name: 'Ann', mbox: 'mailto:ann@EXAMPLE.com' } },
        }),
      ]);
      const byMbox = () => lrs.get('/agents', { agent: { mbox: ANN } });
      const bySha1 = () =>
        lrs.get('/agents', { agent: { objectType: 'Agent', mbox_sha1sum: ANN_SHA1 } });

      const res = await byMbox();
      t.equal(res.statusCode, 200);
      t.equal(res.headers['x-experience-api-version'], version);
      t.same(res.json(), ann, 'right after the POSTs, before the pipeline ran');
      t.same(
        (await bySha1()).json(),
        { objectType: 'Person', name: ['Ann B.'], mbox_sha1sum: [ANN_SHA1] },
        'by the hash alone, at once: what statements said under the hash',
      );

      // Statements without names push Ann's out of the latest ones a GET reads itself.
      await lrs.post(
        Array.from({ length: 2 * RECENT_STATEMENTS }, (_, i) =>
          statement(COURSE, { actor: i % 2 === 0 ? { mbox: ANN } : { mbox_sha1sum: ANN_SHA1 } }),
        ),
      );
      const identifiersOnly = { objectType: 'Person', mbox: [ANN], mbox_sha1sum: [ANN_SHA1] };
      t.same((await byMbox()).json(), identifiersOnly, 'names not yet recorded');
      t.same((await bySha1()).json(), { objectType: 'Person', mbox_sha1sum: [ANN_SHA1] });

      const aggregator = await r.startAggregator();
      await r.eventually('the pipeline to record Ann', byMbox, (body) => same(body, ann));
      t.same((await bySha1()).json(), ann, 'the pipeline joins the hash to the mbox');
      await r.processed(aggregator, 4);
      const { before, after } = await r.reprocessAll();
      t.same(after, before, 'processing the same statements again changes nothing');
    },
  );

  t.test(`${version}: every kind of identifier comes back as an array`, async (t) => {
    const r = await setup(t, version);
    const lrs = await r.client();
    const account = { homePage: 'https://lms.example.com', name: 'u-17' };
    const openid = 'https://id.example.com/bob';
    await lrs.post([
      statement(COURSE, { actor: { name: 'Bob', openid } }),
      statement(COURSE, {
        actor: { objectType: 'Group', name: 'Team', member: [{ name: 'Cy', account }] },
      }),
    ]);
    t.same((await lrs.get('/agents', { agent: { openid } })).json(), {
      objectType: 'Person',
      name: ['Bob'],
      openid: [openid],
    });
    t.same((await lrs.get('/agents', { agent: { account } })).json(), {
      objectType: 'Person',
      name: ['Cy'],
      account: [account],
    });
  });

  t.test(`${version}: an agent never seen gets a Person with its identifier only`, async (t) => {
    const r = await setup(t, version);
    const res = await (
      await r.client()
    ).get('/agents', {
      agent: { objectType: 'Agent', name: 'Zed', mbox: 'mailto:zed@Example.com' },
    });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { objectType: 'Person', mbox: ['mailto:zed@example.com'] });
  });

  t.test(`${version}: without the define scope, names are not recorded`, async (t) => {
    const r = await setup(t, version);
    const writer = await r.client(['statements/write']);
    const reader = await r.client(['statements/read']);
    const aggregator = await r.startAggregator();
    await writer.post([statement(COURSE, { actor: { name: 'Not Ann', mbox: ANN } })]);
    await r.processed(aggregator, 1);
    t.same((await reader.get('/agents', { agent: { mbox: ANN } })).json(), {
      objectType: 'Person',
      mbox: [ANN],
    });
  });

  t.test(`${version}: another store sees nothing of this store's people`, async (t) => {
    const r = await setup(t, version);
    const mine = await r.client();
    const theirs = await r.client(['all'], 'other-store');
    const aggregator = await r.startAggregator();
    await mine.post([
      statement(COURSE, { actor: { name: 'Ann', mbox: ANN } }),
      statement(COURSE, { actor: { name: 'Ann B.', mbox_sha1sum: ANN_SHA1 } }),
    ]);
    await r.processed(aggregator, 1);
    t.same((await mine.get('/agents', { agent: { mbox: ANN } })).json(), ann);
    t.same(
      (await theirs.get('/agents', { agent: { mbox: ANN } })).json(),
      { objectType: 'Person', mbox: [ANN] },
      'only the identifier asked about',
    );
    t.same((await theirs.get('/agents', { agent: { mbox_sha1sum: ANN_SHA1 } })).json(), {
      objectType: 'Person',
      mbox_sha1sum: [ANN_SHA1],
    });
  });

  t.test(`${version}: bad agent parameters are refused, naming the parameter`, async (t) => {
    const r = await setup(t, version);
    const lrs = await r.client();
    const cases: [string, string, string][] = [
      ['missing', '', 'parameter agent: is required'],
      ['not JSON', 'agent=ann', 'parameter agent: must be a JSON Agent object; it is not JSON'],
      ['not an object', query({ agent: '[1]' }), 'parameter agent: must be a JSON Agent object'],
      [
        'two identifiers',
        query({ agent: { mbox: ANN, openid: 'https://id.example.com/ann' } }),
        'parameter agent: agent must have exactly one inverse functional identifier, has mbox, openid',
      ],
      [
        'no identifier',
        query({ agent: { name: 'Ann' } }),
        'parameter agent: agent must have an inverse functional identifier (mbox, mbox_sha1sum, ' +
          'openid or account)',
      ],
      [
        'a Group',
        query({ agent: { objectType: 'Group', mbox: 'mailto:team@example.com' } }),
        'parameter agent: must be an Agent, not a Group',
      ],
      [
        'a Person',
        query({ agent: { objectType: 'Person', mbox: [ANN] } }),
        'parameter agent: must be an Agent, not a Person: one identifier, no arrays',
      ],
      [
        'repeated',
        `${query({ agent: { mbox: ANN } })}&${query({ agent: { mbox: ANN } })}`,
        'parameter agent: must be given once',
      ],
      ['unknown', `${query({ agent: { mbox: ANN } })}&profileId=x`, 'unknown parameter profileId'],
      ['wrong case', query({ Agent: { mbox: ANN } }), 'unknown parameter Agent'],
    ];
    for (const [what, qs, message] of cases) {
      const res = await lrs.get('/agents', qs);
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

t.test('reading people needs statements/read or a scope implying it', async (t) => {
  const r = await setup(t, '2.0.0');
  const params = { agent: { mbox: ANN } };
  for (const scopes of [['statements/read'], ['all/read'], ['all']] as const) {
    t.equal((await (await r.client(scopes)).get('/agents', params)).statusCode, 200, scopes[0]);
  }
  for (const scopes of [['statements/read/mine'], ['profile'], ['statements/write']] as const) {
    t.equal((await (await r.client(scopes)).get('/agents', params)).statusCode, 403, scopes[0]);
  }
});
