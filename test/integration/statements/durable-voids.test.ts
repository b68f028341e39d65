// A void is part of the durably recorded write (docs/pipeline.md, "Voids"): an LRS that dies
// after inserting a batch but before applying its voids leaves the statements owed to the
// pipeline, and both the client's retry and the outbox sweeper apply the voids from what is
// stored. The death is simulated by an insert that stores the batch and then throws, as a
// process killed right after the database acknowledged the insert would leave it.
import t from 'tap';
import { sweepOutbox, verifyVoids } from '@cairn/aggregator';
import type { Store } from '@cairn/store';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

const TARGET = '7a1d0000-0000-4000-9000-000000000001';
const VOIDER = '7a1d0000-0000-4000-9000-000000000002';

const target = {
  id: TARGET,
  actor: { mbox: 'mailto:ann@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: 'https://example.com/courses/safety' },
};
const voider = {
  id: VOIDER,
  actor: { mbox: 'mailto:admin@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
  object: { objectType: 'StatementRef', id: TARGET },
};

/** While `dies` is set, every insert stores its statements and then fails. */
function dyingAfterInsert() {
  const state = { dies: false };
  const wrap = (store: Store): Store => ({
    ...store,
    statementsOf: (storeId) => {
      const repo = store.statementsOf(storeId);
      return {
        ...repo,
        insertMany: async (statements) => {
          const outcomes = await repo.insertMany(statements);
          if (state.dies) throw new Error('killed after the insert');
          return outcomes;
        },
      };
    },
  });
  return { state, wrap };
}

async function lrs(t: Teardown) {
  const death = dyingAfterInsert();
  const r: TestApp = await buildTestApp(t, {}, death.wrap);
  const headers = {
    authorization: await basicAuth(r.store, 'default', ['all']),
    'x-experience-api-version': '2.0.0',
  };
  const post = (payload: Record<string, unknown>[]) =>
    r.app.inject({ method: 'POST', url: '/xapi/statements', headers, payload });
  const status = async (param: 'statementId' | 'voidedStatementId'): Promise<number> =>
    (
      await r.app.inject({
        method: 'GET',
        url: `/xapi/statements?${param}=${TARGET}`,
        headers,
      })
    ).statusCode;
  const voided = async () => ({
    statementId: await status('statementId'),
    voidedStatementId: await status('voidedStatementId'),
  });
  return { r, death, post, voided };
}

const VOIDED = { statementId: 404, voidedStatementId: 200 };
const NOT_VOIDED = { statementId: 200, voidedStatementId: 404 };

t.test('a retry that finds the whole batch stored still applies its voids', async (t) => {
  const { death, post, voided } = await lrs(t);

  // The voiding statement first, then its target, whose write dies after the insert.
  t.equal((await post([voider])).statusCode, 200);
  death.state.dies = true;
  t.not((await post([target])).statusCode, 200, 'the dying write gets no 200');
  death.state.dies = false;
  t.strictSame(await voided(), NOT_VOIDED, 'stored, the void not yet applied');
  t.equal((await post([target])).statusCode, 200, 'the retry finds it stored');
  t.strictSame(await voided(), VOIDED, 'the retry applied the void recorded before it');

  // The other order: the voiding statement's write dies after its insert.
  const other = await lrs(t);
  t.equal((await other.post([target])).statusCode, 200);
  other.death.state.dies = true;
  t.not((await other.post([voider])).statusCode, 200);
  other.death.state.dies = false;
  t.equal((await other.post([voider])).statusCode, 200, 'the retry finds it stored');
  t.strictSame(await other.voided(), VOIDED);
});

t.test('without a retry, the outbox sweeper applies the voids of a write that died', async (t) => {
  for (const order of ['target first', 'voider first'] as const) {
    const { r, death, post, voided } = await lrs(t);
    const [first, second] = order === 'target first' ? [target, voider] : [voider, target];
    t.equal((await post([first])).statusCode, 200);
    death.state.dies = true;
    t.not((await post([second])).statusCode, 200, `${order}: the second write dies`);
    death.state.dies = false;
    t.strictSame(await voided(), NOT_VOIDED, `${order}: the void is owed`);
    // The pipeline's side done (its tombstone), the xAPI side not: verify says so.
    await r.store
      .tombstonesOf('default')
      .record([{ targetStatementId: TARGET, voidingStatementId: VOIDER }]);
    t.strictSame(
      await verifyVoids(r.store, 'default'),
      [
        {
          targetStatementId: TARGET,
          voidingStatementId: VOIDER,
          xapiVoided: false,
          pipelineVoided: true,
        },
      ],
      `${order}: verify reports the disagreement`,
    );

    const enqueued: string[][] = [];
    const result = await sweepOutbox({
      store: r.store,
      queue: {
        enqueue: (batch) => {
          enqueued.push([...batch.statementIds]);
          return Promise.resolve();
        },
      },
      afterMs: 0,
      now: () => new Date(Date.now() + 60_000),
    });
    t.equal(result.failed, 0);
    t.ok(
      enqueued.flat().includes(second.id),
      `${order}: the dead write's statement is re-driven to the pipeline`,
    );
    t.strictSame(await voided(), VOIDED, `${order}: the sweep applied the void`);
    t.strictSame(await verifyVoids(r.store, 'default'), [], `${order}: verify agrees now`);
  }
});
