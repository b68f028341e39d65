import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

const ID = '6f0d1a3e-2a5b-4c1d-9e8f-0a1b2c3d4e5f';

function completed(
  id?: string,
  activity = 'https://example.com/courses/safety',
): Record<string, unknown> {
  return {
    ...(id !== undefined ? { id } : {}),
    actor: { objectType: 'Agent', mbox: 'mailto:ann@Example.com', name: 'Ann' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
    object: { objectType: 'Activity', id: activity },
  };
}

async function setup(t: Teardown) {
  const r = await buildTestApp(t);
  const auth = await basicAuth(r.store, 'default', ['all']);
  const headers = { authorization: auth, 'x-experience-api-version': '2.0.0' };
  return { ...r, headers };
}

t.test('POST stores one statement and GET returns it with what the LRS adds', async (t) => {
  const { app, headers } = await setup(t);
  const post = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers,
    payload: completed(ID),
  });
  t.equal(post.statusCode, 200);
  t.same(post.json(), [ID]);
  t.equal(post.headers['x-experience-api-version'], '2.0.0');

  const get = await app.inject({
    method: 'GET',
    url: `/xapi/statements?statementId=${ID}`,
    headers,
  });
  t.equal(get.statusCode, 200);
  const s = get.json<Record<string, unknown>>();
  t.equal(s['id'], ID);
  t.match(s, completed(ID), 'what was sent is kept');
  t.match(s['stored'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  t.equal(s['timestamp'], s['stored'], 'timestamp defaults to stored');
  t.equal(s['version'], '2.0.0');
  t.match(s['authority'], {
    objectType: 'Agent',
    account: { homePage: 'https://cairn-lrs.org/credentials' },
  });
  t.ok(get.headers['x-experience-api-consistent-through']);
  t.ok(get.headers['last-modified'], 'Last-Modified under 2.0');

  const head = await app.inject({
    method: 'HEAD',
    url: `/xapi/statements?statementId=${ID}`,
    headers,
  });
  t.equal(head.statusCode, 200);
  t.equal(head.body, '', 'HEAD has no body');
});

t.test('POST of an array assigns ids in order; the whole batch or nothing', async (t) => {
  const { app, headers } = await setup(t);
  const ok = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers,
    payload: [completed(), completed(ID)],
  });
  t.equal(ok.statusCode, 200);
  const ids = ok.json<string[]>();
  t.equal(ids.length, 2);
  t.equal(ids[1], ID);
  t.match(ids[0], /^[0-9a-f-]{36}$/);

  const bad = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers,
    payload: [
      completed('0f0d1a3e-2a5b-4c1d-9e8f-0a1b2c3d4e5f'),
      { ...completed(), actor: { mbox: 'ann@example.com' } },
    ],
  });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), {
    statusCode: 400,
    code: 'XAPI_ERR_VALIDATION',
    message: /\[1\]\.actor\.mbox/,
  });
  t.equal(bad.headers['x-experience-api-version'], '2.0.0', 'errors carry the version too');
  const absent = await app.inject({
    method: 'GET',
    url: '/xapi/statements?statementId=0f0d1a3e-2a5b-4c1d-9e8f-0a1b2c3d4e5f',
    headers,
  });
  t.equal(absent.statusCode, 404, 'the valid statement of a refused batch was not stored');
});

t.test(
  'the same id with the same content is accepted once; with other content it is a 409',
  async (t) => {
    const { app, headers } = await setup(t);
    t.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/xapi/statements',
          headers,
          payload: completed(ID),
        })
      ).statusCode,
      200,
    );
    // Same statement, different verb display and email-domain case: equal by the spec's rules.
    const again = {
      ...completed(ID),
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'fr-FR': 'terminé' } },
    };
    const same = await app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers,
      payload: again,
    });
    t.equal(same.statusCode, 200);
    t.same(same.json(), [ID]);
    const put = await app.inject({
      method: 'PUT',
      url: `/xapi/statements?statementId=${ID}`,
      headers,
      payload: completed(),
    });
    t.equal(put.statusCode, 204, 'PUT of an identical statement');

    const other = await app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers,
      payload: completed(ID, 'https://example.com/courses/other'),
    });
    t.equal(other.statusCode, 409);
    t.same(other.json(), {
      statusCode: 409,
      error: 'Conflict',
      code: 'XAPI_ERR_CONFLICT',
      message: `statement ${ID} already exists with different content`,
    });
    const list = await app.inject({ method: 'GET', url: '/xapi/statements', headers });
    t.equal(list.json<{ statements: unknown[] }>().statements.length, 1, 'one copy, unchanged');
  },
);

t.test('PUT needs statementId and refuses a body whose id differs', async (t) => {
  const { app, headers } = await setup(t);
  const missing = await app.inject({
    method: 'PUT',
    url: '/xapi/statements',
    headers,
    payload: completed(),
  });
  t.equal(missing.statusCode, 400);
  t.match(missing.json(), {
    code: 'XAPI_ERR_PARAMETER',
    message: 'parameter statementId: is required on PUT',
  });
  const mismatch = await app.inject({
    method: 'PUT',
    url: `/xapi/statements?statementId=${ID}`,
    headers,
    payload: completed('0f0d1a3e-2a5b-4c1d-9e8f-0a1b2c3d4e5f'),
  });
  t.equal(mismatch.statusCode, 400);
  t.match(mismatch.json(), { code: 'XAPI_ERR_ID_MISMATCH' });
});

