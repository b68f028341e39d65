import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { STATEMENT_BATCH_JOB, statementBatchJobId, type StatementBatchJob } from './payloads.js';
import { STATEMENT_INTAKE_QUEUE } from './queues.js';

/** The producer side of the pipeline, as the LRS sees it. */
export interface StatementBatchQueue {
  /**
   * Adds one job for the batch; the same batch twice is one job (deterministic id). The outbox
   * sweeper passes `redrive` (see statementBatchJobId).
   */
  enqueue(job: StatementBatchJob, options?: EnqueueOptions): Promise<void>;
  close(): Promise<void>;
}

export interface EnqueueOptions {
  /** The re-drive round, part of the job id: given by the outbox sweeper only. */
  readonly redrive?: string;
}

export interface StatementBatchQueueOptions {
  /** A producer connection (createRedis(url, 'producer')): it fails fast instead of queueing. */
  readonly connection: Redis;
  /** BullMQ key prefix (CAIRN_QUEUE_PREFIX). */
  readonly prefix: string;
}

/**
 * BullMQ on the intake queue. Completed jobs are removed so that the sweeper can add a batch
 * again under the same id; failed ones stay for an admin to inspect and retry.
 */
export function createStatementBatchQueue(
  options: StatementBatchQueueOptions,
): StatementBatchQueue {
  const queue = new Queue<StatementBatchJob>(STATEMENT_INTAKE_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: false,
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
    },
  });
  return {
    async enqueue(job, enqueueOptions) {
      await queue.add(STATEMENT_BATCH_JOB, job, {
        jobId: statementBatchJobId(job, enqueueOptions?.redrive),
      });
    },
    close: () => queue.close(),
  };
}
