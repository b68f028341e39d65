export { JobsErrors } from './errors.js';
export { STATEMENT_BATCH_JOB, statementBatchJobId, type StatementBatchJob } from './payloads.js';
export {
  STATEMENT_INTAKE_QUEUE,
  STATEMENT_QUEUE_BASE,
  statementQueueName,
  statementQueueNames,
} from './queues.js';
export {
  createStatementBatchQueue,
  type EnqueueOptions,
  type StatementBatchQueue,
  type StatementBatchQueueOptions,
} from './batch-queue.js';
export {
  assertRedisReachable,
  createRedis,
  redactRedisUrl,
  redisOptions,
  type RedisRole,
} from './redis.js';
