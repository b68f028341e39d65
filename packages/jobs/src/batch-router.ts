import { FlowProducer, Queue, type BackoffOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  BATCH_DONE_JOB,
  PARTITION_JOB,
  STATEMENT_BATCH_JOB,
  type BatchDoneJob,
  type PartitionJob,
  type StatementBatchJob,
} from './payloads.js';
import { STATEMENT_DONE_QUEUE, STATEMENT_INTAKE_QUEUE, statementQueueName } from './queues.js';

/** The aggregator's intake side: hands a batch's parts to the partitions that own them. */
export interface BatchRouter {
  /**
   * Adds one job per partition in `parts` and, as their parent, one batch-done job that runs
   * when they have all completed. Ids derive from `intakeJobId`, so a retried intake job adds
   * nothing that is already there. `batch.stored` gives each statement's stored time.
   */
  route(
    intakeJobId: string,
    batch: BatchDoneJob,
    parts: ReadonlyMap<number, readonly string[]>,
  ): Promise<void>;
  /**
   * Puts a batch that keeps failing back on the intake queue as two halves, under ids derived
   * from `intakeJobId` (`.0`, `.1`: a retried split adds nothing twice), with the failing job's
   * attempts and backoff. Repeated, this leaves a poison statement alone in its own job.
   */
  split(intakeJobId: string, batch: StatementBatchJob, retries: JobRetries): Promise<void>;
  /**
   * Adds, for an erasure, one partition job per partition in `parts` (no parent: the erasure
   * job watches the rows themselves), ids `<erasureJobId>.p<N>`: while one waits or runs,
   * asking again adds nothing; once it completed (and was removed), asking again adds it anew.
   */
  retract(
    erasureJobId: string,
    job: { readonly storeId: string; readonly erasureId: string },
    parts: ReadonlyMap<number, readonly string[]>,
  ): Promise<void>;
  close(): Promise<void>;
}

/** A job's retry options, carried over to the jobs split from it. */
export interface JobRetries {
  readonly attempts?: number;
  readonly backoff?: number | BackoffOptions;
}

export interface BatchRouterOptions {
  readonly connection: Redis;
  readonly prefix: string;
}

const RETRIES = { attempts: 8, backoff: { type: 'exponential', delay: 1000 } } as const;

/**
 * A BullMQ flow per batch: the parent waits in `waiting-children` until every partition job has
 * completed. If one fails for good, the parent never runs, the statements stay pending in the
 * outbox, and the sweeper re-drives the batch later: the outbox stays the only record of what is
 * owed, and Redis may lose everything without losing work.
 */
export function createBatchRouter(options: BatchRouterOptions): BatchRouter {
  const flows = new FlowProducer({ connection: options.connection, prefix: options.prefix });
  let intake: Queue<StatementBatchJob> | null = null;
  return {
    async route(intakeJobId, batch, parts) {
      const storedOf = new Map(batch.statementIds.map((id, i) => [id, batch.stored[i] ?? 0]));
      await flows.add({
        name: BATCH_DONE_JOB,
        queueName: STATEMENT_DONE_QUEUE,
        data: batch,
        opts: { jobId: `${intakeJobId}.done`, removeOnComplete: true, ...RETRIES },
        children: [...parts].map(([partition, statementIds]) => {
          const data: PartitionJob = {
            storeId: batch.storeId,
            partition,
            statementIds,
            stored: statementIds.map((id) => storedOf.get(id) ?? 0),
          };
          return {
            name: PARTITION_JOB,
            queueName: statementQueueName(partition),
            data,
            opts: { jobId: `${intakeJobId}.p${partition}`, removeOnComplete: true, ...RETRIES },
          };
        }),
      });
    },
    async split(intakeJobId, batch, retries) {
      intake ??= new Queue(STATEMENT_INTAKE_QUEUE, {
        connection: options.connection,
        prefix: options.prefix,
      });
      const middle = Math.ceil(batch.statementIds.length / 2);
      const halves = [batch.statementIds.slice(0, middle), batch.statementIds.slice(middle)];
      await intake.addBulk(
        halves.map((statementIds, i) => ({
          name: STATEMENT_BATCH_JOB,
          data: { storeId: batch.storeId, statementIds },
          opts: {
            jobId: `${intakeJobId}.${i}`,
            removeOnComplete: true,
            removeOnFail: false,
            ...retries,
          },
        })),
      );
    },
    async retract(erasureJobId, job, parts) {
      await flows.addBulk(
        [...parts].map(([partition, statementIds]) => {
          const data: PartitionJob = {
            storeId: job.storeId,
            partition,
            statementIds,
            stored: [],
            erasureId: job.erasureId,
          };
          return {
            name: PARTITION_JOB,
            queueName: statementQueueName(partition),
            data,
            opts: {
              jobId: `${erasureJobId}.p${partition}`,
              removeOnComplete: true,
              ...RETRIES,
            },
          };
        }),
      );
    },
    async close() {
      await intake?.close();
      await flows.close();
    },
  };
}
