import type { Redis } from 'ioredis';
import { recordLag, STATEMENT_DONE_QUEUE, statementQueueName } from '@cairn/jobs';
import type { ProcessorDeps } from './processor.js';

/**
 * The processors' `onAggregated`: records each statement's lag from `stored` to aggregated under
 * its partition's queue, or under the batch-done queue for whole batches (`'all'`). Best effort:
 * a lost sample must not fail (and so repeat) a job, so a failure goes to `onError`. A stored time
 * of 0 is one the job does not carry (a void's target, a re-derived statement): no sample.
 */
export function createLagRecorder(
  redis: Redis,
  prefix: string,
  onError: (error: unknown) => void,
): NonNullable<ProcessorDeps['onAggregated']> {
  return async (partition, stored) => {
    const queue = partition === 'all' ? STATEMENT_DONE_QUEUE : statementQueueName(partition);
    const now = Date.now();
    const lags = stored.filter((ms) => ms > 0).map((ms) => now - ms);
    await recordLag(redis, prefix, queue, lags, now).catch(onError);
  };
}
