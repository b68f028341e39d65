// The outbox sweeper (work owed by a write is recorded with the write and re-driven when left
// undone): statements the LRS stored but whose job was lost (a crash between the insert and the
// enqueue, simulated by an LRS whose enqueue does nothing) are found by the sweeper and processed
// by the pipeline, once.
import t from 'tap';
import { startSweeper, sweepOutbox, verifySkillDays } from '@cairn/aggregator';
import { SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import {
  createPipelineMonitor,
  createRedis,
  createStatementBatchQueue,
  STATEMENT_INTAKE_QUEUE,
} from '@cairn/jobs';
import type { Store } from '@cairn/store';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';
import { statementQueue } from '../../helpers/queues.js';
import { poisonWorker } from './pipeline-fixtures.js';

const STORE = 'default';
const uuid = (n: number): string => `5e1f0000-0000-4000-9000-${String(n).padStart(12, '0')}`;

const learning = (n: number) => ({
  id: uuid(n),
  actor: { mbox: `mailto:p${n % 3}@example.com` },
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
  object: {
    id: `https://example.com/activities/${n}`,
    definition: {
      extensions: { [SKILL_ALIGNMENT_EXTENSION]: ['https://skills.example.com/safety'] },
    },
  },
  result: { success: true, score: { scaled: 0.5 } },
  timestamp: new Date(Date.UTC(2024, 2, 1 + n, 9)).toISOString(),
});

/** An LRS that stores statements but never gets to enqueue them, and two batches posted to it. */
async function storedButNotEnqueued(t: Teardown): Promise<TestApp> {
  const r = await buildTestApp(t, { pipeline: { enqueue: () => Promise.resolve() } });
  const headers = {
    authorization: await basicAuth(r.store, STORE, ['all']),
    'x-experience-api-version': '2.0.0',
  };
  for (const batch of [
    [learning(1), learning(2), learning(3)],
    [learning(4), learning(5)],
  ]) {
    const res = await r.app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers,
      payload: batch,
    });
    if (res.statusCode !== 200) throw new Error(`POST answered ${res.statusCode}: ${res.body}`);
  }
  return r;
}

/** A producer on the intake queue, as main.ts makes for its sweeper, closed on teardown. */
async function intakeProducer(t: Teardown, r: TestApp) {
  const connection = createRedis(r.redisUrl, 'producer');
  await connection.connect();
  const queue = createStatementBatchQueue({ connection, prefix: r.queuePrefix });
  t.teardown(async () => {
    await queue.close();
    connection.disconnect();
  });
  return queue;
}

const FAR_FUTURE = () => new Date(Date.now() + 3_600_000);
const owed = async (store: Store): Promise<number> => (await owedIds(store)).length;
const owedIds = async (store: Store): Promise<string[]> =>
  (await store.outbox.owedSince(FAR_FUTURE(), 1000)).map((o) => o.statementId);

t.test('statements whose job was lost are swept, processed and cleared', async (t) => {
  const r = await storedButNotEnqueued(t);
  t.equal(await owed(r.store), 5, 'the outbox holds the five statements');
  const intake = statementQueue(t, r, 'intake');
  t.equal(await intake.count(), 0, 'and no job was enqueued');

  await startTestAggregator(t, r);
  const queue = await intakeProducer(t, r);
  const swept: number[] = [];
  const errors: unknown[] = [];
  const sweeper = startSweeper({
    store: r.store,
    queue,
    intervalMs: 20,
    afterMs: 1,
    onSwept: (result) => swept.push(result.statements),
    onError: (error) => errors.push(error),
  });
  t.teardown(() => sweeper.stop());

  await pollUntil('the outbox to drain', async () =>
    (await owed(r.store)) === 0 ? true : undefined,
  );
  await sweeper.stop();
  t.strictSame(errors, [], 'no sweep failed');
  t.equal(swept[0], 5, 'the first sweep re-drove all five');
  const evidence = r.store.evidenceOf(STORE);
  await pollUntil('no evidence pending', async () =>
    (await evidence.count('pending')) === 0 ? true : undefined,
  );
  t.equal(await evidence.count('counted'), 5, 'one counted row per statement');
  t.strictSame(await verifySkillDays(r.store, STORE), [], 'the buckets are exact');
});

t.test('two sweepers reading the same outbox add one job; a re-drive waits', async (t) => {
  const r = await storedButNotEnqueued(t);
  const intake = statementQueue(t, r, 'intake');
  const queue = await intakeProducer(t, r);
  const now = new Date(Date.now() + 1000);
  const options = { queue, afterMs: 500, now: () => now };

  t.strictSame(
    await sweepOutbox({ ...options, store: r.store, afterMs: 60_000 }),
    { statements: 0, jobs: 0, failed: 0, behindMs: null },
    'nothing is owed for longer than the threshold yet',
  );
  // The first sweeper enqueues but has not restamped (or died) when the second one reads.
  const slow: Store = {
    ...r.store,
    outbox: { ...r.store.outbox, restamp: () => Promise.resolve() },
  };
  t.strictSame(await sweepOutbox({ ...options, store: slow }), {
    statements: 5,
    jobs: 1,
    failed: 0,
    behindMs: null,
  });
  t.strictSame(await sweepOutbox({ ...options, store: r.store }), {
    statements: 5,
    jobs: 1,
    failed: 0,
    behindMs: null,
  });
  const jobs = await intake.getJobs(['waiting']);
  t.equal(jobs.length, 1, 'one job for both sweeps');
  t.match(jobs[0]?.id, /^sweep\.default\.[0-9a-f-]+\.5\.[0-9]+$/, 'a re-drive id, no colon');
  t.strictSame(
    [...(jobs[0]?.data.statementIds ?? [])].sort(),
    [1, 2, 3, 4, 5].map(uuid),
    'the job carries every owed statement of the store',
  );
  t.strictSame(
    await sweepOutbox({ ...options, store: r.store }),
    { statements: 0, jobs: 0, failed: 0, behindMs: null },
    'restamped statements wait another full threshold',
  );
  const later = new Date(now.getTime() + 600);
  t.strictSame(
    await sweepOutbox({ ...options, store: r.store, now: () => later }),
    { statements: 5, jobs: 1, failed: 0, behindMs: null },
    'after it they are re-driven again',
  );
  t.equal((await intake.getJobs(['waiting'])).length, 2, 'under a new id');
});

