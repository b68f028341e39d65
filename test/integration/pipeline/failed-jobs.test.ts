// The failed-job admin view (docs/pipeline.md, Failed jobs): list, retry and discard the jobs of
// the pipeline's failed sets, each store's admin seeing its own store's jobs only, and the
// statements' outbox following: a retry puts them back to pending, a discard gives them up. And
// how a statement that can never be processed ends up there alone, without its batch-mates.
import t from 'tap';
import { Queue } from 'bullmq';
import {
  createBatchRouter,
  createStatementBatchQueue,
  STATEMENT_DONE_QUEUE,
  STATEMENT_INTAKE_QUEUE,
  statementBatchJobId,
  statementQueueName,
  type StatementBatchJob,
} from '@cairn/jobs';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';
import {
  PARTITIONS,
  pipelineTestApp,
  poisonWorker,
  postBatch,
  type PipelineTestApp,
} from './pipeline-fixtures.js';

const DEFAULT = 'default';
const OTHER = 'other-store';

interface FailedPage {
  jobs: {
    id: string;
    queue: string;
    storeId: string;
    statements: number;
    failedReason: string;
    attemptsMade: number;
    finishedOn: string;
  }[];
  total: number;
  offset: number;
  limit: number;
}

function queueOf(t: Teardown, r: PipelineTestApp, name: string): Queue {
  const queue = new Queue(name, { connection: r.redis, prefix: r.queuePrefix });
  t.teardown(() => queue.close());
  return queue;
}

/** Posts a batch to each store, enqueues its intake job, and lets a poison worker fail both. */
async function twoFailedBatches(
  t: Teardown,
  r: PipelineTestApp,
): Promise<{ jobs: Record<string, string>; batches: Record<string, StatementBatchJob> }> {
  const batches: Record<string, StatementBatchJob> = {
    [DEFAULT]: { storeId: DEFAULT, statementIds: await postBatch(r, DEFAULT, 1, 3) },
    [OTHER]: { storeId: OTHER, statementIds: await postBatch(r, OTHER, 11, 2) },
  };
  const producer = createStatementBatchQueue({ connection: r.redis, prefix: r.queuePrefix });
  t.teardown(() => producer.close());
  const poison = await poisonWorker(t, r, STATEMENT_INTAKE_QUEUE);
  for (const batch of Object.values(batches)) await producer.enqueue(batch);
  const intake = queueOf(t, r, STATEMENT_INTAKE_QUEUE);
  await pollUntil('both jobs to fail', async () =>
    (await intake.getFailedCount()) === 2 ? true : undefined,
  );
  await poison.close();
  const jobs = {
    [DEFAULT]: statementBatchJobId(batches[DEFAULT] as StatementBatchJob),
    [OTHER]: statementBatchJobId(batches[OTHER] as StatementBatchJob),
  };
  return { jobs, batches };
}

const outboxStates = async (r: PipelineTestApp, storeId: string, ids: readonly string[]) =>
  (
    await r.mongo.db
      .collection<{ _id: string; pipeline: { state: string; attempts?: number } }>('statements')
      .find({ storeId, statementId: { $in: [...ids] } })
      .toArray()
  ).map((d) => `${d.pipeline.state}/${d.pipeline.attempts ?? 0}`);

