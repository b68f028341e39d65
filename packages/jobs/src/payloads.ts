/**
 * Job payloads carry ids, never personal data: the worker reads the statements from MongoDB.
 * One job per accepted batch of statements.
 */
export interface StatementBatchJob {
  readonly storeId: string;
  readonly statementIds: readonly string[];
}

export const STATEMENT_BATCH_JOB = 'statement-batch';

/**
 * A deterministic job id, so that enqueueing the same batch twice (a retry of the request, two
 * sweepers at once) adds one job. BullMQ reserves ':' in ids, so the parts are joined with '.'.
 *
 * `redrive` is given by the outbox sweeper only: a component that names the round of re-driving
 * (the sweeper passes the outbox time of the oldest statement, which it moves on every re-drive).
 * Without it a re-drive could share the id of the batch's first job and, when that job sits in
 * the failed set (kept for inspection) or still waits, BullMQ would silently add nothing; with it
 * two sweepers reading the same outbox add one job, and the next round a new one.
 */
export function statementBatchJobId(job: StatementBatchJob, redrive?: string): string {
  const first = job.statementIds[0] ?? 'empty';
  const base = `${job.storeId}.${first}.${job.statementIds.length}`;
  const id = redrive === undefined ? `batch.${base}` : `sweep.${base}.${redrive}`;
  return id.replaceAll(':', '_');
}

/**
 * The part of a batch that one partition aggregates: the statements having evidence rows whose
 * subject hashes to `partition` (partitionOf). The partition job reads those rows and touches
 * only the ones of its own partition, so no two jobs ever write one bucket at once.
 */
export interface PartitionJob {
  readonly storeId: string;
  readonly partition: number;
  readonly statementIds: readonly string[];
  /** When each of `statementIds` was stored (ms since the epoch): for the lag metrics. */
  readonly stored: readonly number[];
  /**
   * Set when an erasure asks for the job: the rows of the erased person's identifiers (read
   * from the erasure's record, never carried here) are retracted as a void's rows are.
   */
  readonly erasureId?: string;
}

/** The batch-done job: the whole batch, and when each statement was stored (ms). */
export interface BatchDoneJob extends StatementBatchJob {
  readonly stored: readonly number[];
  /**
   * A page of a re-derivation, not a stored batch: nothing to clear in the outbox (the
   * statements' own batches do that) and no lag to record.
   */
  readonly rederive?: true;
}

/** Re-derive one store's evidence under its current skill settings (rules, verbs, frameworks). */
export interface RederiveJob {
  readonly storeId: string;
  /** The settings generation that asked for it (part of the job id). */
  readonly generation: number;
}

export const REDERIVE_JOB = 'rederive-store';

export const PARTITION_JOB = 'partition-evidence';

/** The parent of a batch's partition jobs: clears the batch's outbox when they are all done. */
export const BATCH_DONE_JOB = 'batch-done';

/** Erase one person of one store; everything else is in the erasure's record (erasures.ts). */
export interface ErasureJob {
  readonly storeId: string;
  readonly erasureId: string;
}

export const ERASURE_JOB = 'erase-person';

/** One job id per erasure: asking again while it runs adds nothing. */
export function erasureJobId(job: ErasureJob): string {
  return `erasure.${job.storeId}.${job.erasureId}`.replaceAll(':', '_');
}
