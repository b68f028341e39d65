import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  REDERIVE_QUEUE,
  STATEMENT_DONE_QUEUE,
  STATEMENT_INTAKE_QUEUE,
  statementQueueName,
} from './queues.js';

/** One of the pipeline's queues, with the short name metrics and the admin view give it. */
export interface PipelineQueue {
  /** `intake`, `p0` .. `p<N-1>`, `done`, `rederive`. */
  readonly label: string;
  /** The partition of a partition queue; null for intake and done. */
  readonly partition: number | null;
  readonly queue: Queue;
}

/** Read-side handles on every queue of the pipeline, for metrics and the failed-job view. */
export interface PipelineQueues {
  readonly connection: Redis;
  readonly prefix: string;
  /** CAIRN_PARTITIONS. */
  readonly partitions: number;
  /** Intake, every partition in order, done, then rederive. */
  readonly all: readonly PipelineQueue[];
  readonly done: Queue;
  close(): Promise<void>;
}

export interface PipelineQueuesOptions {
  /** A producer connection (createRedis(url, 'producer')); left open on close(). */
  readonly connection: Redis;
  /** BullMQ key prefix (CAIRN_QUEUE_PREFIX). */
  readonly prefix: string;
  /** CAIRN_PARTITIONS: the same value as the aggregator's. */
  readonly partitions: number;
}

/**
 * Handles on the intake queue, the `partitions` partition queues, the batch-done queue and the
 * re-derivation queue.
 */
export function createPipelineQueues(options: PipelineQueuesOptions): PipelineQueues {
  if (!Number.isInteger(options.partitions) || options.partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${options.partitions}`);
  }
  const open = (name: string): Queue =>
    new Queue(name, { connection: options.connection, prefix: options.prefix });
  const done = open(STATEMENT_DONE_QUEUE);
  const all: PipelineQueue[] = [
    { label: 'intake', partition: null, queue: open(STATEMENT_INTAKE_QUEUE) },
    ...Array.from({ length: options.partitions }, (_, p) => ({
      label: `p${p}`,
      partition: p,
      queue: open(statementQueueName(p)),
    })),
    { label: 'done', partition: null, queue: done },
    { label: 'rederive', partition: null, queue: open(REDERIVE_QUEUE) },
  ];
  return {
    connection: options.connection,
    prefix: options.prefix,
    partitions: options.partitions,
    all,
    done,
    async close() {
      await Promise.all(all.map((q) => q.queue.close()));
    },
  };
}