t.test('the list: every store for an installation admin, its own for a store admin', async (t) => {
  const r = await pipelineTestApp(t);
  const { jobs } = await twoFailedBatches(t, r);
  const admin = await basicAuth(r.store, DEFAULT, ['admin']);
  const other = await basicAuth(r.store, OTHER, ['admin']);

  const all = await r.app.inject({
    url: '/admin/v1/pipeline/failed',
    headers: { authorization: admin },
  });
  t.equal(all.statusCode, 200, all.body);
  const page = all.json<FailedPage>();
  t.equal(page.total, 2);
  t.strictSame(page.jobs.map((j) => j.id).sort(), [jobs[DEFAULT], jobs[OTHER]].sort());
  const mine = page.jobs.find((j) => j.storeId === OTHER);
  t.match(mine, {
    id: jobs[OTHER],
    queue: 'intake',
    storeId: OTHER,
    statements: 2,
    failedReason: 'poison batch',
    attemptsMade: 1,
    finishedOn: /^\d{4}-\d\d-\d\dT/,
  });

  const own = await r.app.inject({
    url: '/admin/v1/pipeline/failed',
    headers: { authorization: other },
  });
  t.strictSame(
    own.json<FailedPage>().jobs.map((j) => j.id),
    [jobs[OTHER]],
    'a store admin sees its store only',
  );
  t.equal(own.json<FailedPage>().total, 1);

  const first = await r.app.inject({
    url: '/admin/v1/pipeline/failed?limit=1',
    headers: { authorization: admin },
  });
  const second = await r.app.inject({
    url: '/admin/v1/pipeline/failed?limit=1&offset=1',
    headers: { authorization: admin },
  });
  const ids = [...first.json<FailedPage>().jobs, ...second.json<FailedPage>().jobs].map(
    (j) => j.id,
  );
  t.strictSame(
    ids,
    page.jobs.map((j) => j.id),
    'pages follow the same order',
  );
  t.match(second.json<FailedPage>(), { total: 2, offset: 1, limit: 1 });

  for (const [query, message] of [
    ['limit=0', "limit must be an integer from 1 to 100, got '0'"],
    ['limit=101', "limit must be an integer from 1 to 100, got '101'"],
    ['offset=-1', "offset must be an integer from 0 to 1000000, got '-1'"],
    ['limit=ten', "limit must be an integer from 1 to 100, got 'ten'"],
  ] as const) {
    const bad = await r.app.inject({
      url: `/admin/v1/pipeline/failed?${query}`,
      headers: { authorization: admin },
    });
    t.strictSame(
      bad.json(),
      { statusCode: 400, error: 'Bad Request', code: 'ADMIN_ERR_INVALID', message },
      query,
    );
  }
  const unknown = await r.app.inject({
    url: '/admin/v1/pipeline/failed?store=x',
    headers: { authorization: admin },
  });
  t.equal(unknown.statusCode, 400, 'an unknown parameter is refused');
  t.match(unknown.json(), { code: 'FST_ERR_VALIDATION', message: /additional property 'store'/ });
});

t.test('retry: the job waits again, its statements pending with no attempts', async (t) => {
  const r = await pipelineTestApp(t);
  const { jobs, batches } = await twoFailedBatches(t, r);
  const ids = batches[OTHER]?.statementIds ?? [];
  // The sweeper had given up on them after a few re-drives.
  await r.store.outbox.restamp(OTHER, ids, new Date());
  await r.store.outbox.giveUp(OTHER, ids, new Date());
  t.strictSame(await outboxStates(r, OTHER, ids), ['failed/1', 'failed/1']);

  const other = await basicAuth(r.store, OTHER, ['admin']);
  const res = await r.app.inject({
    method: 'POST',
    url: `/admin/v1/pipeline/failed/${jobs[OTHER]}/retry`,
    headers: { authorization: other },
  });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), {
    job: { id: jobs[OTHER], queue: 'intake', storeId: OTHER, state: 'waiting' },
    statementsReset: 2,
  });
  const intake = queueOf(t, r, STATEMENT_INTAKE_QUEUE);
  t.equal(await intake.getJobState(jobs[OTHER] ?? ''), 'waiting', 'back in the wait list');
  t.equal((await intake.getJob(jobs[OTHER] ?? ''))?.attemptsMade, 0, 'attempts start again');
  t.strictSame(await outboxStates(r, OTHER, ids), ['pending/0', 'pending/0']);
  t.equal(await intake.getFailedCount(), 1, "the other store's job is still failed");

  const again = await r.app.inject({
    method: 'POST',
    url: `/admin/v1/pipeline/failed/${jobs[OTHER]}/retry`,
    headers: { authorization: other },
  });
  t.strictSame(again.json(), {
    statusCode: 409,
    error: 'Conflict',
    code: 'ADMIN_ERR_JOB_NOT_FAILED',
    message: `pipeline job ${jobs[OTHER]} is waiting, not failed: only a failed job may be retried or discarded`,
  });
  for (const id of [jobs[DEFAULT], 'batch.nothing.here.1']) {
    const hidden = await r.app.inject({
      method: 'POST',
      url: `/admin/v1/pipeline/failed/${id}/retry`,
      headers: { authorization: other },
    });
    t.strictSame(
      hidden.json(),
      {
        statusCode: 404,
        error: 'Not Found',
        code: 'ADMIN_ERR_JOB_NOT_FOUND',
        message: `no pipeline job ${id}`,
      },
      "another store's job is answered as one that does not exist",
    );
  }
});

