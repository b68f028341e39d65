import { UnrecoverableError, type Job } from 'bullmq';
import type { StatementBatchJob } from '@cairn/jobs';
import type { Store } from '@cairn/store';
import { aggregateEvidence } from './aggregate-evidence.js';
import { updateActivities } from './update-activities.js';
import { updatePeople } from './update-people.js';

export interface ProcessorDeps {
  readonly store: Store;
}

export interface BatchResult {
  readonly statements: number;
  /** Activity definitions the batch carried (from statements allowed to define). */
  readonly definitions: number;
  /** Agent mentions the batch carried. */
  readonly agents: number;
  /** Evidence rows inserted (0 when the batch was processed before). */
  readonly evidence: number;
  /** Evidence rows retracted because their statement was voided. */
  readonly retracted: number;
}

/**
 * Builds the processor of statement-batch jobs. A payload that can never succeed throws
 * UnrecoverableError, so BullMQ moves it to the failed set at once instead of retrying it.
 * A batch updates the store's activity definitions and people (Activities and Agents
 * resources), then its evidence and skill-day buckets, and last clears the statements' outbox:
 * every step is idempotent, so a job retried after a failure anywhere redoes nothing twice.
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
    const statements = await deps.store.statementsOf(storeId).getMany(statementIds);
    const [definitions, agents] = await Promise.all([
      updateActivities(deps.store.activitiesOf(storeId), statements),
      updatePeople(deps.store.peopleOf(storeId), statements),
    ]);
    const evidence = await aggregateEvidence(deps.store, storeId, statements);
    await deps.store.statementsOf(storeId).markProcessed(
      statements.map((s) => s.statementId),
      new Date(),
    );
    return {
      statements: statementIds.length,
      definitions,
      agents,
      evidence: evidence.inserted,
      retracted: evidence.retracted,
    };
  };
}
