import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { REDERIVE_JOB, REDERIVE_QUEUE, type RederiveJob } from '@cairn/jobs';
import type { Store } from '@cairn/store';
import { startPeriodic, type Periodic } from './periodic.js';

export interface RederiveWatcherOptions {
  readonly store: Store;
  /** A producer connection. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly intervalMs: number;
  readonly onQueued?: (job: RederiveJob) => void;
  readonly onError?: (error: unknown) => void;
}

/**
 * The stores whose skill settings are newer than their last finished re-derivation, each with
 * its settings generation. A re-derivation left `running` (its process died) counts as owed.
 */
export async function owedRederivations(store: Store): Promise<RederiveJob[]> {
  const owed: RederiveJob[] = [];
  for (const tenant of await store.tenants.list()) {
    const [{ generation }, status] = await Promise.all([
      store.skillSettingsOf(tenant.id).derivationSettings(),
      store.rederivationsOf(tenant.id).status(),
    ]);
    const finished = status?.state === 'done' ? status.generation : 0;
    if (generation > finished) owed.push({ storeId: tenant.id, generation });
  }
  return owed;
}

/**
 * Watches for settings changes, the way the sweeper watches the outbox: the settings in MongoDB
 * are the record of what is owed, so a change made while no aggregator ran, or a job Redis lost,
 * is re-derived at the next tick. The job id names the store and generation: every aggregator
 * computes the same one and BullMQ adds it once.
 */
export function startRederiveWatcher(options: RederiveWatcherOptions): Periodic {
  const queue = new Queue<RederiveJob>(REDERIVE_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      removeOnComplete: true,
      removeOnFail: false,
      attempts: 8,
      backoff: { type: 'exponential', delay: 1000 },
    },
  });
  const periodic = startPeriodic(options.intervalMs, async () => {
    try {
      for (const job of await owedRederivations(options.store)) {
        await queue.add(REDERIVE_JOB, job, {
          jobId: `rederive.${job.storeId}.${job.generation}`.replaceAll(':', '_'),
        });
        options.onQueued?.(job);
      }
    } catch (error) {
      options.onError?.(error);
    }
  });
  return {
    async stop() {
      await periodic.stop();
      await queue.close();
    },
  };
}