t.test('discard: the job is gone, its statements given up', async (t) => {
  const r = await pipelineTestApp(t);
  const { jobs, batches } = await twoFailedBatches(t, r);
  const admin = await basicAuth(r.store, DEFAULT, ['admin']);
  const res = await r.app.inject({
    method: 'DELETE',
    url: `/admin/v1/pipeline/failed/${jobs[DEFAULT]}`,
    headers: { authorization: admin, 'content-type': 'application/json' },
  });
  t.equal(res.statusCode, 204, res.body);
  const intake = queueOf(t, r, STATEMENT_INTAKE_QUEUE);
  t.equal(await intake.getJob(jobs[DEFAULT] ?? ''), undefined, 'removed');
  const ids = batches[DEFAULT]?.statementIds ?? [];
  t.strictSame(await outboxStates(r, DEFAULT, ids), ['failed/0', 'failed/0', 'failed/0']);
  t.match(await r.store.outbox.summary(), { pending: 2, failed: 3 });
  const gone = await r.app.inject({
    method: 'DELETE',
    url: `/admin/v1/pipeline/failed/${jobs[DEFAULT]}`,
    headers: { authorization: admin },
  });
  t.equal(gone.statusCode, 404);
});

t.test('a failed partition job: retry resets the whole batch of its flow', async (t) => {
  const r = await pipelineTestApp(t);
  const statementIds = await postBatch(r, DEFAULT, 21, 4);
  const batch = { storeId: DEFAULT, statementIds, stored: statementIds.map(() => Date.now()) };
  await r.store.outbox.giveUp(DEFAULT, statementIds, new Date());
  const poison = await poisonWorker(t, r, statementQueueName(1));
  const router = createBatchRouter({ connection: r.redis, prefix: r.queuePrefix });
  t.teardown(() => router.close());
  await router.route(
    'batch.flow',
    batch,
    new Map([
      [0, statementIds.slice(0, 2)],
      [1, statementIds.slice(2)],
    ]),
  );
  const p1 = queueOf(t, r, statementQueueName(1));
  await pollUntil('the partition job to fail', async () =>
    (await p1.getFailedCount()) === 1 ? true : undefined,
  );
  await poison.close();

  const admin = await basicAuth(r.store, DEFAULT, ['admin']);
  const list = await r.app.inject({
    url: '/admin/v1/pipeline/failed',
    headers: { authorization: admin },
  });
  t.match(list.json<FailedPage>().jobs, [
    { id: 'batch.flow.p1', queue: 'p1', storeId: DEFAULT, statements: 2 },
  ]);
  const res = await r.app.inject({
    method: 'POST',
    url: '/admin/v1/pipeline/failed/batch.flow.p1/retry',
    headers: { authorization: admin },
  });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { statementsReset: 4 }, 'every statement the batch-done job clears');
  t.equal(await p1.getJobState('batch.flow.p1'), 'waiting');
  const done = queueOf(t, r, STATEMENT_DONE_QUEUE);
  t.equal(await done.getJobState('batch.flow.done'), 'waiting-children', 'the parent still waits');
});

t.test(
  'a poison statement fails alone: its batch is split until it stands by itself',
  async (t) => {
    const r = await pipelineTestApp(t);
    const statementIds = await postBatch(r, DEFAULT, 31, 6);
    const poisoned = statementIds[3] as string;
    // Stored JSON the pipeline cannot parse stands for any statement it can never process.
    await r.mongo.db
      .collection<{ storeId: string; statementId: string }>('statements')
      .updateOne({ storeId: DEFAULT, statementId: poisoned }, { $set: { json: '{"truncated' } });
    await startTestAggregator(t, r, { partitions: PARTITIONS });
    const intake = queueOf(t, r, STATEMENT_INTAKE_QUEUE);
    const batch = { storeId: DEFAULT, statementIds };
    const jobId = statementBatchJobId(batch);
    await intake.add('statement-batch', batch, {
      jobId,
      attempts: 2,
      backoff: { type: 'fixed', delay: 10 },
    });

    const failed = await pollUntil('the poison statement to fail on its own', async () => {
      const jobs = await intake.getFailed();
      return jobs.length > 0 ? jobs : undefined;
    });
    t.strictSame(
      failed.map((j) => [(j.data as StatementBatchJob).statementIds, j.attemptsMade]),
      [[[poisoned], 2]],
      'one failed job, holding the poison statement alone, after its attempts',
    );
    t.match(failed[0]?.id, new RegExp(`^${jobId.replaceAll('.', '\\.')}(\\.[01])+$`));
    const others = statementIds.filter((id) => id !== poisoned);
    await pollUntil('its batch-mates to be aggregated', async () =>
      (await outboxStates(r, DEFAULT, others)).every((s) => s === 'done/0') ? true : undefined,
    );
    t.strictSame(await outboxStates(r, DEFAULT, [poisoned]), ['pending/0'], 'still owed');
  },
);
