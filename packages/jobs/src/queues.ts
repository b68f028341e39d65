/**
 * Queue names. Each is wrapped in a Redis Cluster hash tag so that all of one queue's keys land in
 * one slot. Partitioning by person keeps one person's aggregation serial, so that concurrent
 * bucket updates for one person never race.
 */
export const STATEMENT_QUEUE_BASE = 'statements';

/**
 * Where the LRS puts one job per accepted batch. A batch mixes people, so it cannot go to a
 * person's partition; the aggregator reads the batch and routes per person from there.
 */
export const STATEMENT_INTAKE_QUEUE = `{${STATEMENT_QUEUE_BASE}-intake}`;

export function statementQueueName(partition: number): string {
  if (!Number.isInteger(partition) || partition < 0) {
    throw new RangeError(`partition must be a non-negative integer, got ${partition}`);
  }
  return `{${STATEMENT_QUEUE_BASE}-p${partition}}`;
}

/** Every partition's queue name for `partitions` partitions. */
export function statementQueueNames(partitions: number): string[] {
  return Array.from({ length: partitions }, (_, p) => statementQueueName(p));
}

/**
 * Where a batch waits, as the parent of its partition jobs (a BullMQ flow), until every
 * partition has aggregated its part; its job then clears the statements' outbox.
 */
export const STATEMENT_DONE_QUEUE = `{${STATEMENT_QUEUE_BASE}-done}`;

/** Re-derivations after a store's skill settings changed; one job at a time across processes. */
export const REDERIVE_QUEUE = `{${STATEMENT_QUEUE_BASE}-rederive}`;

/**
 * Erasures of people (docs/identity.md, "Erasure"): one job per erasure, one at a time across
 * processes. Its evidence is retracted by partition jobs, on the partitions' own queues.
 */
export const ERASURE_QUEUE = `{${STATEMENT_QUEUE_BASE}-erasure}`;
