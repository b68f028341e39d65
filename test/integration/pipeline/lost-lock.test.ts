// A partition job whose worker lost the job's lock stops before its next write. BullMQ hands a
// job whose lock has expired (its process stalled past the lock's duration, or could not reach
// Redis to renew it) to another worker; two runs of one partition's job writing at once could
// count a row twice (one run re-adding an op id the other had already settled). So before each
// write step the job extends its lock, and a run that finds it gone writes nothing more.
import t from 'tap';
import { Queue, Worker } from 'bullmq';
import { SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import {
  currentDerivation,
  reconcileEvidence,
  routeEvidence,
  verifySkillDays,
} from '@cairn/aggregator';
import { createRedis, PARTITION_JOB, statementQueueName, type PartitionJob } from '@cairn/jobs';
import { testProcessors } from '../../helpers/aggregator.js';
import { pollUntil } from '../../helpers/poll.js';
import { PARTITIONS, pipelineTestApp, postBatch } from './pipeline-fixtures.js';

const STORE = 'default';

t.test('a partition job that lost its lock writes nothing, and leaves its rows owed', async (t) => {
  const r = await pipelineTestApp(t);
  const ids = await postBatch(r, STORE, 500, 6, (id, i) => ({
    id,
    actor: { mbox: `mailto:learner${i % 2}@example.com` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
    object: {
      id: `https://example.com/activities/${i}`,
      definition: {
        extensions: { [SKILL_ALIGNMENT_EXTENSION]: ['https://skills.example.com/welding'] },
      },
    },
    result: { success: true, score: { scaled: 0.8 } },
  }));

  // The intake half, as the intake job runs it: rows inserted pending, routed to partitions.
  const statements = await r.store.statementsOf(STORE).getMany(ids);
  const routing = await routeEvidence(
    r.store,
    STORE,
    statements,
    PARTITIONS,
    await currentDerivation(r.store, STORE),
  );
  const [partition, owed] = [...routing.parts][0] ?? [];
  if (partition === undefined || owed === undefined) throw new Error('no evidence routed');

  const queueName = statementQueueName(partition);
  const queue = new Queue<PartitionJob>(queueName, { connection: r.redis, prefix: r.queuePrefix });
  t.teardown(() => queue.close());
  await queue.add(
    PARTITION_JOB,
    { storeId: STORE, partition, statementIds: owed, stored: [] },
    { jobId: 'lost-lock' },
  );
  const processors = testProcessors(t, r, PARTITIONS);
  let failure: unknown = null;
  const connection = createRedis(r.redisUrl, 'worker');
  const worker = new Worker<PartitionJob>(
    queueName,
    async (job, token) => {
      // What the stalled check leaves: the lock gone (the job is someone else's now).
      await r.redis.del(`${r.queuePrefix}:${queueName}:${job.id ?? ''}:lock`);
      return processors.partition(job, token).catch((error: unknown) => {
        failure = error;
        throw error;
      });
    },
    { connection, prefix: r.queuePrefix },
  );
  // BullMQ then cannot move the job to failed either (no lock): it reports an error.
  worker.on('error', () => undefined);
  t.teardown(async () => {
    await worker.close();
    connection.disconnect();
  });
  await pollUntil('the job to give up', async () => (failure === null ? undefined : true));
  t.match(failure, { message: /job lost-lock lost its lock .*: stopped before writing/ });

  const evidence = r.store.evidenceOf(STORE);
  const rows = await evidence.ofStatements(owed);
  t.ok(rows.length > 0);
  t.ok(
    rows.every((row) => row.state === 'pending'),
    'its rows are still pending',
  );
  t.strictSame(await r.store.skillDaysOf(STORE).list(), [], 'no bucket was written');

  // The job's new owner finds everything still to do, and does it once (with the batch's other
  // partitions, so that the store's buckets are complete).
  for (const [p, part] of routing.parts) {
    await reconcileEvidence(r.store, STORE, p, PARTITIONS, part);
  }
  t.ok((await evidence.ofStatements(owed)).every((row) => row.state === 'counted'));
  t.strictSame(await verifySkillDays(r.store, STORE), [], 'verify finds no difference');
});
