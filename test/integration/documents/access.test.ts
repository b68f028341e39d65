// Who may do what with documents: scopes, stores, size limits and the alternate request syntax.
import { Readable } from 'node:stream';
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import {
  ACTIVITY,
  ACTIVITY_PROFILE,
  AGENT,
  AGENT_PROFILE,
  documentClient,
  etagOf,
  query,
  REGISTRATION,
  STATE,
} from './document-client.js';

const state = { activityId: ACTIVITY, agent: AGENT, stateId: 's' };
const activityProfile = { activityId: ACTIVITY, profileId: 'p' };
const agentProfile = { agent: AGENT, profileId: 'p' };

t.test(
  'scopes: state for State, profile for the profiles, all/read only for reading',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const as = async (scopes: Parameters<typeof basicAuth>[2]) =>
      documentClient(app, await basicAuth(store, 'default', scopes), '1.0.3');
    const all = await as(['all']);
    const create = { 'if-none-match': '*' }; // a 1.0.x profile PUT needs one (3.1.s3.b1)
    t.equal((await all.put(STATE, state, '{}')).statusCode, 204);
    t.equal((await all.put(ACTIVITY_PROFILE, activityProfile, '{}', create)).statusCode, 204);
    t.equal((await all.put(AGENT_PROFILE, agentProfile, '{}', create)).statusCode, 204);

    const stateOnly = await as(['state']);
    t.equal((await stateOnly.get(STATE, state)).statusCode, 200);
    const forbidden = await stateOnly.get(ACTIVITY_PROFILE, activityProfile);
    t.equal(forbidden.statusCode, 403);
    t.same(forbidden.json(), {
      statusCode: 403,
      error: 'Forbidden',
      code: 'AUTH_ERR_FORBIDDEN',
      message: 'this credential lacks scope profile; it has: state',
    });
    t.equal((await stateOnly.put(AGENT_PROFILE, agentProfile, '{}', create)).statusCode, 403);

    const profileOnly = await as(['profile']);
    t.equal((await profileOnly.get(AGENT_PROFILE, agentProfile)).statusCode, 200);
    t.equal((await profileOnly.delete(STATE, state)).statusCode, 403);

    const reader = await as(['all/read']);
    t.equal((await reader.get(STATE, state)).statusCode, 200);
    t.equal((await reader.get(ACTIVITY_PROFILE, { activityId: ACTIVITY })).statusCode, 200);
    t.equal((await reader.put(STATE, state, '{"x":1}')).statusCode, 403);
    t.equal((await reader.post(ACTIVITY_PROFILE, activityProfile, '{"x":1}')).statusCode, 403);
    t.equal((await reader.delete(AGENT_PROFILE, agentProfile)).statusCode, 403);

    const statements = await as(['statements/read', 'statements/write', 'define']);
    t.equal((await statements.get(STATE, state)).statusCode, 403);
    t.equal((await statements.get(AGENT_PROFILE, agentProfile)).statusCode, 403);

    const anonymous = await app.inject({
      method: 'GET',
      url: `${STATE}?activityId=${encodeURIComponent(ACTIVITY)}`,
      headers: { 'x-experience-api-version': '1.0.3' },
    });
    t.equal(anonymous.statusCode, 401, 'no credential: 401 before any parameter check');
    t.equal((await all.get(STATE, state)).body, '{}', 'no refused request changed anything');
  },
);

