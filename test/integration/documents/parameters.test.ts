// Parameters of the document resources: every bad one is a 400 naming it (xAPI 1.0.3
// Communication 2.3, 2.6, 2.7 and 3.2.s3.b7; 2.0 LRS 4.1.5 and 4.1.6).
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import {
  ACTIVITY,
  ACTIVITY_PROFILE,
  AGENT,
  AGENT_PROFILE,
  documentClient,
  REGISTRATION,
  STATE,
  type Params,
} from './document-client.js';

const state = { activityId: ACTIVITY, agent: AGENT, stateId: 's' };

/** [what, method, path, params, message] */
const BAD: readonly [string, 'GET' | 'PUT' | 'POST' | 'DELETE', string, Params, string | RegExp][] =
  [
    [
      'agent that is not JSON',
      'GET',
      STATE,
      { ...state, agent: '{mbox:"mailto:ann@example.com"' },
      'parameter agent: must be a JSON Agent object; it is not JSON',
    ],
    [
      'agent that is JSON but not an object',
      'PUT',
      STATE,
      { ...state, agent: 'true' },
      'parameter agent: must be a JSON Agent object',
    ],
    [
      'agent with two IFIs',
      'PUT',
      STATE,
      { ...state, agent: { mbox: 'mailto:ann@example.com', openid: 'https://ann.example.com' } },
      /^parameter agent: .*(IFI|inverse functional|exactly one)/i,
    ],
    [
      'agent without an IFI',
      'GET',
      AGENT_PROFILE,
      { agent: { name: 'Ann' }, profileId: 'p' },
      /^parameter agent: /,
    ],
    [
      'agent with a malformed mbox',
      'POST',
      STATE,
      { ...state, agent: { mbox: 'ann@example.com' } },
      /^parameter agent: agent\.mbox /,
    ],
    [
      'agent with an unknown property',
      'DELETE',
      STATE,
      { ...state, agent: { mbox: 'mailto:ann@example.com', nick: 'an' } },
      /^parameter agent: /,
    ],
    [
      'a Group for agent',
      'PUT',
      AGENT_PROFILE,
      { agent: { objectType: 'Group', mbox: 'mailto:team@example.com' }, profileId: 'p' },
      /^parameter agent: must be an Agent, not a Group/,
    ],
    [
      'activityId that is not an IRI',
      'GET',
      STATE,
      { ...state, activityId: 'safety course' },
      'parameter activityId: must be an IRI (with a scheme), got "safety course"',
    ],
    [
      'activityId without a scheme',
      'PUT',
      ACTIVITY_PROFILE,
      { activityId: 'example.com/a', profileId: 'p' },
      /^parameter activityId: must be an IRI/,
    ],
    [
      'registration that is not a UUID',
      'PUT',
      STATE,
      { ...state, registration: 'reg-1' },
      'parameter registration: must be a UUID, got "reg-1"',
    ],
    [
      'since that is not a timestamp',
      'GET',
      STATE,
      { activityId: ACTIVITY, agent: AGENT, since: 'yesterday' },
      'parameter since: must be an ISO 8601 timestamp, got "yesterday"',
    ],
    [
      'since with a stateId',
      'GET',
      STATE,
      { ...state, since: '2026-01-01T00:00:00Z' },
      /^parameter since: lists ids; it cannot be combined with stateId/,
    ],
    [
      'since on a PUT',
      'PUT',
      STATE,
      { ...state, since: '2026-01-01T00:00:00Z' },
      'unknown parameter since',
    ],
    [
      'a missing activityId',
      'GET',
      STATE,
      { agent: AGENT, stateId: 's' },
      'parameter activityId: is required',
    ],
    [
      'a missing agent',
      'POST',
      STATE,
      { activityId: ACTIVITY, stateId: 's' },
      'parameter agent: is required',
    ],
    [
      'a missing stateId on PUT',
      'PUT',
      STATE,
      { activityId: ACTIVITY, agent: AGENT },
      'parameter stateId: is required',
    ],
    [
      'a missing profileId on POST',
      'POST',
      ACTIVITY_PROFILE,
      { activityId: ACTIVITY },
      'parameter profileId: is required',
    ],
    [
      'an empty stateId',
      'GET',
      STATE,
      { ...state, stateId: '' },
      'parameter stateId: must not be empty',
    ],
    [
      'an unknown parameter',
      'GET',
      STATE,
      { ...state, method: 'x', foo: 'bar' },
      'unknown parameter method',
    ],
    [
      'a parameter in the wrong case',
      'GET',
      STATE,
      { agent: AGENT, activityID: ACTIVITY, stateId: 's' },
      'unknown parameter activityID',
    ],
    [
      'a parameter of another resource',
      'GET',
      ACTIVITY_PROFILE,
      { activityId: ACTIVITY, profileId: 'p', agent: AGENT },
      'unknown parameter agent',
    ],
    [
      'registration on a profile',
      'PUT',
      AGENT_PROFILE,
      { agent: AGENT, profileId: 'p', registration: REGISTRATION },
      'unknown parameter registration',
    ],
  ];

