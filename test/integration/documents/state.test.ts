// The State resource (xAPI 1.0.3 Communication 2.2, 2.3 and 3.1; 2.0 LRS 4.1.4 and 4.1.6.2).
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import {
  ACTIVITY,
  AGENT,
  documentClient,
  etagOf,
  OTHER_AGENT,
  REGISTRATION,
  STATE,
  testClock,
} from './document-client.js';

const VERSIONS = ['1.0.3', '2.0.0'] as const;
const state = (stateId: string, extra: Record<string, string | object> = {}) => ({
  activityId: ACTIVITY,
  agent: AGENT,
  stateId,
  ...extra,
});

async function setup(t: Teardown, version: string) {
  const clock = testClock();
  const built = await buildTestApp(t, { now: clock.now });
  const auth = await basicAuth(built.store, 'default', ['state']);
  return { ...built, clock, lrs: documentClient(built.app, auth, version) };
}

for (const version of VERSIONS) {
  t.test(`${version}: PUT then GET returns a JSON document byte for byte`, async (t) => {
    const { lrs, clock } = await setup(t, version);
    const body = '{ "b" : 1,\n  "a":[1, 2.50],  "u": "\\u00e9t\u00e9" }';
    const type = 'application/json; charset=utf-8';
    const put = await lrs.put(STATE, state('s1'), body, { 'content-type': type });
    t.equal(put.statusCode, 204, put.body);
    t.equal(put.body, '');
    t.equal(put.headers['x-experience-api-version'], version);

    const get = await lrs.get(STATE, state('s1'));
    t.equal(get.statusCode, 200);
    t.equal(get.body, body, 'the exact bytes sent');
    t.equal(get.headers['content-type'], type, 'the content type as sent');
    t.equal(get.headers.etag, etagOf(body), 'ETag: quoted SHA-1 hex of the content (3.1.s4.b2)');
    t.equal(get.headers['last-modified'], clock.now().toUTCString());
  });

  t.test(`${version}: binary content is stored as is, with its content type`, async (t) => {
    const { lrs } = await setup(t, version);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x1a, 0x00]);
    const put = await lrs.put(STATE, state('png'), bytes, { 'content-type': 'image/png' });
    t.equal(put.statusCode, 204, put.body);
    const get = await lrs.get(STATE, state('png'));
    t.equal(get.statusCode, 200);
    t.same(get.rawPayload, bytes);
    t.equal(get.headers['content-type'], 'image/png');
    t.equal(get.headers.etag, etagOf(bytes));

    const head = await lrs.head(STATE, state('png'));
    t.equal(head.statusCode, 200, 'HEAD answers like GET (Communication 1.1)');
    t.equal(head.headers.etag, etagOf(bytes));
    t.equal(head.body, '', 'without the body');
  });

  t.test(
    `${version}: a document sent without a content type is application/octet-stream`,
    async (t) => {
      const { app, store } = await setup(t, version);
      const auth = await basicAuth(store, 'default', ['state']);
      const url = `${STATE}?${new URLSearchParams({ activityId: ACTIVITY, agent: JSON.stringify(AGENT), stateId: 'raw' }).toString()}`;
      const put = await app.inject({
        method: 'PUT',
        url,
        headers: { authorization: auth, 'x-experience-api-version': version },
        payload: Buffer.from('plain bytes'),
      });
      t.equal(put.statusCode, 204, put.body);
      const get = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: auth, 'x-experience-api-version': version },
      });
      t.equal(get.body, 'plain bytes');
      t.equal(get.headers['content-type'], 'application/octet-stream');
    },
  );

  t.test(`${version}: GET of a document that does not exist is 404`, async (t) => {
    const { lrs } = await setup(t, version);
    const get = await lrs.get(STATE, state('nothing'));
    t.equal(get.statusCode, 404);
    t.same(get.json(), {
      statusCode: 404,
      error: 'Not Found',
      code: 'XAPI_ERR_DOCUMENT_NOT_FOUND',
      message: 'no state document stateId="nothing"',
    });
    t.equal(get.headers['x-experience-api-version'], version);
  });

  t.test(
    `${version}: the registration and the agent's IFI address a document; case and other agent properties do not`,
    async (t) => {
      const { lrs } = await setup(t, version);
      t.equal((await lrs.put(STATE, state('s'), '{"r":"none"}')).statusCode, 204);
      const withReg = state('s', { registration: REGISTRATION });
      t.equal((await lrs.put(STATE, withReg, '{"r":"one"}')).statusCode, 204);

      t.equal((await lrs.get(STATE, state('s'))).body, '{"r":"none"}');
      t.equal((await lrs.get(STATE, withReg)).body, '{"r":"one"}');
      const upper = state('s', { registration: REGISTRATION.toUpperCase() });
      t.equal((await lrs.get(STATE, upper)).body, '{"r":"one"}', 'a UUID in capitals is the same');

      const sameAgent = { name: 'Ann', mbox: 'mailto:ann@EXAMPLE.com' };
      t.equal(
        (await lrs.get(STATE, { ...state('s'), agent: sameAgent })).body,
        '{"r":"none"}',
        'the same IFI with a name, without objectType and with the domain in capitals',
      );
      t.equal((await lrs.get(STATE, { ...state('s'), agent: OTHER_AGENT })).statusCode, 404);
      t.equal(
        (await lrs.get(STATE, { ...state('s'), activityId: `${ACTIVITY}/other` })).statusCode,
        404,
      );
    },
  );

  t.test(`${version}: GET without stateId lists the ids, since excluding`, async (t) => {
    const { lrs, clock } = await setup(t, version);
    clock.set(clock.at(0).getTime());
    await lrs.put(STATE, state('b'), '{}');
    clock.set(clock.at(10).getTime());
    await lrs.put(STATE, state('a', { registration: REGISTRATION }), '{}');
    clock.set(clock.at(20).getTime());
    await lrs.put(STATE, state('c'), '{}');
    await lrs.put(STATE, state('b', { registration: REGISTRATION }), '{}');
    await lrs.put(STATE, { ...state('elsewhere'), agent: OTHER_AGENT }, '{}');

    const all = await lrs.get(STATE, { activityId: ACTIVITY, agent: AGENT });
    t.equal(all.statusCode, 200);
    t.equal(all.headers['content-type'], 'application/json; charset=utf-8');
    t.same(all.json(), ['a', 'b', 'c'], 'every registration, each id once');
    t.equal(all.headers['last-modified'], clock.at(20).toUTCString(), 'the latest update');
    t.equal(all.headers.etag, etagOf(all.body));

    const reg = await lrs.get(STATE, {
      activityId: ACTIVITY,
      agent: AGENT,
      registration: REGISTRATION,
    });
    t.same(reg.json(), ['a', 'b']);

    const since = await lrs.get(STATE, {
      activityId: ACTIVITY,
      agent: AGENT,
      since: clock.at(10).toISOString(),
    });
    t.same(since.json(), ['b', 'c'], 'since is exclusive: "a", updated at since, is left out');
    const sinceZone = await lrs.get(STATE, {
      activityId: ACTIVITY,
      agent: AGENT,
      since: '2026-03-01T13:00:05+01:00',
    });
    t.same(sinceZone.json(), ['a', 'b', 'c'], 'a timestamp with an offset is a point in time');

    const none = await lrs.get(STATE, { activityId: `${ACTIVITY}/x`, agent: AGENT });
    t.same(none.json(), []);
    t.equal(none.headers['last-modified'], undefined);
  });

  t.test(`${version}: DELETE with stateId deletes one document`, async (t) => {
    const { lrs } = await setup(t, version);
    await lrs.put(STATE, state('x'), '{}');
    await lrs.put(STATE, state('y'), '{}');
    const del = await lrs.delete(STATE, state('x'));
    t.equal(del.statusCode, 204, del.body);
    t.equal((await lrs.get(STATE, state('x'))).statusCode, 404);
    t.equal((await lrs.get(STATE, state('y'))).statusCode, 200);
    t.equal((await lrs.delete(STATE, state('x'))).statusCode, 204, 'deleting it again is fine');
  });

  t.test(`${version}: DELETE without stateId deletes the set`, async (t) => {
    const { lrs } = await setup(t, version);
    const set = { activityId: ACTIVITY, agent: AGENT };
    const seed = async () => {
      await lrs.put(STATE, state('plain'), '{}');
      await lrs.put(STATE, state('reg', { registration: REGISTRATION }), '{}');
      await lrs.put(STATE, { ...state('bob'), agent: OTHER_AGENT }, '{}');
      await lrs.put(STATE, { ...state('other'), activityId: `${ACTIVITY}/2` }, '{}');
    };
    await seed();

    const one = await lrs.delete(STATE, { ...set, registration: REGISTRATION });
    t.equal(one.statusCode, 204, one.body);
    t.same((await lrs.get(STATE, set)).json(), ['plain'], 'only that registration went');

    await seed();
    t.equal((await lrs.delete(STATE, set)).statusCode, 204);
    t.same((await lrs.get(STATE, set)).json(), [], 'without registration: every registration');
    t.equal((await lrs.get(STATE, { ...state('bob'), agent: OTHER_AGENT })).statusCode, 200);
    t.equal(
      (await lrs.get(STATE, { ...state('other'), activityId: `${ACTIVITY}/2` })).statusCode,
      200,
      'other agents and activities keep theirs',
    );
  });

  t.test(`${version}: If-Match and If-None-Match (3.1.s4.b5-b12)`, async (t) => {
    const { lrs } = await setup(t, version);
    t.equal((await lrs.put(STATE, state('c'), '{"v":1}')).statusCode, 204);
    const etag = (await lrs.get(STATE, state('c'))).headers.etag ?? '';
    t.equal(etag, etagOf('{"v":1}'));

    const stale = await lrs.put(STATE, state('c'), '{"v":2}', { 'if-match': '"1234"' });
    t.equal(stale.statusCode, 412);
    t.same(stale.json(), {
      statusCode: 412,
      error: 'Precondition Failed',
      code: 'XAPI_ERR_PRECONDITION_FAILED',
      message: `precondition failed: If-Match does not match the document's current ETag ${etag}`,
    });
    const exists = await lrs.put(STATE, state('c'), '{"v":2}', { 'if-none-match': '*' });
    t.equal(exists.statusCode, 412);
    t.equal(exists.json<{ code: string }>().code, 'XAPI_ERR_PRECONDITION_FAILED');
    const stalePost = await lrs.post(STATE, state('c'), '{"w":1}', { 'if-match': '"1234"' });
    t.equal(stalePost.statusCode, 412);
    const staleDelete = await lrs.delete(STATE, state('c'), { 'if-match': '"1234"' });
    t.equal(staleDelete.statusCode, 412);
    t.equal((await lrs.get(STATE, state('c'))).body, '{"v":1}', 'no failed request changed it');

    const ok = await lrs.put(STATE, state('c'), '{"v":2}', { 'if-match': etag });
    t.equal(ok.statusCode, 204, ok.body);
    t.equal((await lrs.get(STATE, state('c'))).body, '{"v":2}');
    const bare = await lrs.put(STATE, state('c'), '{"v":3}', {
      'if-match': `"nope", ${etagOf('{"v":2}').slice(1, -1).toUpperCase()}`,
    });
    t.equal(bare.statusCode, 204, 'a list; a bare tag in capitals still matches');
    const weak = await lrs.put(STATE, state('c'), '{"v":4}', {
      'if-match': `W/${etagOf('{"v":3}')}`,
    });
    t.equal(weak.statusCode, 412, 'If-Match compares strongly: a weak tag never matches');
    const broken = await lrs.put(STATE, state('c'), '{"v":4}', { 'if-match': '"unterminated' });
    t.equal(broken.statusCode, 412, 'a malformed If-Match matches nothing');
    const star = await lrs.put(STATE, state('c'), '{"v":4}', { 'if-match': '*' });
    t.equal(star.statusCode, 204, 'If-Match: * holds for any existing document');

    const missing = await lrs.put(STATE, state('new'), '{}', { 'if-match': etag });
    t.equal(missing.statusCode, 412, 'If-Match on a document that does not exist');
    t.equal((await lrs.get(STATE, state('new'))).statusCode, 404, 'and it was not created');
    const create = await lrs.put(STATE, state('new'), '{}', { 'if-none-match': '*' });
    t.equal(create.statusCode, 204, 'If-None-Match: * creates a new document');

    const postOk = await lrs.post(STATE, state('c'), '{"w":1}', { 'if-match': etagOf('{"v":4}') });
    t.equal(postOk.statusCode, 204);
    const current = await lrs.get(STATE, state('c'));
    t.same(current.json(), { v: 4, w: 1 });
    const delOk = await lrs.delete(STATE, state('c'), { 'if-match': current.headers.etag ?? '' });
    t.equal(delOk.statusCode, 204);
    t.equal((await lrs.get(STATE, state('c'))).statusCode, 404);
  });

  t.test(`${version}: POST merges top-level properties of JSON objects (2.2.s7)`, async (t) => {
    const { lrs, clock } = await setup(t, version);
    const created = await lrs.post(STATE, state('m'), '{ "x" : "foo", "y" : "bar" }');
    t.equal(created.statusCode, 204, 'POST of a new document stores it');
    t.equal((await lrs.get(STATE, state('m'))).body, '{ "x" : "foo", "y" : "bar" }', 'as sent');

    clock.set(clock.at(60).getTime());
    const merged = await lrs.post(STATE, state('m'), '{"x":"bash","z":{"deep":true}}');
    t.equal(merged.statusCode, 204, merged.body);
    const get = await lrs.get(STATE, state('m'));
    t.same(get.json(), { x: 'bash', y: 'bar', z: { deep: true } });
    t.equal(get.headers.etag, etagOf(get.body), 'the ETag of the merged document');
    t.equal(get.headers['last-modified'], clock.at(60).toUTCString());

    const whole = await lrs.post(STATE, state('m'), '{"z":{"other":1}}');
    t.equal(whole.statusCode, 204);
    t.same((await lrs.get(STATE, state('m'))).json(), { x: 'bash', y: 'bar', z: { other: 1 } });
  });

  t.test(
    `${version}: POST is 400 unless both documents are JSON objects (2.2.s8.b1)`,
    async (t) => {
      const { lrs } = await setup(t, version);
      const before = '{"keep":true}';
      await lrs.put(STATE, state('j'), before);
      await lrs.put(STATE, state('bin'), Buffer.from([0, 1, 2]), {
        'content-type': 'application/octet-stream',
      });
      await lrs.put(STATE, state('arr'), '[1,2]');

      const cases = [
        {
          id: 'j',
          body: '[1]',
          type: 'application/json',
          why: /the posted document is JSON but not an object/,
        },
        {
          id: 'j',
          body: '{"a":',
          type: 'application/json',
          why: /the posted document is not valid JSON/,
        },
        {
          id: 'j',
          body: '{"a":1}',
          type: 'text/plain',
          why: /the posted document is text\/plain, not application\/json/,
        },
        {
          id: 'bin',
          body: '{"a":1}',
          type: 'application/json',
          why: /the stored document is application\/octet-stream/,
        },
        {
          id: 'arr',
          body: '{"a":1}',
          type: 'application/json',
          why: /the stored document is JSON but not an object/,
        },
        {
          id: 'fresh',
          body: 'not json',
          type: 'text/plain',
          why: /the posted document is text\/plain/,
        },
      ];
      for (const c of cases) {
        const res = await lrs.post(STATE, state(c.id), c.body, { 'content-type': c.type });
        t.equal(res.statusCode, 400, `${c.id} <- ${c.body}`);
        t.match(res.json(), {
          statusCode: 400,
          error: 'Bad Request',
          code: 'XAPI_ERR_DOCUMENT_MERGE',
          message: c.why,
        });
      }
      t.equal((await lrs.get(STATE, state('j'))).body, before, 'nothing changed');
      t.same((await lrs.get(STATE, state('bin'))).rawPayload, Buffer.from([0, 1, 2]));
      t.equal((await lrs.get(STATE, state('arr'))).body, '[1,2]');
      t.equal((await lrs.get(STATE, state('fresh'))).statusCode, 404, 'nothing created');
    },
  );
}