t.test('every xAPI request but /about needs a supported version header', async (t) => {
  const { app, headers } = await setup(t);
  const none = await app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: { authorization: headers.authorization },
  });
  t.equal(none.statusCode, 400);
  t.match(none.json(), { code: 'XAPI_ERR_VERSION_MISSING' });
  t.equal(
    none.headers['x-experience-api-version'],
    '2.0.0',
    'a request that names no version is answered with the latest Cairn serves',
  );
  const old = await app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: { ...headers, 'x-experience-api-version': '0.95' },
  });
  t.equal(old.statusCode, 400);
  t.match(old.json(), { code: 'XAPI_ERR_VERSION_UNSUPPORTED', message: /0\.95/ });
  const v102 = await app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: { ...headers, 'x-experience-api-version': '1.0.2' },
  });
  t.equal(v102.statusCode, 200);
  t.equal(v102.headers['x-experience-api-version'], '1.0.3', 'the latest 1.0 patch answers');
  t.notOk(v102.headers['last-modified'], 'no Last-Modified under 1.0.x');
});

t.test(
  'with a configured default version (CAIRN_XAPI_DEFAULT_VERSION), a request without the header is served under it',
  async (t) => {
    const r = await buildTestApp(t, { defaultXapiVersion: '1.0.3' });
    const authorization = await basicAuth(r.store, 'default', ['all']);
    const post = await r.app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization },
      payload: completed(ID),
    });
    t.equal(post.statusCode, 200);
    t.equal(post.headers['x-experience-api-version'], '1.0.3', 'the version used is echoed');
    const get = await r.app.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${ID}`,
      headers: { authorization },
    });
    // xAPI 1.0.3 Data 2.4.10: a statement without `version` is stored as 1.0.0 under 1.0.x.
    t.equal(get.json<Record<string, unknown>>()['version'], '1.0.0', 'and stored under 1.0.x');
    t.notOk(get.headers['last-modified'], 'with 1.0.x behaviour');
    const explicit = await r.app.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${ID}`,
      headers: { authorization, 'x-experience-api-version': '2.0.0' },
    });
    t.equal(explicit.headers['x-experience-api-version'], '2.0.0', 'a header still wins');
    const bad = await r.app.inject({
      method: 'GET',
      url: '/xapi/statements',
      headers: { authorization, 'x-experience-api-version': '3.0.0' },
    });
    t.equal(bad.statusCode, 400, 'an unsupported header is not replaced by the default');
  },
);

t.test('2.0 contextAgents are refused under 1.0.3 and accepted under 2.0', async (t) => {
  const { app, headers } = await setup(t);
  const withContextAgents = {
    ...completed(),
    context: {
      contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:coach@example.com' } }],
    },
  };
  const v1 = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { ...headers, 'x-experience-api-version': '1.0.3' },
    payload: withContextAgents,
  });
  t.equal(v1.statusCode, 400);
  const v2 = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers,
    payload: withContextAgents,
  });
  t.equal(v2.statusCode, 200);
});

t.test('credentials: none is 401, a read-only credential cannot write', async (t) => {
  const r = await buildTestApp(t);
  const reader = await basicAuth(r.store, 'default', ['statements/read']);
  const anonymous = await r.app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: { 'x-experience-api-version': '2.0.0' },
  });
  t.equal(anonymous.statusCode, 401);
  t.equal(anonymous.headers['www-authenticate'], 'Basic realm="Cairn"');
  const write = await r.app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { authorization: reader, 'x-experience-api-version': '2.0.0' },
    payload: completed(),
  });
  t.equal(write.statusCode, 403);
  t.match(write.json(), { code: 'AUTH_ERR_FORBIDDEN' });
});

t.test(
  'a body whose Content-Type does not fit is a 400 naming it, and nothing is stored',
  async (t) => {
    const { app, headers } = await setup(t);
    for (const contentType of ['application/xml', 'image/png']) {
      const res = await app.inject({
        method: 'POST',
        url: '/xapi/statements',
        headers: { ...headers, 'content-type': contentType },
        payload: JSON.stringify(completed(ID)),
      });
      t.equal(res.statusCode, 400, contentType);
      t.match(res.json(), { code: 'XAPI_ERR_CONTENT_TYPE', message: new RegExp(contentType) });
    }
    const get = await app.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${ID}`,
      headers,
    });
    t.equal(get.statusCode, 404);
  },
);

t.test('a method a resource does not take is a 405 naming the ones it does', async (t) => {
  const { app, headers } = await setup(t);
  const cases: [string, string, string][] = [
    ['DELETE', `/xapi/statements?statementId=${ID}`, 'GET, HEAD, PUT, POST'],
    ['PATCH', '/xapi/statements', 'GET, HEAD, PUT, POST'],
    ['PUT', '/xapi/activities', 'GET, HEAD, POST'],
  ];
  for (const [method, url, allow] of cases) {
    // No credential: the resource's methods are no secret, and the ADL suite sends none.
    const res = await app.inject({
      method: method as 'DELETE' | 'PATCH' | 'PUT',
      url,
      headers: { 'x-experience-api-version': '1.0.3' },
    });
    t.equal(res.statusCode, 405, `${method} ${url}`);
    t.equal(res.headers['allow'], allow);
    t.match(res.json(), { code: 'XAPI_ERR_METHOD_NOT_ALLOWED' });
  }
  const nowhere = await app.inject({ method: 'GET', url: '/xapi/nowhere', headers });
  t.equal(nowhere.statusCode, 404, 'a path that is no resource stays a 404');
});

t.test('a statement version of "1.0" is valid and kept as sent', async (t) => {
  const { app, headers } = await setup(t);
  const v1 = { ...headers, 'x-experience-api-version': '1.0.3' };
  const post = await app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: v1,
    payload: { ...completed(ID), version: '1.0' },
  });
  t.equal(post.statusCode, 200, post.body);
  const get = await app.inject({
    method: 'GET',
    url: `/xapi/statements?statementId=${ID}`,
    headers: v1,
  });
  t.equal(get.json<{ version: string }>().version, '1.0');
});
