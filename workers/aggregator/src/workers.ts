import { Queue, Worker, type Job } from 'bullmq';
import {
  createRedis,
  ERASURE_QUEUE,
  REDERIVE_QUEUE,
  STATEMENT_DONE_QUEUE,
  STATEMENT_INTAKE_QUEUE,
  statementQueueName,
} from '@cairn/jobs';
import type { Processors } from './processor.js';

export interface StartWorkersOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  /** The partitions this process consumes (parsePartitions). */
  readonly partitions: readonly number[];
  readonly processors: Processors;
  /**
   * Intake jobs running at once across every aggregator process (CAIRN_INTAKE_CONCURRENCY).
   * Intake writes only inserts and atomic single-document upserts (people, activity
   * definitions, evidence rows), so any number may run at once; buckets are written by the
   * partitions, one job at a time each.
   */
  readonly intakeConcurrency: number;
  /** BullMQ's stalled-job check (ms): how soon the job of a killed process runs again. */
  readonly stalledIntervalMs?: number;
  readonly onFailed?: (job: Job | undefined, error: Error) => void;
}

export interface RunningWorkers {
  readonly workers: readonly Worker[];
  /** Resolves when every worker is connected. */
  ready(): Promise<void>;
  /**
   * Sets the queues' global concurrency again. BullMQ keeps it in Redis: a Redis that restarted
   * without persistence forgets it, and every process would then run a job of each partition at
   * once. main.ts calls this at every sweep.
   */
  reassertLimits(): Promise<void>;
  /** Waits for the jobs in progress to finish, then disconnects. */
  close(): Promise<void>;
}

/**
 * One BullMQ worker on the intake queue, one per partition this process consumes, one on the
 * batch-done queue, one on the re-derivation queue and one on the erasure queue. A partition queue's global concurrency is 1: however many processes consume
 * it, one of its jobs runs at a time, so the buckets of one person are never written by two jobs
 * at once. A job whose process died keeps its slot until BullMQ's stalled check gives it back
 * (`stalledIntervalMs`), and nothing else of that partition runs meanwhile.
 */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  // BullMQ leaves a connection it was handed open on close(), so we disconnect our own.
  const connection = createRedis(options.redisUrl, 'worker');
  const common = {
    connection,
    prefix: options.prefix,
    ...(options.stalledIntervalMs !== undefined
      ? // A job's lock lasts as long as the check's interval (both 30 s by default).
        { stalledInterval: options.stalledIntervalMs, lockDuration: options.stalledIntervalMs }
      : {}),
  };
  const limits: [string, number][] = [
    [STATEMENT_INTAKE_QUEUE, options.intakeConcurrency],
    // Re-derivations write status documents one job at a time.
    [REDERIVE_QUEUE, 1],
    // Erasures one at a time: each scans the store's statements once.
    [ERASURE_QUEUE, 1],
    ...options.partitions.map((p): [string, number] => [statementQueueName(p), 1]),
  ];
  const setLimits = async (): Promise<void> => {
    for (const [name, concurrency] of limits) {
      const queue = new Queue(name, { connection, prefix: options.prefix });
      await queue.setGlobalConcurrency(concurrency);
      await queue.close();
    }
  };
  // Limits first: a worker started before them could run a second job of a partition.
  await setLimits();
  const { processors } = options;
  const workers: Worker[] = [
    new Worker(STATEMENT_INTAKE_QUEUE, processors.intake, {
      ...common,
      concurrency: Math.min(options.intakeConcurrency, 4),
    }),
    ...options.partitions.map(
      (p) => new Worker(statementQueueName(p), processors.partition, { ...common, concurrency: 1 }),
    ),
    new Worker(STATEMENT_DONE_QUEUE, processors.done, { ...common, concurrency: 4 }),
    new Worker(REDERIVE_QUEUE, processors.rederive, { ...common, concurrency: 1 }),
    new Worker(ERASURE_QUEUE, processors.erase, { ...common, concurrency: 1 }),
  ];
  if (options.onFailed) for (const w of workers) w.on('failed', options.onFailed);
  return {
    workers,
    reassertLimits: setLimits,
    async ready() {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      connection.disconnect();
    },
  };
}
