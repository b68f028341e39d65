// The Activity Profile and Agent Profile resources (xAPI 1.0.3 Communication 2.6, 2.7 and 3.1;
// 2.0 LRS 4.1.4, 4.1.6.5 and 4.1.6.6): one code path, so every test runs on both.
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import {
  ACTIVITY,
  ACTIVITY_PROFILE,
  AGENT,
  AGENT_PROFILE,
  documentClient,
  etagOf,
  OTHER_AGENT,
  testClock,
} from './document-client.js';

const RESOURCES = [
  {
    name: 'activity profile',
    path: ACTIVITY_PROFILE,
    of: (profileId: string) => ({ activityId: ACTIVITY, profileId }),
    set: { activityId: ACTIVITY },
    otherSet: { activityId: `${ACTIVITY}/other` },
  },
  {
    name: 'agent profile',
    path: AGENT_PROFILE,
    of: (profileId: string) => ({ agent: AGENT, profileId }),
    set: { agent: AGENT },
    otherSet: { agent: OTHER_AGENT },
  },
] as const;

/** Creates a document: a 1.0.x profile PUT needs If-Match or If-None-Match (3.1.s3.b1). */
const CREATE = { 'if-none-match': '*' };

async function setup(t: Teardown, version: string) {
  const clock = testClock();
  const built = await buildTestApp(t, { now: clock.now });
  const auth = await basicAuth(built.store, 'default', ['profile']);
  return { ...built, clock, lrs: documentClient(built.app, auth, version) };
}