t.test(
  "a second store's credential cannot read, list, overwrite or delete the first store's documents, nor tell they exist",
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const first = documentClient(app, await basicAuth(store, 'first', ['all']), '2.0.0');
    const second = documentClient(app, await basicAuth(store, 'second', ['all']), '2.0.0');
    const regState = { ...state, registration: REGISTRATION };
    await first.put(STATE, state, '{"owner":"first"}');
    await first.put(STATE, regState, '{"owner":"first"}');
    await first.put(ACTIVITY_PROFILE, activityProfile, '{"owner":"first"}');
    await first.put(AGENT_PROFILE, agentProfile, '{"owner":"first"}');

    const missing = await second.get(STATE, state);
    const never = await second.get(STATE, { ...state, stateId: 'never-stored' });
    t.equal(missing.statusCode, 404);
    t.same(
      { ...missing.json<object>(), message: '' },
      { ...never.json<object>(), message: '' },
      'the same answer as for a document nobody stored',
    );
    t.equal((await second.head(ACTIVITY_PROFILE, activityProfile)).statusCode, 404);
    t.same((await second.get(STATE, { activityId: ACTIVITY, agent: AGENT })).json(), []);
    t.same((await second.get(ACTIVITY_PROFILE, { activityId: ACTIVITY })).json(), []);
    t.same((await second.get(AGENT_PROFILE, { agent: AGENT })).json(), []);

    // Writes without preconditions would be 409 over an existing document (2.0): they are not,
    // because in the second store there is none; If-Match with the first store's ETag fails.
    t.equal(
      (await second.put(ACTIVITY_PROFILE, activityProfile, '{"owner":"second"}')).statusCode,
      204,
    );
    t.equal((await second.put(STATE, state, '{"owner":"second"}')).statusCode, 204);
    const guess = await second.put(AGENT_PROFILE, agentProfile, '{"owner":"second"}', {
      'if-match': etagOf('{"owner":"first"}'),
    });
    t.equal(guess.statusCode, 412, 'an ETag from another store matches nothing');
    t.equal((await second.post(AGENT_PROFILE, agentProfile, '{"merged":true}')).statusCode, 204);
    t.equal((await second.delete(STATE, { activityId: ACTIVITY, agent: AGENT })).statusCode, 204);
    t.equal((await second.delete(ACTIVITY_PROFILE, activityProfile)).statusCode, 204);

    t.equal((await first.get(STATE, state)).body, '{"owner":"first"}');
    t.equal((await first.get(STATE, regState)).body, '{"owner":"first"}');
    t.equal((await first.get(ACTIVITY_PROFILE, activityProfile)).body, '{"owner":"first"}');
    t.equal((await first.get(AGENT_PROFILE, agentProfile)).body, '{"owner":"first"}');
    t.equal((await second.get(AGENT_PROFILE, agentProfile)).body, '{"merged":true}');
  },
);

t.test(
  'a document larger than the limit is 413 with a JSON body and changes nothing',
  async (t) => {
    const limit = 2048;
    const { app, store } = await buildTestApp(t, { maxDocumentBytes: limit });
    const lrs = documentClient(app, await basicAuth(store, 'default', ['all']), '1.0.3');
    t.equal((await lrs.put(STATE, state, '{"v":1}')).statusCode, 204);
    const exact = Buffer.alloc(limit, 0x61);
    const fits = await lrs.put(ACTIVITY_PROFILE, activityProfile, exact, {
      'content-type': 'text/plain',
      'if-none-match': '*',
    });
    t.equal(fits.statusCode, 204, 'exactly the limit fits');

    const tooLarge = {
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'XAPI_ERR_DOCUMENT_TOO_LARGE',
      message: `the document is larger than ${limit} bytes, the most this LRS accepts`,
    };
    const big = Buffer.alloc(limit + 1, 0x62);
    const put = await lrs.put(STATE, state, big, { 'content-type': 'text/plain' });
    t.equal(put.statusCode, 413);
    t.same(put.json(), tooLarge);
    t.equal(put.headers['x-experience-api-version'], '1.0.3');
    const post = await lrs.post(STATE, state, `{"v":"${'x'.repeat(limit)}"}`);
    t.equal(post.statusCode, 413);
    t.same(post.json(), tooLarge);
    const half = 'y'.repeat(limit / 2 + 10);
    const created = await lrs.put(AGENT_PROFILE, agentProfile, `{"a":"${half}"}`, {
      'if-none-match': '*',
    });
    t.equal(created.statusCode, 204);
    const merged = await lrs.post(AGENT_PROFILE, agentProfile, `{"b":"${half}"}`);
    t.equal(merged.statusCode, 413, 'a merge whose result is too large');
    t.same(merged.json(), tooLarge);

    // Without Content-Length: cut off while reading, by the parser or, far beyond, by Fastify.
    for (const size of [limit + 1, 200 * 1024]) {
      const chunked = await app.inject({
        method: 'PUT',
        url: `${STATE}?${query(state)}`,
        headers: {
          authorization: await basicAuth(store, 'default', ['state']),
          'x-experience-api-version': '2.0.0',
          'content-type': 'text/plain',
          'transfer-encoding': 'chunked',
        },
        payload: Readable.from([Buffer.alloc(size, 0x63)]),
      });
      t.equal(chunked.statusCode, 413, `chunked, ${size} bytes`);
      t.same(chunked.json(), tooLarge);
    }

    t.equal((await lrs.get(STATE, state)).body, '{"v":1}', 'unchanged');
    t.equal((await lrs.get(AGENT_PROFILE, agentProfile)).body, `{"a":"${half}"}`, 'unchanged');
    t.same((await lrs.get(ACTIVITY_PROFILE, activityProfile)).rawPayload, exact);
  },
);