t.test(
  'nothing is re-driven while the pipeline is further behind than the threshold',
  async (t) => {
    const r = await storedButNotEnqueued(t);
    const queue = await intakeProducer(t, r);
    const monitor = createPipelineMonitor({
      connection: r.redis,
      prefix: r.queuePrefix,
      partitions: 4,
    });
    t.teardown(() => monitor.close());
    // A job of another batch waits in the intake queue (no worker runs): the pipeline is behind.
    await queue.enqueue({ storeId: STORE, statementIds: [uuid(99)] });
    const options = {
      store: r.store,
      queue,
      afterMs: 500,
      backlogMs: (now: Date) => monitor.backlogMs(now),
    };
    const later = new Date(Date.now() + 2000);

    const behind = await sweepOutbox({ ...options, now: () => later });
    t.equal(behind.statements, 0, 'the owed statements are left to the backlog');
    t.ok((behind.behindMs ?? 0) > 500, `behind by ${behind.behindMs} ms`);
    t.strictSame(
      (await r.store.outbox.owedSince(later, 10)).map((o) => o.attempts),
      [0, 0, 0, 0, 0],
      'and no re-drive is counted toward giving them up',
    );
    t.strictSame(
      await sweepOutbox({ ...options, afterMs: 60_000, now: () => later }),
      { statements: 0, jobs: 0, failed: 0, behindMs: null },
      'a backlog younger than the threshold does not stop a sweep',
    );

    const intake = statementQueue(t, r, 'intake');
    await intake.drain();
    t.match(
      await sweepOutbox({ ...options, now: () => later }),
      { statements: 5, jobs: 1, behindMs: null },
      'once it has caught up, what is still owed is re-driven',
    );
  },
);

t.test('a poison batch stops being re-driven after the max attempts', async (t) => {
  const r = await storedButNotEnqueued(t);
  const intake = statementQueue(t, r, 'intake');
  const queue = await intakeProducer(t, r);
  await poisonWorker(t, r, STATEMENT_INTAKE_QUEUE);
  let clock = Date.now() + 1000;
  const sweep = () =>
    sweepOutbox({
      store: r.store,
      queue,
      afterMs: 500,
      maxAttempts: 2,
      now: () => new Date(clock),
    });

  for (const round of [1, 2]) {
    t.strictSame(
      await sweep(),
      { statements: 5, jobs: 1, failed: 0, behindMs: null },
      `re-drive ${round}`,
    );
    await pollUntil(`re-drive ${round} to fail`, async () =>
      (await intake.getFailedCount()) === round ? true : undefined,
    );
    clock += 600;
  }
  t.strictSame(
    await sweep(),
    { statements: 0, jobs: 0, failed: 5, behindMs: null },
    'then given up',
  );
  t.strictSame(await r.store.outbox.summary(), { pending: 0, oldestPendingSince: null, failed: 5 });
  clock += 600;
  t.strictSame(
    await sweep(),
    { statements: 0, jobs: 0, failed: 0, behindMs: null },
    'and never re-driven again',
  );
  t.equal(await intake.count(), 0, 'no job waits');
  t.equal(await intake.getFailedCount(), 2, 'the two re-drives stay in the failed set');

  // A retry from the admin view resets them: re-driven again, with a fresh count.
  t.strictSame(await owedIds(r.store), [], 'nothing is owed');
  const failedIds = [1, 2, 3, 4, 5].map(uuid);
  t.equal(await r.store.outbox.reset(STORE, failedIds, new Date(clock)), 5);
  clock += 600;
  t.strictSame(
    await sweep(),
    { statements: 5, jobs: 1, failed: 0, behindMs: null },
    'pending again after a reset',
  );
});

t.test('startSweeper passes maxAttempts and reports give-ups', async (t) => {
  const r = await storedButNotEnqueued(t);
  const queue = await intakeProducer(t, r);
  const swept: unknown[] = [];
  const sweeper = startSweeper({
    store: r.store,
    queue,
    intervalMs: 20,
    afterMs: 1,
    maxAttempts: 1,
    onSwept: (result) => swept.push(result),
  });
  t.teardown(() => sweeper.stop());
  await pollUntil('the outbox to give up', async () =>
    (await r.store.outbox.summary()).failed === 5 ? true : undefined,
  );
  await sweeper.stop();
  t.strictSame(swept.slice(0, 2), [
    { statements: 5, jobs: 1, failed: 0, behindMs: null },
    { statements: 0, jobs: 0, failed: 5, behindMs: null },
  ]);
});
