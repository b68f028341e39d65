import type { StatementBatchQueue } from '@cairn/jobs';
import { IDEMPOTENCY_RETENTION_MS, type OwedStatement, type Store } from '@cairn/store';
import { startPeriodic, type Periodic } from './periodic.js';

/** Statements re-driven per sweep at most: one bounded read, a few jobs. */
export const SWEEP_LIMIT = 500;

/** Re-drives of one statement before the sweeper gives up on it (CAIRN_SWEEP_MAX_ATTEMPTS). */
export const SWEEP_MAX_ATTEMPTS = 5;

export interface SweepOptions {
  readonly store: Store;
  /** The queue the LRS adds batches to (createStatementBatchQueue). */
  readonly queue: Pick<StatementBatchQueue, 'enqueue'>;
  /** How long a statement may stay pending before it is re-driven (CAIRN_SWEEP_AFTER_MS). */
  readonly afterMs: number;
  /** Statements per sweep at most; default {@link SWEEP_LIMIT}. */
  readonly limit?: number;
  /**
   * Re-drives of one statement at most (CAIRN_SWEEP_MAX_ATTEMPTS); default
   * {@link SWEEP_MAX_ATTEMPTS}. A statement found owed again after that many goes to the
   * outbox's `failed` state instead: a batch that can never succeed is not re-driven for ever.
   */
  readonly maxAttempts?: number;
  /**
   * How long the oldest job waiting in any pipeline queue has waited at `now` (null: none
   * waits; PipelineMonitor.backlogMs). While it exceeds `afterMs` the sweep does nothing:
   * statements pending that long are behind the backlog, not lost, and re-driving them would add
   * the same work again and count re-drives toward giving them up. Absent: always sweep.
   */
  readonly backlogMs?: (now: Date) => Promise<number | null>;
  readonly now?: () => Date;
}

export interface SweepResult {
  /** Statements enqueued again. */
  readonly statements: number;
  /** Jobs enqueued (one per store); a job another sweeper already added counts too. */
  readonly jobs: number;
  /** Statements given up on (pipeline state `failed`): re-driven `maxAttempts` times in vain. */
  readonly failed: number;
  /** The pipeline's backlog when the sweep skipped its work (see `backlogMs`); else null. */
  readonly behindMs: number | null;
}

/** The owed statements grouped by store, in the order read (oldest first). */
function byStore(owed: readonly OwedStatement[]): Map<string, OwedStatement[]> {
  const groups = new Map<string, OwedStatement[]>();
  for (const o of owed) {
    const group = groups.get(o.storeId);
    if (group === undefined) groups.set(o.storeId, [o]);
    else group.push(o);
  }
  return groups;
}

/**
 * One sweep of the outbox (work owed by a write is recorded with the write, and a sweeper
 * re-drives whatever is left undone): the statements still pending after `afterMs` (the LRS
 * stored them but their job was lost: a crash before the enqueue, Redis down or flushed) go back
 * on the intake queue, one job per store, and their outbox clock restarts, so that a job still
 * waiting in a long queue is not joined by another one every sweep.
 *
 * The job id is the batch's (store, first id, count) plus the outbox time of the oldest statement
 * as the re-drive round: two aggregators sweeping the same outbox at once add one job; the next
 * round (the clock restarted) gets a new id, so a failed job kept for inspection does not block
 * it. Enqueue before restamping: a crash in between re-drives the same id, which BullMQ dedupes.
 *
 * Before its job is enqueued, each owed statement's voids are applied on the xAPI side
 * (StatementRepository.settleVoids): the LRS applies them after its insert, and a crash in between
 * leaves the statement owed, so every void an insert recorded is applied by one or the other.
 *
 * Nothing is re-driven while the pipeline is further behind than `afterMs` (`backlogMs`).
 *
 * Each restamp counts a re-drive (`pipeline.attempts`); a statement found owed once more after
 * `maxAttempts` re-drives is given up (outbox state `failed`, counted in the metrics, retried
 * from the admin API's failed-job view, which resets its count).
 */
export async function sweepOutbox(options: SweepOptions): Promise<SweepResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const behindMs = (await options.backlogMs?.(started)) ?? null;
  if (behindMs !== null && behindMs > options.afterMs) {
    return { statements: 0, jobs: 0, failed: 0, behindMs };
  }
  // Batches whose writer died half-way: committed ones are published (their statements become
  // owed, and are found below), staged ones past their lease removed (statement-batches.ts).
  await options.store.statementBatches.recover(
    new Date(started.getTime() - options.afterMs),
    options.limit ?? SWEEP_LIMIT,
    started,
  );
  await options.store.idempotencyKeys.purge(new Date(started.getTime() - IDEMPOTENCY_RETENTION_MS));
  const owed = await options.store.outbox.owedSince(
    new Date(started.getTime() - options.afterMs),
    options.limit ?? SWEEP_LIMIT,
  );
  const maxAttempts = options.maxAttempts ?? SWEEP_MAX_ATTEMPTS;
  let jobs = 0;
  let statements = 0;
  let failed = 0;
  for (const [storeId, group] of byStore(owed)) {
    // The xAPI side of the write first: a write that died between its insert and its voids left
    // them owed with its statements (store-statements.ts), and applying them twice is harmless.
    await options.store.statementsOf(storeId).settleVoids(group.map((o) => o.statementId));
    const exhausted = group.filter((o) => o.attempts >= maxAttempts).map((o) => o.statementId);
    if (exhausted.length > 0)
      failed += await options.store.outbox.giveUp(storeId, exhausted, now());
    const live = group.filter((o) => o.attempts < maxAttempts);
    if (live.length === 0) continue;
    const statementIds = live.map((o) => o.statementId);
    const oldest = live[0]?.since ?? started;
    await options.queue.enqueue({ storeId, statementIds }, { redrive: String(oldest.getTime()) });
    await options.store.outbox.restamp(storeId, statementIds, now());
    statements += statementIds.length;
    jobs++;
  }
  return { statements, jobs, failed, behindMs: null };
}

export interface SweeperOptions extends SweepOptions {
  /** Time between the end of one sweep and the start of the next (CAIRN_SWEEP_INTERVAL_MS). */
  readonly intervalMs: number;
  /** Runs first at every tick (the aggregator sets its queues' concurrency limits again). */
  readonly beforeSweep?: () => Promise<void>;
  /** After each sweep that re-drove or gave up something. */
  readonly onSwept?: (result: SweepResult) => void;
  /** A failed sweep (database or Redis down): the next one tries again. */
  readonly onError?: (error: unknown) => void;
}

export type Sweeper = Periodic;

/** Sweeps every `intervalMs`, one sweep at a time, until stopped. The first after one interval. */
export function startSweeper(options: SweeperOptions): Sweeper {
  return startPeriodic(options.intervalMs, async () => {
    try {
      await options.beforeSweep?.();
      const result = await sweepOutbox(options);
      if (result.statements > 0 || result.failed > 0) options.onSwept?.(result);
    } catch (error) {
      options.onError?.(error);
    }
  });
}
