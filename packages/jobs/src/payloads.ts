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
 * A deterministic job id, so that enqueueing the same batch twice (a retry, the sweeper) adds
 * one job. BullMQ reserves ':' in ids, so the parts are joined with '.'.
 */
export function statementBatchJobId(job: StatementBatchJob): string {
  const first = job.statementIds[0] ?? 'empty';
  return `batch.${job.storeId}.${first}.${job.statementIds.length}`.replaceAll(':', '_');
}
