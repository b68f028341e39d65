// What the LRS owes the pipeline after a write: one job per request for the statements it stored,
// and a pending outbox state on each statement, so that a lost job is only a delay.
import t from 'tap';
import { createRedis, createStatementBatchQueue } from '@cairn/jobs';
import { COLLECTIONS } from '@cairn/store';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';
import { statementQueue } from '../../helpers/queues.js';

const ids = ['a', 'b', 'c'].map((last) => `0b6f7f0e-0000-4000-8000-00000000000${last}`);

function statement(id: string): Record<string, unknown> {
  return {
    id,
    actor: { mbox: 'mailto:ann@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    object: { id: 'https://example.com/courses/safety' },
  };
}

async function setup(t: Teardown, overrides: Parameters<typeof buildTestApp>[1] = {}) {
  const r = await buildTestApp(t, overrides);
  const auth = await basicAuth(r.store, 'default', ['all']);
  const headers = { authorization: auth, 'x-experience-api-version': '2.0.0' };
  const post = (payload: unknown) =>
    r.app.inject({ method: 'POST', url: '/xapi/statements', headers, payload: payload as object });
  const intake = statementQueue(t, r, 'intake');
  const jobs = async () =>
    (await intake.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed'])).map(
      (j) => j.data,
    );
  return { ...r, headers, post, intake, jobs };
}

t.test('a POST adds one job carrying the ids it stored, and nothing for a replay', async (t) => {
  const { post, jobs } = await setup(t);
  const [a = '', b = '', c = ''] = ids;
  t.equal((await post([statement(a), statement(b)])).statusCode, 200);
  t.same(await jobs(), [{ storeId: 'default', statementIds: [a, b] }], 'one job for the batch');

  t.equal((await post([statement(a), statement(b)])).statusCode, 200, 'a replay is accepted');
  t.equal((await jobs()).length, 1, 'but owes the pipeline nothing new');

  t.equal((await post([statement(b), statement(c)])).statusCode, 200);
  t.same(
    (await jobs()).map((j) => j.statementIds).sort((x, y) => x.length - y.length),
    [[c], [a, b]],
    'a partly new batch: a job for the new statement only',
  );
});

t.test('PUT adds a job for its statement', async (t) => {
  const { app, headers, jobs } = await setup(t);
  const [a = ''] = ids;
  const res = await app.inject({
    method: 'PUT',
    url: `/xapi/statements?statementId=${a}`,
    headers,
    payload: statement(a),
  });
  t.equal(res.statusCode, 204);
  t.same(await jobs(), [{ storeId: 'default', statementIds: [a] }]);
});

t.test(
  'when Redis cannot take the job the POST still succeeds and the outbox keeps the debt',
  async (t) => {
    // A real producer pointed at a port where nothing listens: the enqueue fails fast.
    const deadRedis = createRedis('redis://127.0.0.1:9', 'producer');
    deadRedis.on('error', () => undefined);
    const deadQueue = createStatementBatchQueue({ connection: deadRedis, prefix: 'unreachable' });
    t.teardown(() => deadRedis.disconnect());
    const { post, mongo } = await setup(t, { pipeline: deadQueue });
    const [a = ''] = ids;

    const res = await post(statement(a));
    t.equal(res.statusCode, 200);
    t.same(res.json(), [a]);
    const doc = await mongo.db
      .collection(COLLECTIONS.statements)
      .findOne({ statementId: a }, { projection: { pipeline: 1, stored: 1 } });
    t.match(
      doc,
      { pipeline: { state: 'pending' } },
      'the statement is marked as owed to the pipeline',
    );
  },
);

t.test('the aggregator takes batches from the intake queue', async (t) => {
  const r = await setup(t);
  const workers = await startTestAggregator(t, r);
  const done: unknown[] = [];
  for (const w of workers.workers) w.on('completed', (job) => done.push(job.data));
  const [a = ''] = ids;
  t.equal((await r.post(statement(a))).statusCode, 200);
  const processed = await pollUntil('the batch to be processed', async () =>
    done.length > 0 ? done : undefined,
  );
  t.same(processed, [{ storeId: 'default', statementIds: [a] }]);
  t.same(await r.jobs(), [], 'completed jobs leave the intake queue');
});
