/**
 * Messages between the benchmark (the API's process) and the load generator (a child process),
 * so that the load generator's CPU and memory are never counted as the API's.
 */
import type { DatasetSpec } from './datasets.js';

interface JobBase {
  readonly id: number;
  /** Origin, e.g. http://127.0.0.1:1234 */
  readonly origin: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  /** Seconds to run; ignored when `amount` is set. */
  readonly durationSec: number;
  /** Stop after this many requests instead of after `durationSec`. */
  readonly amount?: number;
  /**
   * Requests per second over all connections, due at a steady pace whether or not the server
   * keeps up (http-load.ts); absent: as fast as the server answers on `connections`.
   */
  readonly overallRate?: number;
  /** Seconds before a request counts as timed out. */
  readonly timeoutSec: number;
}

/** POST batches of generated statements `firstIndex`, `firstIndex + batch`, ... */
export interface PostJob extends JobBase {
  readonly kind: 'post';
  readonly path: string;
  readonly dataset: DatasetSpec;
  readonly batch: number;
  readonly firstIndex: number;
}

/** GET (or `method`, with `body`) the given paths round-robin. */
export interface GetJob extends JobBase {
  readonly kind: 'get';
  readonly paths: readonly string[];
  /** Default GET; the document steps PUT and POST the same body to many addresses. */
  readonly method?: 'GET' | 'PUT' | 'POST';
  readonly body?: string;
  /** Keep up to this many non-empty `more` links of the StatementResults received. */
  readonly collectMore?: number;
}

export type LoadJob = PostJob | GetJob;

export interface LoadResult {
  readonly id: number;
  readonly kind: 'load';
  /** Requests written: `responses` plus those that failed without one. */
  readonly sent: number;
  /** Paced jobs: requests that fell due but found no free connection before the job ended. */
  readonly unsent: number;
  /** Responses received, any status. */
  readonly responses: number;
  readonly ok: number;
  readonly non2xx: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly timeouts: number;
  /** Status code -> count, for the report when something went wrong. */
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly durationSec: number;
  /**
   * Latency of each 2xx response, ms, from the client's side (to the microsecond); for a job
   * with a rate, from when the request fell due.
   */
  readonly latenciesMs: readonly number[];
  /** Bytes of the 2xx response bodies and headers. */
  readonly bytes: number;
  /** POST: the first statement index not yet used. */
  readonly nextIndex: number;
  /** The load generator's own CPU time for the job, µs. */
  readonly loadCpuUs: number;
  /** The first non-2xx body seen, to explain failures. */
  readonly firstError: string | null;
  /** GET with `collectMore`: the `more` links seen. */
  readonly moreLinks: readonly string[];
}

export interface JobFailure {
  readonly id: number;
  readonly kind: 'failure';
  readonly message: string;
}

export type LoadReply = LoadResult | JobFailure;
