import client from 'prom-client';
import type { PipelineSnapshot } from './pipeline-snapshot.js';

/** The Prometheus side of one app: its own registry (never the global one) and its gauges. */
export interface PipelineExposition {
  readonly contentType: string;
  /** The text exposition of `snapshot`, read at scrape time. */
  render(snapshot: Promise<PipelineSnapshot>): Promise<string>;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'waiting-children'] as const;

/**
 * Gauges filled at scrape time from one snapshot: each gauge's `collect` awaits the snapshot of
 * the scrape in progress, then resets and sets its series in one synchronous step, so a series
 * that has gone (a lag window emptied) is not shown with a stale value. A per-app registry, so
 * that two apps in one process (tests) do not clash over metric names.
 */
export function createPipelineExposition(): PipelineExposition {
  const registry = new client.Registry();
  let current: Promise<PipelineSnapshot> | null = null;
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: client.Gauge<L>, s: PipelineSnapshot) => void,
  ): void => {
    new client.Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        if (current === null) return;
        const snapshot = await current;
        this.reset();
        fill(this, snapshot);
      },
    });
  };

  gauge('cairn_pipeline_partitions', 'Statement queue partitions (CAIRN_PARTITIONS).', [], (g, s) =>
    g.set(s.partitions),
  );
  gauge(
    'cairn_pipeline_queue_jobs',
    'Jobs in each pipeline queue (intake, p0..pN-1, done) by BullMQ state.',
    ['queue', 'state'],
    (g, s) => {
      for (const q of s.queues) {
        const byState: Record<(typeof QUEUE_STATES)[number], number> = {
          waiting: q.waiting,
          active: q.active,
          delayed: q.delayed,
          failed: q.failed,
          'waiting-children': q.waitingChildren,
        };
        for (const state of QUEUE_STATES) g.set({ queue: q.queue, state }, byState[state]);
      }
    },
  );
  gauge(
    'cairn_pipeline_oldest_waiting_seconds',
    'Age of the oldest waiting job of each pipeline queue; 0 when none waits.',
    ['queue'],
    (g, s) => {
      for (const q of s.queues) g.set({ queue: q.queue }, (q.oldestWaitingMs ?? 0) / 1000);
    },
  );
  gauge(
    'cairn_pipeline_lag_seconds',
    'Lag from a statement being stored to its aggregation over the last 5 minutes, per partition (all: whole batches, outbox cleared); absent without samples.',
    ['partition', 'quantile'],
    (g, s) => {
      for (const l of s.lag) {
        if (l.p50Ms !== null) g.set({ partition: l.partition, quantile: '0.5' }, l.p50Ms / 1000);
        if (l.p99Ms !== null) g.set({ partition: l.partition, quantile: '0.99' }, l.p99Ms / 1000);
      }
    },
  );
  gauge(
    'cairn_pipeline_lag_samples',
    'Lag samples behind cairn_pipeline_lag_seconds, per partition.',
    ['partition'],
    (g, s) => {
      for (const l of s.lag) g.set({ partition: l.partition }, l.samples);
    },
  );
  gauge(
    'cairn_outbox_pending_statements',
    'Statements whose pipeline work is still owed (outbox pending), every store.',
    [],
    (g, s) => g.set(s.outbox.pending),
  );
  gauge(
    'cairn_outbox_oldest_pending_seconds',
    'How long the oldest pending statement has waited since it was stored or last re-driven; 0 when none.',
    [],
    (g, s) => g.set((s.outbox.oldestPendingMs ?? 0) / 1000),
  );
  gauge(
    'cairn_outbox_failed_statements',
    'Statements the sweeper gave up on after CAIRN_SWEEP_MAX_ATTEMPTS re-drives, or an admin discarded.',
    [],
    (g, s) => g.set(s.outbox.failed),
  );

  return {
    contentType: registry.contentType,
    async render(snapshot) {
      current = snapshot;
      await snapshot; // a failed read fails the scrape, rather than showing stale figures
      return registry.metrics();
    },
  };
}
