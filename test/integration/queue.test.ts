import t from 'tap';
import { STATEMENT_BATCH_JOB, statementBatchJobId } from '@cairn/jobs';
import { DEFAULT_STORE_ID } from '@cairn/store';
import { startTestAggregator } from '../helpers/aggregator.js';
import { pollUntil } from '../helpers/poll.js';
import { statementQueue } from '../helpers/queues.js';
import { testResources } from '../helpers/test-resources.js';

t.test('a batch job enqueued on the intake queue is processed by the aggregator', async (t) => {
  const r = await testResources(t);
  await r.store.tenants.ensure(DEFAULT_STORE_ID, 'Default store', new Date());
  const queue = statementQueue(t, r, 'intake');
  await startTestAggregator(t, r);

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
    { statements: 3, definitions: 0, agents: 0, evidence: 0, voids: 0, partitions: 0 },
    'unknown ids carry nothing',
  );
});

t.test(
  'a job that can never succeed fails at once, without retries, and stays inspectable',
  async (t) => {
    const r = await testResources(t);
    const queue = statementQueue(t, r, 'intake');
    await startTestAggregator(t, r);

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
