import { COLLECTIONS } from '@cairn/store';
import type { LoadResult } from './load-protocol.js';
import type { Measurement } from './probes.js';
import { ratio, round, summarize, type LatencySummary } from './stats.js';

/** The load results of one step, added up (a step may take several load runs). */
export type LoadTotals = Omit<LoadResult, 'id' | 'kind' | 'latenciesMs' | 'moreLinks'> & {
  readonly runs: number;
};

/** One measured step and what it cost, with the figures the report prints. */
export interface Scenario {
  readonly name: string;
  /** Statements per request (1 for a GET). */
  readonly batch: number;
  readonly connections: number;
  /** Requested rate (req/s), when the step was rate-limited. */
  readonly targetRate: number | null;
  /**
   * 'load': the step ran at its concurrency (and rate) for its duration. 'sequential': single
   * requests took so long that the step ran them one at a time, as many as fitted.
   */
  readonly mode: 'load' | 'sequential';
  readonly load: LoadTotals;
  readonly cost: Measurement;
  readonly figures: Figures;
}

export interface Figures {
  readonly requestsPerSec: number;
  readonly statementsPerSec: number;
  readonly latencyMs: LatencySummary;
  /** API process CPU per request / per statement handled, µs (abandoned requests included). */
  readonly apiCpuUsPerRequest: number;
  readonly apiCpuUsPerStatement: number;
  /**
   * The same without the credential cache's re-verifications (one scrypt per key and expiry,
   * counted by their credential look-ups) and without the process's idle CPU: what the requests
   * themselves cost. Close to the raw figure when requests are many; much lower when a slow
   * database leaves few requests to share those fixed costs.
   */
  readonly apiCpuUsPerStatementNet: number;
  readonly apiCpuUsPerRequestNet: number;
  readonly mongoCommandsPerRequest: number;
  /**
   * Of those, the credential cache's look-ups (one per key and cache expiry, whatever the
   * number of requests): amortised, not part of each request's own round trips.
   */
  readonly mongoCredentialCommandsPerRequest: number;
  /** The request's own MongoDB round trips: all commands but the credential look-ups. */
  readonly mongoRequestCommandsPerRequest: number;
  /** Driver-observed time in MongoDB commands per request (server + loopback), ms. */
  readonly mongoMsPerRequest: number;
  /** Redis commands the API sent per request (round trips; a Lua script is one). */
  readonly redisCommandsPerRequest: number;
  /** Redis commands executed per request, commands inside Lua scripts included. */
  readonly redisExecutedPerRequest: number;
  /** CPU of the local MongoDB-compatible server per statement, µs; null if not measurable. */
  readonly mongoServerCpuUsPerStatement: number | null;
  /** Cores busy on average during the step: API, MongoDB server, Redis, load generator. */
  readonly cores: {
    readonly api: number;
    readonly mongoServer: number | null;
    readonly redis: number;
    readonly load: number;
  };
}

/** Adds up the load runs of one step; latencies are pooled. */
export function mergeRuns(runs: readonly LoadResult[]): {
  totals: LoadTotals;
  latenciesMs: number[];
} {
  const statusCodes: Record<string, number> = {};
  const latenciesMs: number[] = [];
  let firstError: string | null = null;
  for (const run of runs) {
    for (const [code, n] of Object.entries(run.statusCodes)) {
      statusCodes[code] = (statusCodes[code] ?? 0) + n;
    }
    for (const l of run.latenciesMs) latenciesMs.push(l);
    firstError ??= run.firstError;
  }
  const sum = (pick: (r: LoadResult) => number) => runs.reduce((a, r) => a + pick(r), 0);
  return {
    totals: {
      runs: runs.length,
      sent: sum((r) => r.sent),
      unsent: sum((r) => r.unsent),
      responses: sum((r) => r.responses),
      ok: sum((r) => r.ok),
      non2xx: sum((r) => r.non2xx),
      errors: sum((r) => r.errors),
      timeouts: sum((r) => r.timeouts),
      statusCodes,
      durationSec: sum((r) => r.durationSec),
      bytes: sum((r) => r.bytes),
      nextIndex: runs[runs.length - 1]?.nextIndex ?? 0,
      loadCpuUs: sum((r) => r.loadCpuUs),
      firstError,
    },
    latenciesMs,
  };
}

