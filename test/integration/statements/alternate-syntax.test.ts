import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';

const ID = '7a1e0b52-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
const statement = {
  id: ID,
  actor: { mbox: 'mailto:ann@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'https://example.com/courses/safety' },
};
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

t.test(
  '1.0.x: a form POST with ?method=PUT stores a statement and ?method=GET reads it',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const auth = await basicAuth(store, 'default', ['all']);
    const put = await app.inject({
      method: 'POST',
      url: '/xapi/statements?method=PUT',
      headers: FORM,
      payload: new URLSearchParams({
        Authorization: auth,
        'X-Experience-API-Version': '1.0.3',
        'Content-Type': 'application/json',
        statementId: ID,
        content: JSON.stringify(statement),
      }).toString(),
    });
    t.equal(put.statusCode, 204, put.body);
    t.equal(put.headers['x-experience-api-version'], '1.0.3');

    const get = await app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: FORM,
      payload: new URLSearchParams({
        Authorization: auth,
        'X-Experience-API-Version': '1.0.3',
        statementId: ID,
      }).toString(),
    });
    t.equal(get.statusCode, 200);
    t.match(get.json(), statement);
  },
);

t.test('the form carries the credentials: without them the replayed request is 401', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({
    method: 'POST',
    url: '/xapi/statements?method=GET',
    headers: FORM,
    payload: new URLSearchParams({ 'X-Experience-API-Version': '1.0.3' }).toString(),
  });
  t.equal(res.statusCode, 401);
});

t.test(
  'xAPI 2.0 has no alternate syntax; other parameters may not ride in the query',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const auth = await basicAuth(store, 'default', ['all']);
    const v2 = await app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: FORM,
      payload: new URLSearchParams({
        Authorization: auth,
        'X-Experience-API-Version': '2.0.0',
      }).toString(),
    });
    t.equal(v2.statusCode, 400);
    t.match(v2.json(), { code: 'XAPI_ERR_PARAMETER', message: /does not exist in xAPI 2\.0/ });
    t.equal(v2.headers['x-experience-api-version'], '2.0.0');
    const mixed = await app.inject({
      method: 'POST',
      url: `/xapi/statements?method=GET&statementId=${ID}`,
      headers: FORM,
      payload: new URLSearchParams({
        Authorization: auth,
        'X-Experience-API-Version': '1.0.3',
      }).toString(),
    });
    t.equal(mixed.statusCode, 400);
    const badMethod = await app.inject({
      method: 'POST',
      url: '/xapi/statements?method=PATCH',
      headers: FORM,
      payload: new URLSearchParams({
        Authorization: auth,
        'X-Experience-API-Version': '1.0.3',
      }).toString(),
    });
    t.equal(badMethod.statusCode, 400);
  },
);
