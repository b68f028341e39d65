import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { ERASURE_JOB, erasureJobId, type ErasureJob } from './payloads.js';
import { ERASURE_QUEUE } from './queues.js';

/** Where the API hands erasures to the aggregator. */
export interface ErasureQueue {
  /** Adds the erasure's job; while one with its id waits or runs, adds nothing. */
  enqueue(job: ErasureJob): Promise<void>;
  close(): Promise<void>;
}

export interface ErasureQueueOptions {
  /** A producer connection (createRedis(url, 'producer')). */
  readonly connection: Redis;
  /** BullMQ key prefix (CAIRN_QUEUE_PREFIX). */
  readonly prefix: string;
}

/**
 * BullMQ on the erasure queue. Completed jobs are removed, so asking again for an erasure whose
 * job was lost (Redis flushed) adds it again; the record in MongoDB says what is left to do.
 */
export function createErasureQueue(options: ErasureQueueOptions): ErasureQueue {
  const queue = new Queue<ErasureJob>(ERASURE_QUEUE, {
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
    async enqueue(job) {
      await queue.add(ERASURE_JOB, job, { jobId: erasureJobId(job) });
    },
    close: () => queue.close(),
  };
}