/** Fixed costs of the API process, measured once per run (see Figures.apiCpuUsPerStatementNet). */
export interface CpuCalibration {
  /** CPU of one credential verification (scrypt), µs. */
  readonly scryptCpuUs: number;
  /** CPU of the process when no request is running, µs per second. */
  readonly idleCpuUsPerSec: number;
}

/** Derives the per-request and per-statement figures of a step. */
export function scenario(
  name: string,
  options: {
    batch: number;
    connections: number;
    targetRate?: number | undefined;
    mode: Scenario['mode'];
  },
  runs: readonly LoadResult[],
  cost: Measurement,
  calibration: CpuCalibration = { scryptCpuUs: 0, idleCpuUsPerSec: 0 },
): Scenario {
  const { totals, latenciesMs } = mergeRuns(runs);
  const handled = Math.max(totals.sent, totals.responses);
  const statements = handled * options.batch;
  const wall = cost.wallSec;
  const latency = summarize(latenciesMs);
  const credentialCommands = Object.entries(cost.mongo.byName)
    .filter(([key]) => key.split(' ')[1] === COLLECTIONS.credentials)
    .reduce((a, [, v]) => a + v.count, 0);
  const netCpuUs = Math.max(
    0,
    cost.apiCpuUs -
      credentialCommands * calibration.scryptCpuUs -
      calibration.idleCpuUsPerSec * wall,
  );
  const figures: Figures = {
    requestsPerSec: round(ratio(totals.ok, totals.durationSec)),
    statementsPerSec: round(ratio(totals.ok * options.batch, totals.durationSec)),
    latencyMs: {
      count: latency.count,
      mean: round(latency.mean),
      p50: round(latency.p50),
      p90: round(latency.p90),
      p99: round(latency.p99),
      max: round(latency.max),
    },
    apiCpuUsPerRequest: round(ratio(cost.apiCpuUs, handled)),
    apiCpuUsPerStatement: round(ratio(cost.apiCpuUs, statements)),
    apiCpuUsPerStatementNet: round(ratio(netCpuUs, statements)),
    apiCpuUsPerRequestNet: round(ratio(netCpuUs, handled)),
    mongoCommandsPerRequest: round(ratio(cost.mongo.commands, handled)),
    mongoCredentialCommandsPerRequest: round(ratio(credentialCommands, handled)),
    mongoRequestCommandsPerRequest: round(
      ratio(cost.mongo.commands - credentialCommands, handled),
      4,
    ),
    mongoMsPerRequest: round(ratio(cost.mongo.timeMs, handled)),
    redisCommandsPerRequest: round(ratio(cost.redis.sent, handled)),
    redisExecutedPerRequest: round(ratio(cost.redis.executed, handled)),
    mongoServerCpuUsPerStatement:
      cost.mongoServerCpuSec === null
        ? null
        : round(ratio(cost.mongoServerCpuSec * 1e6, statements)),
    cores: {
      api: round(ratio(cost.apiCpuUs / 1e6, wall), 2),
      mongoServer:
        cost.mongoServerCpuSec === null ? null : round(ratio(cost.mongoServerCpuSec, wall), 2),
      redis: round(ratio(cost.redisCpuSec, wall), 2),
      load: round(ratio(totals.loadCpuUs / 1e6, wall), 2),
    },
  };
  return {
    name,
    batch: options.batch,
    connections: options.connections,
    targetRate: options.targetRate ?? null,
    mode: options.mode,
    load: totals,
    cost,
    figures,
  };
}
