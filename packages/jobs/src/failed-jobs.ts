import type { Job } from 'bullmq';
import type { StatementBatchJob } from './payloads.js';
import type { PipelineQueue, PipelineQueues } from './pipeline-queues.js';

/** Failed jobs read per queue at most, newest first, when listing. */
export const FAILED_SCAN_MAX = 10_000;

/** A failed job as the admin view shows it. Jobs carry ids only, so this holds no personal data. */
export interface FailedJobView {
  readonly id: string;
  /** `intake`, `p0` .. `p<N-1>`, `done`. */
  readonly queue: string;
  /** The store of the job's statements; null for a job without a readable payload. */
  readonly storeId: string | null;
  /** Statements the job carries. */
  readonly statements: number;
  readonly failedReason: string;
  readonly attemptsMade: number;
  /** ISO time of the last failure; null if BullMQ recorded none. */
  readonly finishedOn: string | null;
}

export interface FailedJobPage {
  /** Newest failure first (then by queue and id). */
  readonly jobs: readonly FailedJobView[];
  /** Failed jobs visible to the caller, in every queue (at most FAILED_SCAN_MAX per queue). */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
}

export interface FailedJobsQuery {
  /** Only jobs of this store; null for every store (an installation admin). */
  readonly storeId: string | null;
  readonly offset: number;
  readonly limit: number;
}

/** One job found by id, visible to the caller. */
export interface FoundJob {
  readonly view: FailedJobView;
  /** BullMQ's state: only a `failed` job may be retried or discarded. */
  readonly state: string;
  /**
   * The batch whose outbox the job clears: the job's own payload, or for a partition job the
   * payload of its batch-done parent (the statements the batch clears together); null when
   * the payload is unreadable.
   */
  readonly batch: StatementBatchJob | null;
  /** The job's own payload (a partition job's part of its batch); null when unreadable. */
  readonly payload: StatementBatchJob | null;
  /** Moves the failed job back to waiting, its attempts counted from 0 again (Job#retry). */
  retry(): Promise<void>;
  /** Removes the job for good (Job#remove). */
  discard(): Promise<void>;
}

/** The failed-job admin view over the pipeline's queues. */
export interface FailedJobs {
  list(query: FailedJobsQuery): Promise<FailedJobPage>;
  /** The job `jobId` in any pipeline queue; null when there is none or it is another store's. */
  find(jobId: string, storeId: string | null): Promise<FoundJob | null>;
}

/** The payload as a batch, when it is one (jobs come from Redis: anything may be there). */
function batchOf(data: unknown): StatementBatchJob | null {
  if (typeof data !== 'object' || data === null) return null;
  const { storeId, statementIds } = data as { storeId?: unknown; statementIds?: unknown };
  if (typeof storeId !== 'string' || !Array.isArray(statementIds)) return null;
  const ids = statementIds.filter((id): id is string => typeof id === 'string');
  return ids.length === statementIds.length ? { storeId, statementIds: ids } : null;
}

/** The store a payload names: a batch's, or a re-derivation's (which carries no statements). */
function storeOfPayload(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const { storeId } = data as { storeId?: unknown };
  return typeof storeId === 'string' ? storeId : null;
}

function storeOfData(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  try {
    return storeOfPayload(JSON.parse(raw));
  } catch {
    return null;
  }
}

function viewOf(q: PipelineQueue, job: Job): FailedJobView {
  const batch = batchOf(job.data);
  return {
    id: job.id ?? '',
    queue: q.label,
    storeId: storeOfPayload(job.data),
    statements: batch?.statementIds.length ?? 0,
    failedReason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    finishedOn: job.finishedOn === undefined ? null : new Date(job.finishedOn).toISOString(),
  };
}

interface Candidate {
  readonly q: PipelineQueue;
  readonly id: string;
  readonly finishedOn: number;
}

/**
 * The ids and failure times in every queue's failed set (a sorted set by failure time), newest
 * first, with the store of each when a store is asked for: a few pipelined reads, however many
 * jobs, and whole jobs fetched for the page only.
 */
async function candidates(queues: PipelineQueues, storeId: string | null): Promise<Candidate[]> {
  const scan = queues.connection.pipeline();
  for (const q of queues.all)
    scan.zrevrange(q.queue.toKey('failed'), 0, FAILED_SCAN_MAX - 1, 'WITHSCORES');
  const replies = (await scan.exec()) ?? [];
  const found: Candidate[] = [];
  queues.all.forEach((q, i) => {
    const [error, value] = replies[i] ?? [null, []];
    if (error !== null) throw error;
    const flat = Array.isArray(value) ? value.map(String) : [];
    for (let k = 0; k + 1 < flat.length; k += 2) {
      found.push({ q, id: flat[k] ?? '', finishedOn: Number(flat[k + 1]) });
    }
  });
  let visible = found;
  if (storeId !== null && found.length > 0) {
    const stores = queues.connection.pipeline();
    for (const c of found) stores.hget(c.q.queue.toKey(c.id), 'data');
    const data = (await stores.exec()) ?? [];
    visible = found.filter((_, i) => storeOfData(data[i]?.[1]) === storeId);
  }
  return visible.sort(
    (a, b) =>
      b.finishedOn - a.finishedOn ||
      (a.q.label < b.q.label ? -1 : a.q.label > b.q.label ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The batch a partition job belongs to, from its batch-done parent, else its own payload. */
async function batchOfJob(queues: PipelineQueues, job: Job): Promise<StatementBatchJob | null> {
  const parent = job.parent;
  if (parent?.id !== undefined && parent.queueKey === queues.done.qualifiedName) {
    const parentJob = await queues.done.getJob(parent.id);
    const batch = batchOf(parentJob?.data);
    if (batch !== null) return batch;
  }
  return batchOf(job.data);
}

async function findIn(
  queues: PipelineQueues,
  jobId: string,
): Promise<{ q: PipelineQueue; job: Job } | null> {
  // Ids are unique across the pipeline's queues (batch., sweep., .pN, .done), so the first wins.
  const jobs = await Promise.all(queues.all.map((q) => q.queue.getJob(jobId)));
  for (const [i, job] of jobs.entries()) {
    const q = queues.all[i];
    if (job !== undefined && q !== undefined) return { q, job };
  }
  return null;
}

export function createFailedJobs(queues: PipelineQueues): FailedJobs {
  return {
    async list(query) {
      const all = await candidates(queues, query.storeId);
      const page = all.slice(query.offset, query.offset + query.limit);
      const jobs = await Promise.all(page.map((c) => c.q.queue.getJob(c.id)));
      const views: FailedJobView[] = [];
      jobs.forEach((job, i) => {
        const c = page[i];
        // A job retried or removed since the scan is left out of this page.
        if (job !== undefined && c !== undefined) views.push(viewOf(c.q, job));
      });
      return { jobs: views, total: all.length, offset: query.offset, limit: query.limit };
    },

    async find(jobId, storeId) {
      const found = await findIn(queues, jobId);
      if (found === null) return null;
      const { q, job } = found;
      const view = viewOf(q, job);
      if (storeId !== null && view.storeId !== storeId) return null;
      return {
        view,
        state: await job.getState(),
        batch: await batchOfJob(queues, job),
        payload: batchOf(job.data),
        retry: () => job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }),
        discard: () => job.remove(),
      };
    },
  };
}