for (const version of ['1.0.3', '2.0.0']) {
  for (const r of RESOURCES) {
    t.test(`${version} ${r.name}: PUT and GET, byte for byte, any content type`, async (t) => {
      const { lrs, clock } = await setup(t, version);
      const json = '{"a" : [1,2],\n"b":null}';
      t.equal((await lrs.put(r.path, r.of('j'), json, CREATE)).statusCode, 204);
      const get = await lrs.get(r.path, r.of('j'));
      t.equal(get.statusCode, 200);
      t.equal(get.body, json);
      t.equal(get.headers['content-type'], 'application/json');
      t.equal(get.headers.etag, etagOf(json));
      t.equal(get.headers['last-modified'], clock.now().toUTCString());

      const bytes = Buffer.from([0, 255, 128, 10, 13, 0]);
      const put = await lrs.put(r.path, r.of('b'), bytes, {
        ...CREATE,
        'content-type': 'application/x-thing',
      });
      t.equal(put.statusCode, 204);
      const bin = await lrs.get(r.path, r.of('b'));
      t.same(bin.rawPayload, bytes);
      t.equal(bin.headers['content-type'], 'application/x-thing');
      t.equal((await lrs.get(r.path, r.of('missing'))).statusCode, 404);
    });

    t.test(
      `${version} ${r.name}: PUT over an existing document needs If-Match or If-None-Match (3.1.s4.b13)`,
      async (t) => {
        const { lrs } = await setup(t, version);
        t.equal((await lrs.put(r.path, r.of('p'), '{"v":1}', CREATE)).statusCode, 204);
        const conflict = await lrs.put(r.path, r.of('p'), '{"v":2}');
        t.equal(conflict.statusCode, 409);
        t.same(conflict.json(), {
          statusCode: 409,
          error: 'Conflict',
          code: 'XAPI_ERR_DOCUMENT_CONFLICT',
          message:
            `the ${r.name} document already exists: GET it to check its current state, then PUT ` +
            'again with If-Match set to its ETag (or If-None-Match: * to write only a new document)',
        });
        t.equal((await lrs.get(r.path, r.of('p'))).body, '{"v":1}', 'unchanged');

        const stale = await lrs.put(r.path, r.of('p'), '{"v":2}', { 'if-match': etagOf('x') });
        t.equal(stale.statusCode, 412);
        const exists = await lrs.put(r.path, r.of('p'), '{"v":2}', { 'if-none-match': '*' });
        t.equal(exists.statusCode, 412);
        const named = await lrs.put(r.path, r.of('p'), '{"v":2}', {
          'if-none-match': `"other", W/${etagOf('{"v":1}')}`,
        });
        t.equal(named.statusCode, 412, 'If-None-Match naming the current ETag (weakly)');
        t.equal((await lrs.get(r.path, r.of('p'))).body, '{"v":1}', 'still unchanged');

        const ok = await lrs.put(r.path, r.of('p'), '{"v":2}', { 'if-match': etagOf('{"v":1}') });
        t.equal(ok.statusCode, 204);
        t.equal((await lrs.get(r.path, r.of('p'))).body, '{"v":2}');
        const create = await lrs.put(r.path, r.of('q'), '{}', { 'if-none-match': '*' });
        t.equal(create.statusCode, 204);
        const notThat = await lrs.put(r.path, r.of('p'), '{"v":3}', {
          'if-none-match': etagOf('{"v":1}'),
        });
        t.equal(notThat.statusCode, 204, 'If-None-Match naming an old ETag holds');
        t.equal((await lrs.get(r.path, r.of('p'))).body, '{"v":3}');
      },
    );

    t.test(
      `${version} ${r.name}: PUT of a new document without If-Match or If-None-Match`,
      async (t) => {
        const { lrs } = await setup(t, version);
        const put = await lrs.put(r.path, r.of('new'), '{"v":1}');
        const get = await lrs.get(r.path, r.of('new'));
        if (version === '1.0.3') {
          // The client "MUST include" one (1.0.3 Communication 3.1.s3.b1); the ADL 1.0.3 suite
          // wants 400 (XAPI-00273, XAPI-00287, XAPI-00293).
          t.equal(put.statusCode, 400);
          t.same(put.json(), {
            statusCode: 400,
            error: 'Bad Request',
            code: 'XAPI_ERR_PRECONDITION_MISSING',
            message:
              `a PUT to the ${r.name} resource must carry If-Match or If-None-Match in xAPI ` +
              '1.0.x: send If-None-Match: * to create the document, or If-Match with its current ' +
              'ETag to replace it',
          });
          t.equal(put.headers['x-experience-api-version'], '1.0.3');
          t.equal(get.statusCode, 404, 'nothing stored');
          const named = await lrs.put(r.path, r.of('new'), '{"v":2}', { 'if-none-match': '"x"' });
          t.equal(named.statusCode, 204, 'If-None-Match naming any tag is a header too');
          t.equal((await lrs.get(r.path, r.of('new'))).body, '{"v":2}');
        } else {
          // 2.0 (LRS 4.1.4) asks the LRS only for the 409 over an existing document.
          t.equal(put.statusCode, 204, put.body);
          t.equal(put.headers['x-experience-api-version'], '2.0.0');
          t.equal(get.statusCode, 200);
          t.equal(get.body, '{"v":1}');
        }
      },
    );

    t.test(
      `${version} ${r.name}: POST and DELETE honour If-Match but do not require it`,
      async (t) => {
        const { lrs } = await setup(t, version);
        await lrs.put(r.path, r.of('m'), '{"x":"foo","y":"bar"}', CREATE);
        const stale = await lrs.post(r.path, r.of('m'), '{"x":1}', { 'if-match': etagOf('x') });
        t.equal(stale.statusCode, 412);
        const fresh = await lrs.post(r.path, r.of('m'), '{"x":"bash","z":"faz"}', {
          'if-match': etagOf('{"x":"foo","y":"bar"}'),
        });
        t.equal(fresh.statusCode, 204, fresh.body);
        t.same((await lrs.get(r.path, r.of('m'))).json(), { x: 'bash', y: 'bar', z: 'faz' });
        const plain = await lrs.post(r.path, r.of('m'), '{"y":2}');
        t.equal(plain.statusCode, 204, 'without headers');
        t.same((await lrs.get(r.path, r.of('m'))).json(), { x: 'bash', y: 2, z: 'faz' });
        const onto = await lrs.post(r.path, r.of('m'), '{"y":3}', { 'if-none-match': '*' });
        t.equal(onto.statusCode, 412, 'If-None-Match: * on POST too (3.1.s4.b8)');

        const staleDelete = await lrs.delete(r.path, r.of('m'), { 'if-match': etagOf('x') });
        t.equal(staleDelete.statusCode, 412);
        t.equal((await lrs.get(r.path, r.of('m'))).statusCode, 200);
        t.equal((await lrs.delete(r.path, r.of('m'))).statusCode, 204, 'without headers');
        t.equal((await lrs.get(r.path, r.of('m'))).statusCode, 404);
      },
    );

    t.test(`${version} ${r.name}: GET without profileId lists ids, since excluding`, async (t) => {
      const { lrs, clock } = await setup(t, version);
      await lrs.put(r.path, r.of('one'), '{}', CREATE);
      clock.set(clock.at(30).getTime());
      await lrs.put(r.path, r.of('two'), '{}', CREATE);
      await lrs.put(r.path, { ...r.of('three'), ...r.otherSet }, '{}', CREATE);
      const all = await lrs.get(r.path, r.set);
      t.equal(all.statusCode, 200);
      t.same(all.json(), ['one', 'two']);
      t.equal(all.headers['last-modified'], clock.at(30).toUTCString());
      const since = await lrs.get(r.path, { ...r.set, since: clock.at(0).toISOString() });
      t.same(since.json(), ['two']);
    });

    t.test(`${version} ${r.name}: DELETE needs a profileId`, async (t) => {
      const { lrs } = await setup(t, version);
      await lrs.put(r.path, r.of('keep'), '{}', CREATE);
      const res = await lrs.delete(r.path, r.set);
      t.equal(res.statusCode, 400);
      t.same(res.json(), {
        statusCode: 400,
        error: 'Bad Request',
        code: 'XAPI_ERR_PARAMETER',
        message: 'parameter profileId: is required',
      });
      t.equal((await lrs.get(r.path, r.of('keep'))).statusCode, 200);
    });
  }
}

t.test(
  'an activity profile and an agent profile with the same ids are different documents',
  async (t) => {
    const { lrs } = await setup(t, '1.0.3');
    await lrs.put(ACTIVITY_PROFILE, { activityId: ACTIVITY, profileId: 'p' }, '"activity"', CREATE);
    await lrs.put(AGENT_PROFILE, { agent: AGENT, profileId: 'p' }, '"agent"', CREATE);
    t.equal(
      (await lrs.get(ACTIVITY_PROFILE, { activityId: ACTIVITY, profileId: 'p' })).body,
      '"activity"',
    );
    t.equal((await lrs.get(AGENT_PROFILE, { agent: AGENT, profileId: 'p' })).body, '"agent"');
  },
);
