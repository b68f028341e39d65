import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import {
  erasureJobId,
  statementBatchJobId,
  type BatchDoneJob,
  type ErasureJob,
  type BatchRouter,
  type PartitionJob,
  type RederiveJob,
  type StatementBatchJob,
} from '@cairn/jobs';
import type { ErasureCounts, RederivationStatus, Store } from '@cairn/store';
import { erasureReconcileOf, runErasure } from './erase-person.js';
import { currentDerivation } from './current-derivation.js';
import { reconcileEvidence } from './reconcile-evidence.js';
import { rederiveStore } from './rederive-store.js';
import { routeEvidence } from './route-evidence.js';
import { updateActivities } from './update-activities.js';
import { updatePeople } from './update-people.js';

export interface ProcessorDeps {
  readonly store: Store;
  /** Where the intake step sends each batch's parts (createBatchRouter of @cairn/jobs). */
  readonly router: Pick<BatchRouter, 'route' | 'split' | 'retract'>;
  /** CAIRN_PARTITIONS: the same on every aggregator process. */
  readonly partitions: number;
  /**
   * Called when a partition has aggregated its part of a batch (`partition`) and when the batch
   * is done whole (`'all'`), with each statement's stored time (ms): for the lag metrics. A
   * failure is the callback's to handle; it must not fail the job.
   */
  readonly onAggregated?: (partition: number | 'all', stored: readonly number[]) => Promise<void>;
  /**
   * The workers' lock duration (CAIRN_STALLED_INTERVAL_MS; BullMQ's default, 30 s, when absent):
   * a partition job extends its lock by this much before each write step, and stops if the lock
   * is no longer its own (reconcile-evidence.ts StillOwned).
   */
  readonly lockDurationMs?: number;
  /** How long an erasure waiting for the pipeline sleeps before it looks again (default 1 s). */
  readonly erasurePollMs?: number;
}

/** BullMQ's default lock duration. */
const DEFAULT_LOCK_MS = 30_000;

/** What the intake job of a batch returns (kept by BullMQ until the job is removed). */
export interface BatchResult {
  readonly statements: number;
  /** Activity definitions the batch carried (from statements allowed to define). */
  readonly definitions: number;
  /** Agent mentions the batch carried. */
  readonly agents: number;
  /** Evidence rows inserted (0 when the batch was processed before). */
  readonly evidence: number;
  /** Voiding statements in the batch. */
  readonly voids: number;
  /** Partitions the batch's evidence went to (0: nothing to aggregate, the batch is done). */
  readonly partitions: number;
  /**
   * Present when the batch failed on its last attempt and was put back as two halves instead
   * (the counts above are then 0): why it failed.
   */
  readonly split?: string;
}

/** What a partition job returns. */
export interface PartitionResult {
  readonly counted: number;
  readonly retracted: number;
}

/** The three processors of the pipeline; see docs/pipeline.md. */
export interface Processors {
  readonly intake: (job: Job<StatementBatchJob>) => Promise<BatchResult>;
  /** `token`: the worker's lock token for the job (BullMQ passes it to every processor). */
  readonly partition: (job: Job<PartitionJob>, token?: string) => Promise<PartitionResult>;
  readonly done: (job: Job<BatchDoneJob>) => Promise<number>;
  readonly rederive: (job: Job<RederiveJob>) => Promise<RederivationStatus>;
  /**
   * One erasure (erase-person.ts); while it waits for the pipeline, its job is moved to the
   * delayed set and runs again `erasurePollMs` later (BullMQ's DelayedError: no attempt spent).
   */
  readonly erase: (job: Job<ErasureJob>, token?: string) => Promise<ErasureCounts>;
}

/**
 * Builds the processors. A payload that can never succeed throws UnrecoverableError, so BullMQ
 * moves it to the failed set at once instead of retrying it; every step is idempotent, so a job
 * retried after a failure anywhere redoes nothing twice.
 *
 * - intake (one job per batch, added by the LRS or the sweeper): updates the store's activity
 *   definitions and people (Activities and Agents resources), records tombstones, inserts
 *   evidence rows, and adds a flow: one job per partition owning rows, under a batch-done parent;
 * - partition (one partition's part of a batch): counts and retracts that partition's rows;
 * - done (the parent, once every partition job has completed): clears the statements' outbox;
 * - rederive (after a store's skill settings changed): re-derives the store's statements and
 *   routes those whose evidence changed, as intake does.
 */
