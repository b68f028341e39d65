// Two requests may carry the same statement id at once: both pass the check before the insert,
// and the insert of the later one finds the id taken. Cairn then applies the rule of a second
// delivery after the fact (xAPI Communication 2.1.2: same content is accepted, different content
// is 409), with one read for every statement that lost the race, whatever their number. The race
// is made deterministic here: the statements are stored first, and the check before the insert
// is blinded so that it sees none of them, as it would if another request had won in between.
import t from 'tap';
import type { Store } from '@cairn/store';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';

const A = '0b6a1c9e-1111-4c1d-9e8f-0a1b2c3d4e5f';
const B = '0b6a1c9e-2222-4c1d-9e8f-0a1b2c3d4e5f';
const C = '0b6a1c9e-3333-4c1d-9e8f-0a1b2c3d4e5f';

function statement(id: string, verb = 'completed'): Record<string, unknown> {
  return {
    id,
    actor: { objectType: 'Agent', mbox: 'mailto:ann@example.com' },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
    object: { objectType: 'Activity', id: 'https://example.com/courses/safety' },
  };
}

/** While blind, a request's first read of statements by id (the check before the insert) finds none. */
function blindCheck() {
  const state = { blind: false, reads: 0 };
  const wrap = (store: Store): Store => ({
    ...store,
    statementsOf: (storeId) => {
      const repo = store.statementsOf(storeId);
      let first = true;
      return {
        ...repo,
        getMany: async (ids) => {
          state.reads++;
          const hide = state.blind && first;
          first = false;
          return hide ? [] : repo.getMany(ids);
        },
      };
    },
  });
  return { state, wrap };
}

t.test('statements that lose an insert race are judged after the fact, in one read', async (t) => {
  const check = blindCheck();
  const { app, store } = await buildTestApp(t, {}, check.wrap);
  const authorization = await basicAuth(store, 'default', ['all']);
  const post = (payload: Record<string, unknown>[]) =>
    app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization, 'x-experience-api-version': '2.0.0' },
      payload,
    });
  t.equal((await post([statement(A), statement(B)])).statusCode, 200, 'the winners are stored');

  check.state.blind = true;
  check.state.reads = 0;
  const same = await post([statement(A), statement(B), statement(C)]);
  t.equal(same.statusCode, 200, 'the same content again: accepted');
  t.same(same.json(), [A, B, C]);
  t.equal(check.state.reads, 2, 'the check before the insert, then one read for both losers');

  check.state.reads = 0;
  const different = await post([statement(A), statement(B, 'failed')]);
  t.equal(different.statusCode, 409, 'different content under a taken id: 409');
  t.match(different.json(), { code: 'XAPI_ERR_CONFLICT', message: new RegExp(B) });
  t.equal(check.state.reads, 2);

  check.state.blind = false;
  const stored = await app.inject({
    method: 'GET',
    url: `/xapi/statements?statementId=${B}`,
    headers: { authorization, 'x-experience-api-version': '2.0.0' },
  });
  t.match(
    stored.json(),
    { verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } },
    'the winner is unchanged',
  );
});
