import { Queue } from 'bullmq';
import {
  createProcessors,
  startRederiveWatcher,
  startWorkers,
  type BatchResult,
  type Processors,
  type RunningWorkers,
  type StartWorkersOptions,
} from '@cairn/aggregator';
import { createBatchRouter, createRedis, STATEMENT_DONE_QUEUE } from '@cairn/jobs';
import type { Teardown } from './env.js';
import { pollUntil } from './poll.js';
import { statementQueue } from './queues.js';
import type { TestResources } from './test-resources.js';

/** The partitions tests run with unless they say otherwise: enough for batches to split. */
export const TEST_PARTITIONS = 4;

export interface TestAggregatorOptions {
  /** CAIRN_PARTITIONS (default TEST_PARTITIONS). */
  readonly partitions?: number;
  /** The partitions this aggregator consumes (default all). */
  readonly consume?: readonly number[];
  readonly onFailed?: StartWorkersOptions['onFailed'];
  /** Also watch for settings changes every this many ms (re-derivation after a rule change). */
  readonly watchSettingsMs?: number;
}

/** The pipeline's processors on this test's store and queue prefix, their router closed on teardown. */
export function testProcessors(
  t: Teardown,
  r: TestResources,
  partitions: number = TEST_PARTITIONS,
): Processors {
  const connection = createRedis(r.redisUrl, 'producer');
  const router = createBatchRouter({ connection, prefix: r.queuePrefix });
  t.teardown(async () => {
    await router.close();
    connection.disconnect();
  });
  return createProcessors({ store: r.store, router, partitions });
}

/** An aggregator in this process, as main.ts builds one, stopped on teardown. */
export async function startTestAggregator(
  t: Teardown,
  r: TestResources,
  options: TestAggregatorOptions = {},
): Promise<RunningWorkers> {
  const partitions = options.partitions ?? TEST_PARTITIONS;
  const processors = testProcessors(t, r, partitions);
  const running = await startWorkers({
    redisUrl: r.redisUrl,
    prefix: r.queuePrefix,
    partitions: options.consume ?? Array.from({ length: partitions }, (_, p) => p),
    processors,
    intakeConcurrency: 1,
    ...(options.onFailed !== undefined ? { onFailed: options.onFailed } : {}),
  });
  t.teardown(() => running.close());
  await running.ready();
  if (options.watchSettingsMs !== undefined) {
    const watcher = startRederiveWatcher({
      store: r.store,
      connection: r.redis,
      prefix: r.queuePrefix,
      intervalMs: options.watchSettingsMs,
    });
    t.teardown(() => watcher.stop());
  }
  return running;
}

/**
 * Waits until the intake job `intakeJobId` has completed and so has the batch-done job of the
 * flow it added (removed on completion), i.e. until the batch is aggregated whole. Returns the
 * intake job's result.
 */
export async function batchAggregated(
  t: Teardown,
  r: TestResources,
  intakeJobId: string,
): Promise<BatchResult | undefined> {
  const intake = statementQueue(t, r, 'intake');
  const done = new Queue(STATEMENT_DONE_QUEUE, { connection: r.redis, prefix: r.queuePrefix });
  try {
    const result = await pollUntil(`intake job ${intakeJobId}`, async () =>
      (await intake.getJobState(intakeJobId)) === 'completed'
        ? { value: (await intake.getJob(intakeJobId))?.returnvalue }
        : undefined,
    );
    await pollUntil(`the batch-done job of ${intakeJobId}`, async () =>
      (await done.getJobState(`${intakeJobId}.done`)) === 'unknown' ? true : undefined,
    );
    return result.value;
  } finally {
    await done.close();
  }
}
