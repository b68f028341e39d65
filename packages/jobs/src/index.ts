export { JobsErrors } from './errors.js';
export { STATEMENT_BATCH_JOB, statementBatchJobId, type StatementBatchJob } from './payloads.js';
export { STATEMENT_QUEUE_BASE, statementQueueName, statementQueueNames } from './queues.js';
export {
  assertRedisReachable,
  createRedis,
  redactRedisUrl,
  redisOptions,
  type RedisRole,
} from './redis.js';
