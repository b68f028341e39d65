/**
 * Messages between the benchmark and the aggregator under test (aggregator-worker.ts, a child
 * process), so that the worker's CPU time and MongoDB commands are its own: the bench process
 * also runs the LRS, whose CPU and event loop would otherwise mix with the worker's.
 */
import { aggregatorConfigSpec, type AggregatorConfig } from '@cairn/aggregator';
import { loadConfig } from '@cairn/config';
import type { CommandTally } from './probes.js';

interface RequestBase {
  readonly id: number;
}

/** Builds what main.ts builds before its workers (config, MongoDB, producer, router, processors). */
export interface ConnectRequest extends RequestBase {
  readonly kind: 'connect';
  readonly mongoUri: string;
  readonly redisUrl: string;
  readonly database: string;
  readonly queuePrefix: string;
  /**
   * CAIRN_SWEEP_INTERVAL_MS and CAIRN_SWEEP_AFTER_MS. The bench's backlog is older than the
   * default minute on purpose, and a sweeper re-driving it as lost work would measure duplicate
   * jobs, not throughput; and a first tick of the sweeper or of the settings watcher (same
   * interval) landing inside a measured step would make the figures vary from run to run.
   */
  readonly sweepMs: number;
}

export type AggregatorRequest =
  | ConnectRequest
  /** startWorkers with every partition, then the outbox sweeper and settings watcher, as main.ts. */
  | (RequestBase & { readonly kind: 'start' })
  /** What the worker has cost so far. */
  | (RequestBase & { readonly kind: 'measure' })
  /** Stops the watcher, sweeper and workers (jobs in progress finish); MongoDB stays connected. */
  | (RequestBase & { readonly kind: 'stop' })
  /**
   * verifySkillDays or rebuildFromStatements (`npm run cairn -- verify|rebuild`) over one store
   * (skill-day-audit.ts), with the workers stopped.
   */
  | (RequestBase & {
      readonly kind: 'audit';
      readonly what: 'verify' | 'rebuild';
      readonly storeId: string;
    });

/** The worker process's costs so far (cumulative: the parent subtracts two of them). */
export interface WorkerSnapshot {
  /** process.cpuUsage() of the worker, user + system, µs. */
  readonly cpuUs: number;
  readonly mongo: CommandTally;
  /** Jobs that failed an attempt (BullMQ `failed` events). */
  readonly failedJobs: number;
  /** The first failure's message, to explain it. */
  readonly firstFailure: string | null;
  readonly rssMiB: number;
  readonly peakRssMiB: number;
}

export type AuditOutcome =
  | {
      readonly what: 'verify';
      readonly differences: number;
      /** The first few differences, as `npm run cairn -- verify` prints them. */
      readonly sample: readonly string[];
    }
  | {
      readonly what: 'rebuild';
      /** Evidence rows and buckets written. */
      readonly rows: number;
      readonly buckets: number;
    };

export type AggregatorReply =
  | {
      readonly id: number;
      readonly kind: 'ok';
      readonly snapshot: WorkerSnapshot;
      readonly audit?: AuditOutcome;
    }
  | { readonly id: number; readonly kind: 'failure'; readonly message: string };

/**
 * The aggregator's configuration in the bench: its defaults and what the bench chooses, never
 * the user's CAIRN_* variables (they must not change what the bench measures). The bench reads
 * it too, for CAIRN_PARTITIONS.
 */
export function benchAggregatorConfig(
  request: Omit<ConnectRequest, 'id' | 'kind'>,
): AggregatorConfig {
  return loadConfig<AggregatorConfig>(aggregatorConfigSpec, {
    MONGODB_URI: request.mongoUri,
    REDIS_URL: request.redisUrl,
    CAIRN_MONGODB_DATABASE: request.database,
    CAIRN_QUEUE_PREFIX: request.queuePrefix,
    CAIRN_SWEEP_INTERVAL_MS: String(request.sweepMs),
    CAIRN_SWEEP_AFTER_MS: String(request.sweepMs),
  });
}
