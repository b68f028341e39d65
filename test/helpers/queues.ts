import { Queue } from 'bullmq';
import {
  createRedis,
  STATEMENT_INTAKE_QUEUE,
  statementQueueName,
  type StatementBatchJob,
} from '@cairn/jobs';
import type { BatchResult } from '@cairn/aggregator';
import type { Teardown } from './env.js';
import type { TestResources } from './test-resources.js';

/**
 * A producer's handle on one statement partition queue (or, with 'intake', on the queue the LRS
 * adds batches to) under this test's prefix, closed on teardown.
 */
export function statementQueue(
  t: Teardown,
  r: TestResources,
  partition: number | 'intake',
): Queue<StatementBatchJob, BatchResult> {
  const connection = createRedis(r.redisUrl, 'producer');
  const name = partition === 'intake' ? STATEMENT_INTAKE_QUEUE : statementQueueName(partition);
  const queue = new Queue<StatementBatchJob, BatchResult>(name, {
    connection,
    prefix: r.queuePrefix,
  });
  t.teardown(async () => {
    await queue.close();
    connection.disconnect(); // BullMQ does not close a connection it was handed
  });
  return queue;
}