t.test(
  '1.0.3 alternate request syntax: form PUT, GET and DELETE of a state document',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const auth = await basicAuth(store, 'default', ['state']);
    const form = (method: string, fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: `${STATE}?method=${method}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          Authorization: auth,
          'X-Experience-API-Version': '1.0.3',
          activityId: ACTIVITY,
          agent: JSON.stringify(AGENT),
          stateId: 'form',
          ...fields,
        }).toString(),
      });
    const content = '{"bookmark": "page 7 & more = 100%"}';
    const put = await form('PUT', { 'Content-Type': 'application/json', content });
    t.equal(put.statusCode, 204, put.body);
    const get = await form('GET', {});
    t.equal(get.statusCode, 200);
    t.equal(get.body, content, 'the content form field, as UTF-8 (Communication 1.3.s3.b5)');
    t.equal(get.headers['content-type'], 'application/json');
    t.equal(get.headers.etag, etagOf(content));

    const lrs = documentClient(app, auth, '1.0.3');
    t.equal((await lrs.get(STATE, { ...state, stateId: 'form' })).body, content, 'an ordinary GET');
    const stale = await form('PUT', { content: '{}', 'If-Match': '"0000"' });
    t.equal(stale.statusCode, 412, 'If-Match rides in the form too');
    const post = await form('POST', { 'Content-Type': 'application/json', content: '{"b":2}' });
    t.equal(post.statusCode, 204, post.body);
    t.same((await lrs.get(STATE, { ...state, stateId: 'form' })).json(), {
      bookmark: 'page 7 & more = 100%',
      b: 2,
    });
    // A Content-Type no response header could carry is no media type: 400 (xAPI answers a
    // content type that does not fit with 400, not 415).
    const badType = 'text/plain\r\nX-Injected: yes';
    const injected = await form('PUT', { 'Content-Type': badType, content: 'x', 'If-Match': '*' });
    t.equal(injected.statusCode, 400);
    t.match(injected.json(), { statusCode: 400, code: 'XAPI_ERR_CONTENT_TYPE' });
    t.same((await lrs.get(STATE, { ...state, stateId: 'form' })).json(), {
      bookmark: 'page 7 & more = 100%',
      b: 2,
    });
    t.equal((await form('DELETE', {})).statusCode, 204);
    t.equal((await lrs.get(STATE, { ...state, stateId: 'form' })).statusCode, 404);
  },
);

t.test('2.0 has no alternate request syntax on the document resources either', async (t) => {
  const { app, store } = await buildTestApp(t);
  const res = await app.inject({
    method: 'POST',
    url: `${AGENT_PROFILE}?method=GET`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      Authorization: await basicAuth(store, 'default', ['profile']),
      'X-Experience-API-Version': '2.0.0',
      agent: JSON.stringify(AGENT),
      profileId: 'p',
    }).toString(),
  });
  t.equal(res.statusCode, 400);
  t.match(res.json(), { code: 'XAPI_ERR_PARAMETER', message: /does not exist in xAPI 2\.0/ });
});

t.test('a form body without ?method= is a document like any other', async (t) => {
  const { app, store } = await buildTestApp(t);
  const lrs = documentClient(app, await basicAuth(store, 'default', ['state']), '1.0.3');
  const body = 'a=1&b=%20two';
  const type = 'application/x-www-form-urlencoded';
  t.equal((await lrs.put(STATE, state, body, { 'content-type': type })).statusCode, 204);
  const get = await lrs.get(STATE, state);
  t.equal(get.body, body);
  t.equal(get.headers['content-type'], type);
});