export function createProcessors(deps: ProcessorDeps): Processors {
  // Stores are never deleted, so a store seen once is remembered: without this, every job of a
  // batch read the stores collection again (7 of a batch's 62 commands in the bench).
  const knownStores = new Set<string>();
  const storeOf = async (job: Job<{ storeId: string }>): Promise<string> => {
    const { storeId } = job.data;
    if (typeof storeId !== 'string')
      throw new UnrecoverableError(`job ${job.id ?? '?'} has no storeId`);
    if (knownStores.has(storeId)) return storeId;
    if ((await deps.store.tenants.get(storeId)) === null)
      throw new UnrecoverableError(`job ${job.id ?? '?'} names unknown store ${storeId}`);
    knownStores.add(storeId);
    return storeId;
  };
  const idsOf = (job: Job<{ statementIds: readonly string[] }>): readonly string[] => {
    const { statementIds } = job.data;
    if (!Array.isArray(statementIds) || !statementIds.every((id) => typeof id === 'string'))
      throw new UnrecoverableError(`job ${job.id ?? '?'} has no statementIds`);
    return statementIds;
  };
  const finish = async (
    storeId: string,
    statementIds: readonly string[],
    stored: readonly number[],
  ): Promise<number> => {
    await deps.store.statementsOf(storeId).markProcessed(statementIds, new Date());
    await deps.onAggregated?.('all', stored);
    return statementIds.length;
  };
  // Jobs added before the stored times were in the payload have none: no lag samples then.
  const storedOf = (job: Job<{ stored?: readonly number[] }>): readonly number[] =>
    job.data.stored ?? [];

  const intakeBatch = async (job: Job<StatementBatchJob>): Promise<BatchResult> => {
    const storeId = await storeOf(job);
    const statementIds = idsOf(job);
    const statements = await deps.store.statementsOf(storeId).getMany(statementIds);
    const storedAt = new Map(statements.map((s) => [s.statementId, s.stored.getTime()]));
    const [definitions, agents] = await Promise.all([
      updateActivities(deps.store.activitiesOf(storeId), statements),
      updatePeople(deps.store.peopleOf(storeId), statements),
    ]);
    const derivation = await currentDerivation(deps.store, storeId);
    const routing = await routeEvidence(
      deps.store,
      storeId,
      statements,
      deps.partitions,
      derivation,
    );
    const batch = {
      storeId,
      statementIds,
      stored: statementIds.map((id) => storedAt.get(id) ?? Date.now()),
    };
    if (routing.parts.size === 0) await finish(storeId, statementIds, batch.stored);
    else await deps.router.route(job.id ?? statementBatchJobId(batch), batch, routing.parts);
    return {
      statements: statementIds.length,
      definitions,
      agents,
      evidence: routing.inserted,
      voids: routing.voids,
      partitions: routing.parts.size,
    };
  };

  return {
    /**
     * A batch that fails on its last attempt is not failed whole: it goes back as two halves
     * (BatchRouter.split), so a poison statement ends up alone in the failed set, for an admin
     * to see and retry, while its batch-mates are aggregated. Earlier attempts fail as usual,
     * so an outage of the database or Redis is waited out rather than bisected.
     */
    async intake(job) {
      try {
        return await intakeBatch(job);
      } catch (error) {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const { statementIds } = job.data;
        if (error instanceof UnrecoverableError || !lastAttempt || statementIds.length < 2)
          throw error;
        await deps.router.split(job.id ?? statementBatchJobId(job.data), job.data, {
          ...(job.opts.attempts === undefined ? {} : { attempts: job.opts.attempts }),
          ...(job.opts.backoff === undefined ? {} : { backoff: job.opts.backoff }),
        });
        const reason = error instanceof Error ? error.message : String(error);
        return {
          statements: 0,
          definitions: 0,
          agents: 0,
          evidence: 0,
          voids: 0,
          partitions: 0,
          split: reason,
        };
      }
    },

    async partition(job, token) {
      const storeId = await storeOf(job);
      const { partition } = job.data;
      if (!Number.isInteger(partition) || partition < 0 || partition >= deps.partitions)
        throw new UnrecoverableError(`job ${job.id ?? '?'} names partition ${partition}`);
      const stillOwned = async (): Promise<void> => {
        // Without a token (a job run outside a worker) there is no lock to hold.
        if (token === undefined) return;
        if ((await job.extendLock(token, deps.lockDurationMs ?? DEFAULT_LOCK_MS)) !== 1)
          throw new Error(
            `job ${job.id ?? '?'} lost its lock (another worker may run it): stopped before writing`,
          );
      };
      // An erasure's retraction: the subjects are read from its record, never from the job.
      const { erasureId } = job.data;
      const work =
        typeof erasureId === 'string' ? await deps.store.erasuresOf(storeId).work(erasureId) : null;
      const erasure =
        work === null ? undefined : await erasureReconcileOf(deps.store, storeId, work, idsOf(job));
      const counts = await reconcileEvidence(
        deps.store,
        storeId,
        partition,
        deps.partitions,
        idsOf(job),
        stillOwned,
        erasure,
      );
      await deps.onAggregated?.(partition, storedOf(job));
      return counts;
    },

    async done(job) {
      const storeId = await storeOf(job);
      // A re-derivation's page: the statements' own batches clear their outbox.
      if (job.data.rederive === true) return idsOf(job).length;
      return finish(storeId, idsOf(job), storedOf(job));
    },

    async rederive(job) {
      const storeId = await storeOf(job);
      return rederiveStore(deps, storeId, job.id ?? `rederive.${storeId}`);
    },

    async erase(job, token) {
      const storeId = await storeOf(job);
      const { erasureId } = job.data;
      if (typeof erasureId !== 'string')
        throw new UnrecoverableError(`job ${job.id ?? '?'} has no erasureId`);
      const progress = await runErasure(deps, storeId, erasureId, erasureJobId(job.data));
      if (progress.state === 'done') return progress.record.counts;
      // Without a token (a job run outside a worker) there is nothing to delay: fail and retry.
      if (token === undefined) throw new Error(progress.reason);
      await job.moveToDelayed(Date.now() + (deps.erasurePollMs ?? 1000), token);
      throw new DelayedError(progress.reason);
    },
  };
}
