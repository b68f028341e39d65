import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  createBatchRouter,
  createPipelineMonitor,
  createStatementBatchQueue,
  type RederiveJob,
} from '@cairn/jobs';
import type { Store } from '@cairn/store';
import type { AggregatorConfig } from './config.js';
import { createLagRecorder } from './lag-recording.js';
import { parsePartitions } from './partitions.js';
import { createProcessors } from './processor.js';
import { startRederiveWatcher } from './rederive-watcher.js';
import { startSweeper, type SweepResult } from './sweeper.js';
import { startWorkers, type RunningWorkers } from './workers.js';

/** What the running aggregator reports; main.ts logs it, the bench counts it. */
export interface AggregatorEvents {
  readonly jobFailed: (job: Job | undefined, error: Error) => void;
  readonly lagNotRecorded: (error: unknown) => void;
  readonly swept: (result: SweepResult) => void;
  readonly sweepFailed: (error: unknown) => void;
  readonly watchFailed: (error: unknown) => void;
  readonly rederiveQueued?: (job: RederiveJob) => void;
}

export interface RunningAggregator {
  /** The partitions this process consumes. */
  readonly partitions: readonly number[];
  readonly workers: RunningWorkers;
  /** Stops the settings watcher, the sweeper, then the workers (jobs in progress finish first). */
  stop(): Promise<void>;
}

/**
 * Everything an aggregator process runs, as configured: the workers of the intake queue, of its
 * partitions, of the batch-done and re-derivation queues; the outbox sweeper, which also
 * re-asserts the partition queues' concurrency limits; the settings watcher, at the sweeper's
 * pace. `producer` (a createRedis 'producer' connection) carries the flows, the sweeper's
 * re-drives and the lag samples; the caller connects it and disconnects it after `stop`.
 */
export async function startAggregator(options: {
  readonly config: AggregatorConfig;
  readonly store: Store;
  readonly producer: Redis;
  readonly events: AggregatorEvents;
}): Promise<RunningAggregator> {
  const { config, store, producer, events } = options;
  const prefix = config.CAIRN_QUEUE_PREFIX;
  const partitions = parsePartitions(config.CAIRN_AGGREGATOR_PARTITIONS, config.CAIRN_PARTITIONS);
  const router = createBatchRouter({ connection: producer, prefix });
  const workers = await startWorkers({
    redisUrl: config.REDIS_URL,
    prefix,
    partitions,
    processors: createProcessors({
      store,
      router,
      partitions: config.CAIRN_PARTITIONS,
      lockDurationMs: config.CAIRN_STALLED_INTERVAL_MS,
      onAggregated: createLagRecorder(producer, prefix, events.lagNotRecorded),
    }),
    intakeConcurrency: config.CAIRN_INTAKE_CONCURRENCY,
    stalledIntervalMs: config.CAIRN_STALLED_INTERVAL_MS,
    onFailed: events.jobFailed,
  });
  await workers.ready();

  // The outbox sweeper adds jobs as the LRS does, on the intake queue, unless the pipeline is
  // further behind than its threshold (then pending statements are queued, not lost).
  const intake = createStatementBatchQueue({ connection: producer, prefix });
  const monitor = createPipelineMonitor({
    connection: producer,
    prefix,
    partitions: config.CAIRN_PARTITIONS,
  });
  const sweeper = startSweeper({
    store,
    beforeSweep: () => workers.reassertLimits(),
    backlogMs: (now) => monitor.backlogMs(now),
    queue: intake,
    intervalMs: config.CAIRN_SWEEP_INTERVAL_MS,
    afterMs: config.CAIRN_SWEEP_AFTER_MS,
    maxAttempts: config.CAIRN_SWEEP_MAX_ATTEMPTS,
    onSwept: events.swept,
    onError: events.sweepFailed,
  });
  // Settings changes (rules, verbs, frameworks) are noticed at the sweeper's pace.
  const watcher = startRederiveWatcher({
    store,
    connection: producer,
    prefix,
    intervalMs: config.CAIRN_SWEEP_INTERVAL_MS,
    onError: events.watchFailed,
    ...(events.rederiveQueued === undefined ? {} : { onQueued: events.rederiveQueued }),
  });

  return {
    partitions,
    workers,
    async stop() {
      await watcher.stop();
      await sweeper.stop();
      await monitor.close();
      await intake.close();
      await workers.close();
      await router.close();
    },
  };
}
