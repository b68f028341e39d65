import t from 'tap';
import { createProcessor, startWorkers } from '@cairn/aggregator';
import { STATEMENT_BATCH_JOB, statementBatchJobId } from '@cairn/jobs';
import { DEFAULT_STORE_ID } from '@cairn/store';
import { pollUntil } from '../helpers/poll.js';
import { statementQueue } from '../helpers/queues.js';
import { testResources } from '../helpers/test-resources.js';

t.test('a batch job enqueued on a partition is processed by the aggregator worker', async (t) => {
  const r = await testResources(t);
  await r.store.tenants.ensure(DEFAULT_STORE_ID, 'Default store', new Date());
  const queue = statementQueue(t, r, 1);
  const workers = startWorkers({
    redisUrl: r.redisUrl,
    prefix: r.queuePrefix,
    partitions: [0, 1],
    processor: createProcessor({ store: r.store }),
  });
  t.teardown(async () => {
    await workers.close();
  });

  const payload = { storeId: DEFAULT_STORE_ID, statementIds: ['a', 'b', 'c'] };
  const job = await queue.add(STATEMENT_BATCH_JOB, payload, {
    jobId: statementBatchJobId(payload),
  });
  const again = await queue.add(STATEMENT_BATCH_JOB, payload, {
    jobId: statementBatchJobId(payload),
  });
  t.equal(again.id, job.id, 'the same batch enqueued twice is one job');

  const result = await pollUntil('the job to complete', async () => {
    const state = await queue.getJobState(job.id ?? '');
    return state === 'completed' ? (await queue.getJob(job.id ?? ''))?.returnvalue : undefined;
  });
  t.same(
    result,
    { statements: 3, definitions: 0, agents: 0, evidence: 0, retracted: 0 },
    'unknown ids carry nothing',
  );
});

t.test(
  'a job that can never succeed fails at once, without retries, and stays inspectable',
  async (t) => {
    const r = await testResources(t);
    const queue = statementQueue(t, r, 0);
    const workers = startWorkers({
      redisUrl: r.redisUrl,
      prefix: r.queuePrefix,
      partitions: [0],
      processor: createProcessor({ store: r.store }),
    });
    t.teardown(async () => {
      await workers.close();
    });

    const job = await queue.add(
      STATEMENT_BATCH_JOB,
      { storeId: 'no-such-store', statementIds: ['a'] },
      { attempts: 5 },
    );
    const failed = await pollUntil('the job to fail', async () => {
      const state = await queue.getJobState(job.id ?? '');
      return state === 'failed' ? await queue.getJob(job.id ?? '') : undefined;
    });
    t.equal(failed?.attemptsMade, 1, 'no retry for an unrecoverable error');
    t.equal(failed?.failedReason, `job ${job.id ?? ''} names unknown store no-such-store`);
  },
);
