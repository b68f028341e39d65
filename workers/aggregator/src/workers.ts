import { Worker, type Job } from 'bullmq';
import {
  createRedis,
  STATEMENT_INTAKE_QUEUE,
  statementQueueName,
  type StatementBatchJob,
} from '@cairn/jobs';
import type { BatchResult } from './processor.js';

export interface StartWorkersOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly partitions: readonly number[];
  readonly processor: (job: Job<StatementBatchJob>) => Promise<BatchResult>;
  readonly onFailed?: (job: Job<StatementBatchJob> | undefined, error: Error) => void;
}

export interface RunningWorkers {
  readonly workers: readonly Worker<StatementBatchJob, BatchResult>[];
  /** Waits for the jobs in progress to finish, then disconnects. */
  close(): Promise<void>;
}

/**
 * A worker on the intake queue, where the LRS adds one job per batch (every process takes part),
 * and one BullMQ worker per partition, each with concurrency 1, so that the jobs of one partition
 * (and so of one person) never run at the same time in this process. Run at most one process per
 * partition: CAIRN_AGGREGATOR_PARTITIONS splits them across processes.
 */
export function startWorkers(options: StartWorkersOptions): RunningWorkers {
  // BullMQ leaves a connection it was handed open on close(), so we disconnect our own.
  const connection = createRedis(options.redisUrl, 'worker');
  const queues = [STATEMENT_INTAKE_QUEUE, ...options.partitions.map(statementQueueName)];
  const workers = queues.map((queue) => {
    const worker = new Worker<StatementBatchJob, BatchResult>(queue, options.processor, {
      connection,
      prefix: options.prefix,
      concurrency: 1,
    });
    if (options.onFailed) worker.on('failed', options.onFailed);
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      connection.disconnect();
    },
  };
}
