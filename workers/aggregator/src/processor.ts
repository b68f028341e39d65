import { UnrecoverableError, type Job } from 'bullmq';
import type { StatementBatchJob } from '@cairn/jobs';
import type { Store } from '@cairn/store';

export interface ProcessorDeps {
  readonly store: Store;
}

export interface BatchResult {
  readonly statements: number;
}

/**
 * Builds the processor of statement-batch jobs. A payload that can never succeed throws
 * UnrecoverableError, so BullMQ moves it to the failed set at once instead of retrying it.
 * (Evidence and buckets arrive with the pipeline issue; today a batch is accepted and counted.)
 */
export function createProcessor(
  deps: ProcessorDeps,
): (job: Job<StatementBatchJob>) => Promise<BatchResult> {
  return async (job) => {
    const { storeId, statementIds } = job.data;
    if (typeof storeId !== 'string' || !Array.isArray(statementIds)) {
      throw new UnrecoverableError(`job ${job.id ?? '?'} has no storeId or statementIds`);
    }
    const tenant = await deps.store.tenants.get(storeId);
    if (tenant === null)
      throw new UnrecoverableError(`job ${job.id ?? '?'} names unknown store ${storeId}`);
    return { statements: statementIds.length };
  };
}
