export { JobsErrors } from './errors.js';
export {
  ERASURE_JOB,
  erasureJobId,
  type ErasureJob,
  BATCH_DONE_JOB,
  PARTITION_JOB,
  REDERIVE_JOB,
  type BatchDoneJob,
  type RederiveJob,
  STATEMENT_BATCH_JOB,
  statementBatchJobId,
  type PartitionJob,
  type StatementBatchJob,
} from './payloads.js';
export { partitionOf } from './partition-of.js';
export {
  createBatchRouter,
  type BatchRouter,
  type BatchRouterOptions,
  type JobRetries,
} from './batch-router.js';
export {
  ERASURE_QUEUE,
  REDERIVE_QUEUE,
  STATEMENT_DONE_QUEUE,
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
  createErasureQueue,
  type ErasureQueue,
  type ErasureQueueOptions,
} from './erasure-queue.js';
export {
  assertRedisReachable,
  createRedis,
  redactRedisUrl,
  redisOptions,
  type RedisRole,
} from './redis.js';
export {
  LAG_SAMPLES_MAX,
  LAG_WINDOW_MS,
  lagPercentiles,
  lagsSince,
  readLags,
  recordLag,
  type LagPercentiles,
} from './lag.js';
export {
  createPipelineQueues,
  type PipelineQueue,
  type PipelineQueues,
  type PipelineQueuesOptions,
} from './pipeline-queues.js';
export {
  pipelineMetrics,
  type LagMetrics,
  type PipelineMetrics,
  type QueueMetrics,
} from './pipeline-metrics.js';
export {
  createFailedJobs,
  FAILED_SCAN_MAX,
  type FailedJobPage,
  type FailedJobs,
  type FailedJobsQuery,
  type FailedJobView,
  type FoundJob,
} from './failed-jobs.js';
export { createPipelineMonitor, type PipelineMonitor } from './pipeline-monitor.js';
