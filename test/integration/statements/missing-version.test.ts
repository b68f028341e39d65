// A request without X-Experience-API-Version is refused with 400 (xAPI 1.0.3 Communication 3.3.s4.b1,
// the ADL suites' XAPI-00331), and that 400 must name some version although the request named
// none. The ADL 2.0 suite wants 2.0.0 there, its 1.0.3 suite a 1.0.x version: the answer is
// CAIRN_XAPI_MISSING_VERSION_REPLY (deps.missingXapiVersionReply), 2.0.0 by default. The cases are
// the 1.0.3 suite's (Communication 3.3.s4.b1): Statement GET, POST and PUT without the header.
import type { InjectOptions } from 'fastify';
import t from 'tap';
import type { LrsDeps } from '@cairn/lrs';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

const ID = '5b2f0c4e-6d7a-4b8c-9d0e-1f2a3b4c5d6e';
const statement = {
  actor: { objectType: 'Agent', mbox: 'mailto:ann@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { objectType: 'Activity', id: 'https://example.com/courses/safety' },
};

const MISSING = {
  statusCode: 400,
  error: 'Bad Request',
  code: 'XAPI_ERR_VERSION_MISSING',
  message: 'the X-Experience-API-Version header is required (1.0, 1.0.x, 2.0 or 2.0.x)',
};

/** The three requests of the 1.0.3 suite, without a version header. */
const CASES: readonly { name: string; request: (authorization: string) => InjectOptions }[] = [
  {
    name: 'Statement GET',
    request: (authorization) => ({
      method: 'GET',
      url: `/xapi/statements?statementId=${ID}`,
      headers: { authorization },
    }),
  },
  {
    name: 'Statement POST',
    request: (authorization) => ({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...statement, id: ID }),
    }),
  },
  {
    name: 'Statement PUT',
    request: (authorization) => ({
      method: 'PUT',
      url: `/xapi/statements?statementId=${ID}`,
      headers: { authorization, 'content-type': 'application/json' },
      payload: JSON.stringify(statement),
    }),
  },
];

async function setup(t: Teardown, deps: Partial<Omit<LrsDeps, 'store'>>) {
  const built = await buildTestApp(t, deps);
  const authorization = await basicAuth(built.store, 'default', ['all']);
  /** Whether statement ID is stored, asked with a version. */
  const stored = async () =>
    (
      await built.app.inject({
        method: 'GET',
        url: `/xapi/statements?statementId=${ID}`,
        headers: { authorization, 'x-experience-api-version': '1.0.3' },
      })
    ).statusCode === 200;
  return { ...built, authorization, stored };
}

// Each configuration as the two certification runs use it: 1.0.3 set, and the default.
const SETTINGS: readonly { name: string; deps: Partial<Omit<LrsDeps, 'store'>>; answer: string }[] =
  [
    { name: 'set to 1.0.3', deps: { missingXapiVersionReply: '1.0.3' }, answer: '1.0.3' },
    { name: 'by default', deps: {}, answer: '2.0.0' },
  ];

for (const setting of SETTINGS) {
  for (const c of CASES) {
    t.test(
      `${c.name} without X-Experience-API-Version, the reply version ${setting.name}: 400 naming ${setting.answer}`,
      async (t) => {
        const { app, authorization, stored } = await setup(t, setting.deps);
        const res = await app.inject(c.request(authorization));
        t.equal(res.statusCode, 400);
        t.same(res.json(), MISSING);
        t.equal(res.headers['x-experience-api-version'], setting.answer);
        t.equal(await stored(), false, 'nothing stored');
      },
    );
  }
}

t.test('the setting changes no answer to a request that names a version', async (t) => {
  const { app, authorization } = await setup(t, { missingXapiVersionReply: '1.0.3' });
  for (const [asked, answered] of [
    ['2.0.0', '2.0.0'],
    ['2.0', '2.0.0'],
    ['1.0.1', '1.0.3'],
  ] as const) {
    const res = await app.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${ID}`,
      headers: { authorization, 'x-experience-api-version': asked },
    });
    t.equal(res.statusCode, 404, asked);
    t.equal(res.headers['x-experience-api-version'], answered, asked);
  }
  const put = await app.inject({
    method: 'PUT',
    url: `/xapi/statements?statementId=${ID}`,
    headers: { authorization, 'x-experience-api-version': '2.0.0' },
    payload: statement,
  });
  t.equal(put.statusCode, 204, put.body);
  t.equal(put.headers['x-experience-api-version'], '2.0.0');
});

t.test('a configured default version still serves a request without the header', async (t) => {
  const { app, authorization } = await setup(t, {
    defaultXapiVersion: '2.0.0',
    missingXapiVersionReply: '1.0.3',
  });
  const res = await app.inject({
    method: 'GET',
    url: `/xapi/statements?statementId=${ID}`,
    headers: { authorization },
  });
  t.equal(res.statusCode, 404, 'served: the statement does not exist');
  t.equal(res.headers['x-experience-api-version'], '2.0.0', 'the default, not the reply version');
});

t.test('1.0.x alternate syntax: a form that names no version gets the same 400', async (t) => {
  for (const setting of SETTINGS) {
    const { app, authorization } = await setup(t, setting.deps);
    const res = await app.inject({
      method: 'POST',
      url: '/xapi/statements?method=GET',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ Authorization: authorization, statementId: ID }).toString(),
    });
    t.equal(res.statusCode, 400, setting.name);
    t.same(res.json(), MISSING, setting.name);
    t.equal(res.headers['x-experience-api-version'], setting.answer, setting.name);
  }
});
