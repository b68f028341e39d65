import type { PipelineMetrics, PipelineMonitor } from '@cairn/jobs';
import type { OutboxRepository } from '@cairn/store';

/** The outbox's figures as GET /admin/v1/pipeline shows them. */
export interface OutboxFigures {
  /** Statements whose pipeline work is still owed. */
  readonly pending: number;
  /** ISO outbox time of the longest-waiting pending statement; null when none is pending. */
  readonly oldestPendingSince: string | null;
  /** Milliseconds it has waited; null when none is pending. */
  readonly oldestPendingMs: number | null;
  /** Statements the sweeper gave up on, or an admin discarded (pipeline state `failed`). */
  readonly failed: number;
}

/** Everything known about the pipeline at one moment: Redis queues and the MongoDB outbox. */
export interface PipelineSnapshot extends Omit<PipelineMetrics, 'at'> {
  readonly at: string;
  readonly outbox: OutboxFigures;
}

/** Reads the queues and the outbox side by side; the JSON view and /metrics both show this. */
export async function pipelineSnapshot(
  monitor: Pick<PipelineMonitor, 'metrics'>,
  outbox: Pick<OutboxRepository, 'summary'>,
  now: Date = new Date(),
): Promise<PipelineSnapshot> {
  const [metrics, summary] = await Promise.all([monitor.metrics(now), outbox.summary()]);
  const oldest = summary.oldestPendingSince;
  return {
    ...metrics,
    at: now.toISOString(),
    outbox: {
      pending: summary.pending,
      oldestPendingSince: oldest === null ? null : oldest.toISOString(),
      oldestPendingMs: oldest === null ? null : Math.max(0, now.getTime() - oldest.getTime()),
      failed: summary.failed,
    },
  };
}
