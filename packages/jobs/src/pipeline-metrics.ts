import { lagPercentiles, readLags } from './lag.js';
import type { PipelineQueue, PipelineQueues } from './pipeline-queues.js';
import { STATEMENT_DONE_QUEUE } from './queues.js';

/** One queue's jobs by state, and how long its oldest waiting job has waited. */
export interface QueueMetrics {
  /** `intake`, `p0` .. `p<N-1>`, `done`. */
  readonly queue: string;
  /** The BullMQ queue name (`{statements-intake}` ...). */
  readonly name: string;
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  /** Batch-done jobs waiting for their partition jobs (the done queue only; 0 elsewhere). */
  readonly waitingChildren: number;
  /** Milliseconds since the oldest waiting job was added; null when none waits. */
  readonly oldestWaitingMs: number | null;
}

/** Lag from `stored` to aggregated over the last samples (LAG_WINDOW_MS, LAG_SAMPLES_MAX). */
export interface LagMetrics {
  /**
   * A partition number as a string, or `all`: whole batches, from `stored` to the outbox
   * cleared (the samples recorded under the batch-done queue).
   */
  readonly partition: string;
  readonly samples: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

export interface PipelineMetrics {
  /** When the figures were read. */
  readonly at: Date;
  readonly partitions: number;
  /** Intake, every partition in order, then done. */
  readonly queues: readonly QueueMetrics[];
  /** `all` first, then every partition in order. */
  readonly lag: readonly LagMetrics[];
}

/** Milliseconds since the queue's oldest waiting job was added; null when none waits. */
async function oldestWaitingOf(q: PipelineQueue, now: number): Promise<number | null> {
  // The wait list's far end, oldest first (asc).
  const [oldest] = await q.queue.getJobs(['wait'], 0, 0, true);
  return oldest === undefined ? null : Math.max(0, now - oldest.timestamp);
}

/**
 * How long the oldest job waiting in any pipeline queue has waited (null: none waits): how far
 * behind the pipeline is. One Redis read per queue, side by side.
 */
export async function pipelineBacklogMs(
  queues: PipelineQueues,
  now: Date = new Date(),
): Promise<number | null> {
  const ages = await Promise.all(queues.all.map((q) => oldestWaitingOf(q, now.getTime())));
  return ages.reduce<number | null>((max, a) => (a === null ? max : Math.max(max ?? 0, a)), null);
}

async function queueMetrics(q: PipelineQueue, now: number): Promise<QueueMetrics> {
  const [counts, oldestWaitingMs] = await Promise.all([
    q.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'waiting-children'),
    oldestWaitingOf(q, now),
  ]);
  return {
    queue: q.label,
    name: q.queue.name,
    waiting: counts['waiting'] ?? 0,
    active: counts['active'] ?? 0,
    delayed: counts['delayed'] ?? 0,
    failed: counts['failed'] ?? 0,
    waitingChildren: counts['waiting-children'] ?? 0,
    oldestWaitingMs,
  };
}

/**
 * The pipeline's figures as they stand: every queue's jobs by state and oldest waiting job, and
 * the lag percentiles the aggregator recorded (recordLag) per partition and for whole batches.
 * About two Redis round trips per queue, side by side; reads only.
 */
export async function pipelineMetrics(
  queues: PipelineQueues,
  now: Date = new Date(),
): Promise<PipelineMetrics> {
  const partitionQueues = queues.all.filter((q) => q.partition !== null);
  const [perQueue, lags] = await Promise.all([
    Promise.all(queues.all.map((q) => queueMetrics(q, now.getTime()))),
    readLags(
      queues.connection,
      queues.prefix,
      [STATEMENT_DONE_QUEUE, ...partitionQueues.map((q) => q.queue.name)],
      now.getTime(),
    ),
  ]);
  const labels = ['all', ...partitionQueues.map((q) => String(q.partition))];
  return {
    at: now,
    partitions: queues.partitions,
    queues: perQueue,
    lag: labels.map((partition, i) => ({ partition, ...lagPercentiles(lags[i] ?? []) })),
  };
}
