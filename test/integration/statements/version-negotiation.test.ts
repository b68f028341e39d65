// X-Experience-API-Version negotiation (xAPI 1.0.3 Communication 3.3): `1.0` and any `1.0.N` are
// served under the 1.0 rules, `2.0` and any `2.0.N` under 2.0, and every response names the
// latest patch of the family asked for.
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';

const ID = '3c9e4f1a-5b6d-4e7f-8a9b-1c2d3e4f5a6b';
const statement = {
  id: ID,
  actor: { mbox: 'mailto:ann@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'https://example.com/courses/safety' },
};

t.test('1.0, 1.0.N and 2.0, 2.0.N are served, each under its own rules', async (t) => {
  const { app, store } = await buildTestApp(t);
  const authorization = await basicAuth(store, 'default', ['all']);
  const put = await app.inject({
    method: 'PUT',
    url: `/xapi/statements?statementId=${ID}`,
    headers: { authorization, 'x-experience-api-version': '1.0' },
    payload: statement,
  });
  t.equal(put.statusCode, 204, put.body);
  t.equal(put.headers['x-experience-api-version'], '1.0.3');

  const cases: [asked: string, answered: string][] = [
    ['1.0', '1.0.3'],
    ['1.0.0', '1.0.3'],
    ['1.0.2', '1.0.3'],
    ['1.0.4', '1.0.3'],
    ['1.0.10', '1.0.3'],
    ['2.0', '2.0.0'],
    ['2.0.0', '2.0.0'],
    ['2.0.5', '2.0.0'],
  ];
  for (const [asked, answered] of cases) {
    const get = await app.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${ID}`,
      headers: { authorization, 'x-experience-api-version': asked },
    });
    t.equal(get.statusCode, 200, `${asked}: ${get.body}`);
    t.equal(get.headers['x-experience-api-version'], answered, `${asked}: answered as ${answered}`);
    // Last-Modified on a statement GET is a 2.0 rule (LRS 4.1.6.1): it tells the rules used.
    t.equal(get.headers['last-modified'] !== undefined, answered === '2.0.0', `${asked}: rules`);
  }
  t.equal(
    (
      await app.inject({
        method: 'GET',
        url: `/xapi/statements?statementId=${ID}`,
        headers: { authorization, 'x-experience-api-version': '1.0' },
      })
    ).json<{ version: string }>().version,
    '1.0.0',
    'a statement without version, sent under `1.0`, is stored as 1.0.0',
  );
});

t.test('other versions are refused with 400 naming them, the header still set', async (t) => {
  const { app, store } = await buildTestApp(t);
  const authorization = await basicAuth(store, 'default', ['all']);
  for (const asked of ['1.0.3-beta', '1.0.x', '1.0.', '1.1', '1.1.0', '2.1.0', '3.0.0', '0.95']) {
    const res = await app.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { authorization, 'x-experience-api-version': asked },
    });
    t.equal(res.statusCode, 400, asked);
    t.match(
      res.json(),
      { statusCode: 400, error: 'Bad Request', code: 'XAPI_ERR_VERSION_UNSUPPORTED' },
      asked,
    );
    t.ok(res.json<{ message: string }>().message.includes(asked), `${asked}: named`);
    t.ok(res.headers['x-experience-api-version'], `${asked}: the response names a version`);
  }
});

t.test('/about answers with the latest patch of the family asked for', async (t) => {
  const { app } = await buildTestApp(t);
  for (const [asked, answered] of [
    ['1.0', '1.0.3'],
    ['1.0.1', '1.0.3'],
    ['2.0', '2.0.0'],
  ] as const) {
    const res = await app.inject({
      method: 'GET',
      url: '/xapi/about',
      headers: { 'x-experience-api-version': asked },
    });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['x-experience-api-version'], answered, asked);
  }
});

t.test('a configured default version still serves requests without the header', async (t) => {
  const { app, store } = await buildTestApp(t, { defaultXapiVersion: '1.0.1' });
  const authorization = await basicAuth(store, 'default', ['all']);
  const res = await app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: { authorization },
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-experience-api-version'], '1.0.3');
});
