// The alternate request syntax (xAPI 1.0.3 Communication 1.3): a form POST with ?method= whose
// fields carry headers, parameters and `content`, for browsers that cannot send custom headers.
// xAPI 2.0 removed it.
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import type { LrsDeps } from '@cairn/lrs';

const ID = '7a1e0b52-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const statement = {
  id: ID,
  actor: { mbox: 'mailto:ann@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'https://example.com/courses/safety' },
};
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const V103 = { 'x-experience-api-version': '1.0.3' };

async function setup(t: Teardown, deps: Partial<Omit<LrsDeps, 'store'>> = {}) {
  const { app, store } = await buildTestApp(t, deps);
  const auth = await basicAuth(store, 'default', ['all']);
  /** POST /xapi/statements?`query` with these form fields, and these real headers. */
  const form = (query: string, fields: Record<string, string>, headers = {}) =>
    app.inject({
      method: 'POST',
      url: `/xapi/statements?${query}`,
      headers: { ...FORM, ...headers },
      payload: new URLSearchParams(fields).toString(),
    });
  /** An ordinary GET of the statement, to see what a form request stored. */
  const getStatement = () =>
    app.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${ID}`,
      headers: { authorization: auth, ...V103 },
    });
  return { auth, form, getStatement };
}

t.test(
  '1.0.x: a form POST with ?method=PUT stores a statement and ?method=GET reads it',
  async (t) => {
    const { auth, form } = await setup(t);
    const put = await form('method=PUT', {
      Authorization: auth,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
      statementId: ID,
      content: JSON.stringify(statement),
    });
    t.equal(put.statusCode, 204, put.body);
    t.equal(put.headers['x-experience-api-version'], '1.0.3');

    const get = await form('method=GET', {
      Authorization: auth,
      'X-Experience-API-Version': '1.0.3',
      statementId: ID,
    });
    t.equal(get.statusCode, 200);
    t.match(get.json(), statement);
  },
);

t.test('the form carries the credentials: without them the replayed request is 401', async (t) => {
  const { form } = await setup(t);
  const res = await form('method=GET', { 'X-Experience-API-Version': '1.0.3' });
  t.equal(res.statusCode, 401);
});

t.test(
  'xAPI 2.0 has no alternate syntax; other parameters may not ride in the query',
  async (t) => {
    const { auth, form } = await setup(t);
    const v2 = await form('method=GET', {
      Authorization: auth,
      'X-Experience-API-Version': '2.0.0',
    });
    t.equal(v2.statusCode, 400);
    t.match(v2.json(), { code: 'XAPI_ERR_PARAMETER', message: /does not exist in xAPI 2\.0/ });
    t.equal(v2.headers['x-experience-api-version'], '2.0.0');
    const fields = { Authorization: auth, 'X-Experience-API-Version': '1.0.3' };
    const mixed = await form(`method=GET&statementId=${ID}`, fields);
    t.equal(mixed.statusCode, 400);
    const badMethod = await form('method=PATCH', fields);
    t.equal(badMethod.statusCode, 400);
  },
);

t.test(
  'a Content-Length form field (Communication 1.3.s3.b6) is accepted and ignored',
  async (t) => {
    const { auth, form, getStatement } = await setup(t);
    const put = await form('method=PUT', {
      Authorization: auth,
      'X-Experience-API-Version': '1.0.3',
      'Content-Type': 'application/json',
      // Shorter than the content on purpose: the content as received is what counts.
      'Content-Length': '3',
      statementId: ID,
      content: JSON.stringify(statement),
    });
    t.equal(put.statusCode, 204, put.body);
    t.match((await getStatement()).json(), statement, 'the whole statement was stored');
  },
);

t.test('headers the client could send as real HTTP headers are used', async (t) => {
  const { auth, form } = await setup(t);
  const put = await form(
    'method=PUT',
    { 'Content-Type': 'application/json', statementId: ID, content: JSON.stringify(statement) },
    { authorization: auth, ...V103 },
  );
  t.equal(put.statusCode, 204, put.body);
  t.equal(put.headers['x-experience-api-version'], '1.0.3');

  const get = await form(
    'method=GET',
    { statementId: ID },
    { authorization: auth, 'x-experience-api-version': '1.0' },
  );
  t.equal(get.statusCode, 200, get.body);
  t.match(get.json(), statement);
  t.equal(get.headers['x-experience-api-version'], '1.0.3', '`1.0` answered as 1.0.3');
});

t.test('form fields override the real headers, whatever their case', async (t) => {
  const { auth, form } = await setup(t);
  const wrong = `Basic ${Buffer.from('nobody:nothing').toString('base64')}`;
  const get = await form(
    'method=GET',
    { AUTHORIZATION: auth, 'x-experience-api-version': '1.0.7' },
    { authorization: wrong, 'x-experience-api-version': '2.0.0' },
  );
  t.equal(get.statusCode, 200, get.body);
  t.equal(get.headers['x-experience-api-version'], '1.0.3');

  const v2 = await form(
    'method=GET',
    { 'X-Experience-API-Version': '2.0' },
    { authorization: auth, ...V103 },
  );
  t.equal(v2.statusCode, 400);
  t.match(v2.json(), { code: 'XAPI_ERR_PARAMETER', message: /does not exist in xAPI 2\.0/ });
  t.equal(v2.headers['x-experience-api-version'], '2.0.0');
});

t.test(
  'the version must be named, in the form or the headers, and be one Cairn serves',
  async (t) => {
    // The configured default does not apply to this syntax (plugins/alternate-syntax.ts).
    const { auth, form } = await setup(t, { defaultXapiVersion: '1.0.3' });
    const missing = await form('method=GET', { statementId: ID }, { authorization: auth });
    t.equal(missing.statusCode, 400);
    t.match(missing.json(), { statusCode: 400, code: 'XAPI_ERR_VERSION_MISSING' });

    for (const asked of ['1.0.3-beta', '1.1.0']) {
      const bad = await form('method=GET', {
        Authorization: auth,
        'X-Experience-API-Version': asked,
      });
      t.equal(bad.statusCode, 400, asked);
      t.match(bad.json(), { statusCode: 400, code: 'XAPI_ERR_VERSION_UNSUPPORTED' }, asked);
      t.ok(bad.json<{ message: string }>().message.includes(asked), `${asked}: named`);
    }
  },
);

t.test('the form POST Origin is checked against the store like any request', async (t) => {
  const allowed = 'https://courses.example.com';
  const other = 'https://elsewhere.example.net';
  const { auth, form } = await setup(t, { corsOrigins: [allowed] });
  const put = (origin: string) =>
    form(
      'method=PUT',
      {
        Authorization: auth,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
        statementId: ID,
        content: JSON.stringify(statement),
      },
      { origin },
    );
  const refused = await put(other);
  t.equal(refused.statusCode, 403, refused.body);
  t.match(refused.json(), { code: 'AUTH_ERR_ORIGIN_NOT_ALLOWED' });
  const accepted = await put(allowed);
  t.equal(accepted.statusCode, 204, accepted.body);
  t.equal(accepted.headers['access-control-allow-origin'], allowed);
});

t.test('a header name that is not one of the six is a query parameter, as before', async (t) => {
  const { auth, form } = await setup(t);
  const res = await form('method=GET', {
    Authorization: auth,
    'X-Experience-API-Version': '1.0.3',
    Origin: 'https://courses.example.com',
  });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: 'XAPI_ERR_PARAMETER', message: 'unknown parameter Origin' });
});

t.test(
  'a form PUT of a statement without a Content-Type field: the content is JSON (ADL XAPI-00336)',
  async (t) => {
    const { auth, form, getStatement } = await setup(t);
    const put = await form(
      'method=PUT',
      { statementId: ID, content: JSON.stringify(statement) },
      { authorization: auth, ...V103 },
    );
    t.equal(put.statusCode, 204, put.body);
    t.equal((await getStatement()).statusCode, 200);
  },
);
