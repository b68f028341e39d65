import { createFailedJobs, type FailedJobs } from './failed-jobs.js';
import { pipelineBacklogMs, pipelineMetrics, type PipelineMetrics } from './pipeline-metrics.js';
import { createPipelineQueues, type PipelineQueuesOptions } from './pipeline-queues.js';

/** What the LRS reads of the pipeline (its figures and its failed jobs), and the sweeper. */
export interface PipelineMonitor {
  /** CAIRN_PARTITIONS. */
  readonly partitions: number;
  metrics(now?: Date): Promise<PipelineMetrics>;
  /** How long the oldest job waiting in any pipeline queue has waited; null when none waits. */
  backlogMs(now?: Date): Promise<number | null>;
  readonly failed: FailedJobs;
  /** Closes the queue handles; the connection stays open (its owner closes it). */
  close(): Promise<void>;
}

/** Handles on every pipeline queue under `prefix`, for metrics and the failed-job admin view. */
export function createPipelineMonitor(options: PipelineQueuesOptions): PipelineMonitor {
  const queues = createPipelineQueues(options);
  return {
    partitions: queues.partitions,
    metrics: (now) => pipelineMetrics(queues, now),
    backlogMs: (now) => pipelineBacklogMs(queues, now),
    failed: createFailedJobs(queues),
    close: () => queues.close(),
  };
}