for (const version of ['1.0.3', '2.0.0']) {
  t.test(`${version}: each bad parameter is a 400 naming it`, async (t) => {
    const { app, store } = await buildTestApp(t);
    const auth = await basicAuth(store, 'default', ['all']);
    const lrs = documentClient(app, auth, version);
    for (const [what, method, path, params, message] of BAD) {
      const res =
        method === 'GET'
          ? await lrs.get(path, params)
          : method === 'DELETE'
            ? await lrs.delete(path, params)
            : await lrs[method === 'PUT' ? 'put' : 'post'](path, params, '{}', {
                'if-none-match': '*',
              });
      t.equal(res.statusCode, 400, `${what}: ${res.body}`);
      t.match(
        res.json(),
        { statusCode: 400, error: 'Bad Request', code: 'XAPI_ERR_PARAMETER', message },
        what,
      );
      t.equal(res.headers['x-experience-api-version'], version);
    }
    t.same(
      (await lrs.get(STATE, { activityId: ACTIVITY, agent: AGENT })).json(),
      [],
      'nothing stored',
    );
  });
}

t.test('a parameter given twice is a 400', async (t) => {
  const { app, store } = await buildTestApp(t);
  const auth = await basicAuth(store, 'default', ['all']);
  const res = await app.inject({
    method: 'GET',
    url: `${STATE}?activityId=${encodeURIComponent(ACTIVITY)}&agent=${encodeURIComponent(JSON.stringify(AGENT))}&stateId=a&stateId=b`,
    headers: { authorization: auth, 'x-experience-api-version': '1.0.3' },
  });
  t.equal(res.statusCode, 400);
  t.same(res.json(), {
    statusCode: 400,
    error: 'Bad Request',
    code: 'XAPI_ERR_PARAMETER',
    message: 'parameter stateId: must be given once',
  });
});

t.test('every IFI form addresses documents: mbox_sha1sum, openid and account', async (t) => {
  const { app, store } = await buildTestApp(t);
  const auth = await basicAuth(store, 'default', ['all']);
  const lrs = documentClient(app, auth, '2.0.0');
  const agents = [
    { mbox_sha1sum: 'ebd31e95054c018b10727ccffd2ef2ec3a016ee9' },
    { openid: 'https://ann.example.com/' },
    { objectType: 'Agent', account: { homePage: 'https://lms.example.com', name: 'ann' } },
  ];
  for (const [i, agent] of agents.entries()) {
    const params = { agent, profileId: 'p' };
    t.equal((await lrs.put(AGENT_PROFILE, params, `{"i":${i}}`)).statusCode, 204);
  }
  for (const [i, agent] of agents.entries()) {
    t.equal((await lrs.get(AGENT_PROFILE, { agent, profileId: 'p' })).body, `{"i":${i}}`);
  }
  const upper = { mbox_sha1sum: 'EBD31E95054C018B10727CCFFD2EF2EC3A016EE9' };
  t.equal(
    (await lrs.get(AGENT_PROFILE, { agent: upper, profileId: 'p' })).body,
    '{"i":0}',
    'a SHA-1 in capitals is the same agent',
  );
});
