// Concurrent writes to one document: preconditions hold and merges lose nothing (xAPI
// Communication 3.1), by the conditional writes (an insert, or an update filtered on the ETag read),
// which are atomic on every server.
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import {
  ACTIVITY,
  AGENT,
  AGENT_PROFILE,
  documentClient,
  etagOf,
  STATE,
} from './document-client.js';

const state = { activityId: ACTIVITY, agent: AGENT, stateId: 'race' };
const N = 20;

t.test(
  'of concurrent PUTs with the same If-Match, exactly one wins; the rest get 412',
  async (t) => {
    const { app, store } = await buildTestApp(t);
    const lrs = documentClient(app, await basicAuth(store, 'default', ['all']), '2.0.0');
    await lrs.put(STATE, state, '{"v":0}');
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        lrs.put(STATE, state, `{"v":${i + 1}}`, { 'if-match': etagOf('{"v":0}') }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    t.equal(codes.filter((c) => c === 204).length, 1, codes.join(','));
    t.equal(codes.filter((c) => c === 412).length, N - 1);
    const winner = results.findIndex((r) => r.statusCode === 204);
    t.equal((await lrs.get(STATE, state)).body, `{"v":${winner + 1}}`, 'the winner is stored');
  },
);

t.test('of concurrent PUTs with If-None-Match: *, exactly one creates the document', async (t) => {
  const { app, store } = await buildTestApp(t);
  const lrs = documentClient(app, await basicAuth(store, 'default', ['all']), '1.0.3');
  const profile = { agent: AGENT, profileId: 'race' };
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      lrs.put(AGENT_PROFILE, profile, `{"v":${i}}`, { 'if-none-match': '*' }),
    ),
  );
  const codes = results.map((r) => r.statusCode);
  t.equal(codes.filter((c) => c === 204).length, 1, codes.join(','));
  t.equal(codes.filter((c) => c === 412).length, N - 1);
});

t.test('concurrent POSTs of different properties all end up in the document', async (t) => {
  const { app, store } = await buildTestApp(t);
  const lrs = documentClient(app, await basicAuth(store, 'default', ['all']), '1.0.3');
  const results = await Promise.all(
    Array.from({ length: N }, (_, i) => lrs.post(STATE, state, `{"k${i}":${i}}`)),
  );
  t.same(
    results.map((r) => r.statusCode),
    Array.from({ length: N }, () => 204),
  );
  const merged = (await lrs.get(STATE, state)).json<Record<string, number>>();
  t.same(
    merged,
    Object.fromEntries(Array.from({ length: N }, (_, i) => [`k${i}`, i])),
    'no merge was lost',
  );
});