t.test('1.0.3: PUT over an existing state document needs no precondition (3.1.s3)', async (t) => {
  const { lrs } = await setup(t, '1.0.3');
  await lrs.put(STATE, state('p'), '{"v":1}');
  const put = await lrs.put(STATE, state('p'), '{"v":2}');
  t.equal(put.statusCode, 204, put.body);
  t.equal((await lrs.get(STATE, state('p'))).body, '{"v":2}');
  t.equal((await lrs.post(STATE, state('p'), '{"w":1}')).statusCode, 204, 'nor POST');
  t.equal((await lrs.delete(STATE, state('p'))).statusCode, 204, 'nor DELETE');
});

t.test(
  '2.0: PUT over an existing state document without If-Match or If-None-Match is 409 (LRS 4.1.4)',
  async (t) => {
    const { lrs } = await setup(t, '2.0.0');
    t.equal((await lrs.put(STATE, state('p'), '{"v":1}')).statusCode, 204, 'a new one needs none');
    const put = await lrs.put(STATE, state('p'), '{"v":2}');
    t.equal(put.statusCode, 409);
    t.same(put.json(), {
      statusCode: 409,
      error: 'Conflict',
      code: 'XAPI_ERR_DOCUMENT_CONFLICT',
      message:
        'the state document already exists: GET it to check its current state, then PUT again ' +
        'with If-Match set to its ETag (or If-None-Match: * to write only a new document)',
    });
    t.equal(put.headers['x-experience-api-version'], '2.0.0');
    t.equal((await lrs.get(STATE, state('p'))).body, '{"v":1}', 'unchanged');
    const withEtag = await lrs.put(STATE, state('p'), '{"v":2}', { 'if-match': etagOf('{"v":1}') });
    t.equal(withEtag.statusCode, 204);
    t.equal((await lrs.post(STATE, state('p'), '{"w":1}')).statusCode, 204, 'POST needs none');
    t.equal((await lrs.delete(STATE, state('p'))).statusCode, 204, 'DELETE needs none');
  },
);
