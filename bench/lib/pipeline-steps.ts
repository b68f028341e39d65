// The skill pipeline's steps of `npm run bench` (issue 6, "Speed"): worker throughput from a
// backlog, lag under sustained load, and the audit (verify, rebuild) over the store they filled.
//
// They run on a database and a BullMQ prefix of their own, fed by a second LRS in this process
// (startLrs) and drained by the aggregator in a child process (aggregator-worker.ts), composed as
// workers/aggregator's main.ts composes it. A child process, not this one: this process runs the
// LRS, so the worker's CPU time (process.cpuUsage) could not be told from the API's, and the two
// would share one event loop, which would lengthen the very lag being measured.
import { randomBytes } from 'node:crypto';
import {
  createPipelineQueues,
  readLags,
  STATEMENT_DONE_QUEUE,
  type PipelineQueues,
} from '@cairn/jobs';
import { buildApp as buildReportsApp } from '@cairn/reports';
import { COLLECTIONS, DEFAULT_STORE_ID } from '@cairn/store';
import type { Redis } from 'ioredis';
import { benchAggregatorConfig, type WorkerSnapshot } from './aggregator-protocol.js';
import { startAggregatorProcess, type AggregatorProcess } from './aggregator-process.js';
import type { Framework } from '@cairn/simulate';
import type { DatasetSpec } from './datasets.js';
import type { LoadGenerator } from './load-generator.js';
import type { LoadResult, PostJob } from './load-protocol.js';
import type { LocalServices } from './local-stack.js';
import { createProbes, diffTally, type CommandTally, type Measurement } from './probes.js';
import { startLrs, type LrsUnderTest } from './servers.js';
import { ratio, round, summarize } from './stats.js';

/** Issue 6's targets. */
export const PIPELINE_TARGETS = {
  /** Worker CPU per statement aggregated, µs. */
  workerCpuUsPerStatement: 60,
  /** Sustained load the lag is measured under, statements per second. */
  rate: 1_000,
  /** Lag p99 under that load, ms. */
  lagP99Ms: 2_000,
} as const;

/** Issue 17's targets, on the local server. */
export const LOCAL_SERVER_PIPELINE_TARGETS = {
  /** The backlog the drain rate is asked of, statements. */
  backlog: 100_000,
  /** Its drain rate, statements per second. */
  drainStatementsPerSec: 1_000,
  /** Sustained load the lag is measured under, statements per second. */
  rate: 500,
  /** Lag p99 under that load, ms. */
  lagP99Ms: 2_000,
} as const;

export interface PipelineConfig {
  /** Statements of the backlog the worker drains (the throughput figures). */
  readonly statements: number;
  /** Statements per POST, in the backlog (one intake job each) and under sustained load. */
  readonly batch: number;
  /**
   * Sustained load, statements per second; null: issue 17's 500, then issue 6's 1,000 when the
   * backlog drained at least that fast.
   */
  readonly rate: number | null;
  /** Seconds of sustained load. */
  readonly loadSec: number;
  readonly dataset: DatasetSpec;
  /** POST to the LRS itself, or to its twin without the pre-insert reads (servers.ts). */
  readonly postVia: 'api' | 'lean';
  readonly xapiVersion: string;
}

export interface PipelineDeps {
  readonly services: LocalServices;
  readonly load: LoadGenerator;
  /** A producer connection of the bench's own, for the queue counts and the lag samples. */
  readonly redis: Redis;
  readonly mongoServerPid: number | null;
  /** The simulator's framework, imported into the pipeline's store before any statement. */
  readonly framework: Framework | null;
  /** Registers a closer that runs when the bench stops, whatever way. */
  readonly defer: (close: () => Promise<void>) => void;
  readonly log: (message: string) => void;
}

/** What the aggregator did during one interval, and what it cost it and the servers. */
export interface WorkerFigures {
  readonly statements: number;
  /** Intake jobs: one per POSTed batch. */
  readonly batches: number;
  readonly seconds: number;
  readonly statementsPerSec: number;
  /** Evidence rows that reached `counted`. */
  readonly evidenceRows: number;
  readonly evidenceRowsPerSec: number;
  /** Worker process CPU, µs per statement; net: without its idle CPU (timers, polling). */
  readonly cpuUsPerStatement: number;
  readonly cpuUsPerStatementNet: number;
  readonly mongoCommandsPerBatch: number;
  readonly mongoCommandsPerStatement: number;
  /** Driver-observed time in MongoDB commands per batch (server + loopback), ms. */
  readonly mongoMsPerBatch: number;
  /** Per batch, by command and collection ("find evidence"). */
  readonly mongoByNamePerBatch: Readonly<Record<string, number>>;
  /** Driver-observed ms per batch, by command and collection (absent from older results). */
  readonly mongoMsByNamePerBatch?: Readonly<Record<string, number>>;
  /** CPU of the local MongoDB-compatible server per statement, µs; null if not ours. */
  readonly mongoServerCpuUsPerStatement: number | null;
  /** Average cores busy: the worker, the LRS process, the MongoDB server, Redis. */
  readonly cores: {
    readonly worker: number;
    readonly api: number;
    readonly mongoServer: number | null;
    readonly redis: number;
  };
  /** Jobs that failed an attempt meanwhile (retried by BullMQ, or left in the failed set). */
  readonly failedJobs: number;
  /** False when the pipeline had not drained by the deadline: the figures then cover less. */
  readonly drained: boolean;
}

export interface BacklogResult {
  /** How long storing the backlog took (the LRS, aggregator stopped). */
  readonly storeSeconds: number;
  readonly worker: WorkerFigures;
  /** Worker CPU with nothing to do, µs per second (what `net` takes out). */
  readonly idleCpuUsPerSec: number;
  /** Left pending once the queues were empty: 0 and 0 when nothing was lost. */
  readonly leftPending: { readonly statements: number; readonly evidenceRows: number };
}

export interface LagRun {
  readonly label: string;
  /** Statements per second asked for, and achieved by the LRS. */
  readonly rate: number;
  readonly achievedStatementsPerSec: number;
  readonly batch: number;
  readonly connections: number;
  readonly loadSec: number;
  /** POST latency as the client saw it, ms. */
  readonly postP50Ms: number;
  readonly postP99Ms: number;
  readonly failedPosts: number;
  /** Seconds from the end of the load until the pipeline had drained. */
  readonly drainAfterLoadSec: number;
  /** From `stored` to the batch's outbox cleared (samples under STATEMENT_DONE_QUEUE), ms. */
  readonly lag: {
    readonly samples: number;
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
    readonly maxMs: number | null;
  };
  readonly worker: WorkerFigures;
}

export interface AuditRun {
  readonly seconds: number;
  readonly statementsPerSec: number;
  readonly workerCpuSec: number;
  readonly mongoCommands: number;
}

export interface PipelineResults {
  readonly config: PipelineConfig & {
    readonly partitions: number;
    readonly intakeConcurrency: number;
    /** What the store's skill settings held (the simulator's framework); null: the defaults. */
    readonly framework: {
      readonly skills: number;
      readonly rules: number;
      readonly tags: number;
    } | null;
  };
  readonly backlog: BacklogResult;
  readonly load: readonly LagRun[];
  /** Why the attempt at the target rate was not made, when it was not. */
  readonly targetRateSkipped: string | null;
  readonly audit: {
    /** The store's statements and counted evidence rows when the audit ran. */
    readonly statements: number;
    readonly evidenceRows: number;
    /** verifySkillDays of the pipeline's buckets. */
    readonly verify: AuditRun & {
      readonly differences: number;
      readonly sample: readonly string[];
    };
    /** rebuildFromStatements: evidence and buckets recomputed from the statements, replaced. */
    readonly rebuild: AuditRun & {
      readonly rows: number;
      readonly evidenceRowsPerSec: number;
      readonly buckets: number;
    };
    /** verifySkillDays again, of the rebuilt buckets. */
    readonly verifyAfterRebuild: AuditRun & {
      readonly differences: number;
      readonly sample: readonly string[];
    };
  };
  readonly peakRssMiB: { readonly worker: number };
}

/** Queue counts are read this often while waiting for the pipeline to drain. */
const POLL_MS = 100;
/** Longest wait for a drain before the figures are reported as incomplete. */
const DRAIN_DEADLINE_MS = 20 * 60_000;
/** Connections of the sustained load: enough for the rate whatever the POST latency. */
const LOAD_CONNECTIONS = 20;
/** The backlog's POSTs, as the seeding sends them. */
const BACKLOG_CONNECTIONS = 2;
/** Sweeper and settings watcher interval and sweep age: beyond the bench's runs (ConnectRequest). */
const SWEEP_MS = 3_600_000;
const IDLE_SEC = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Fixture {
  readonly lrs: LrsUnderTest;
  readonly aggregator: AggregatorProcess;
  readonly queues: PipelineQueues;
  readonly queuePrefix: string;
  readonly probes: ReturnType<typeof createProbes>;
}

async function setUp(
  config: PipelineConfig,
  deps: PipelineDeps,
): Promise<Fixture & { partitions: number; intakeConcurrency: number }> {
  const id = randomBytes(4).toString('hex');
  const database = `cairn_bench_${id}_pipeline`;
  const queuePrefix = `cairn-bench-${id}-pipeline`;
  const { mongoUri, redisUrl } = deps.services;
  const lrs = await startLrs({ mongoUri, redisUrl, database, queuePrefix });
  deps.defer(async () => {
    // A throw-away server goes with its data; on the user's own, leave nothing behind.
    if (!deps.services.local.mongo) await lrs.mongo.db(database).dropDatabase();
    await lrs.close();
    if (!deps.services.local.redis) {
      for (const pattern of [`${queuePrefix}:*`, `cairn-rate-limit:*${lrs.key}*`]) {
        const keys = await deps.redis.keys(pattern);
        if (keys.length > 0) await deps.redis.del(...keys);
      }
    }
  });
  const aggregator = startAggregatorProcess();
  deps.defer(() => aggregator.close());
  const connect = { mongoUri, redisUrl, database, queuePrefix, sweepMs: SWEEP_MS };
  await aggregator.connect(connect);
  const aggregatorConfig = benchAggregatorConfig(connect);
  const queues = createPipelineQueues({
    connection: deps.redis,
    prefix: queuePrefix,
    partitions: aggregatorConfig.CAIRN_PARTITIONS,
  });
  deps.defer(() => queues.close());
  const probes = createProbes({
    mongo: lrs.mongo,
    redisSent: lrs.redisSent,
    redis: deps.redis,
    mongoServerPid: deps.mongoServerPid,
  });
  return {
    lrs,
    aggregator,
    queues,
    queuePrefix,
    probes,
    partitions: aggregatorConfig.CAIRN_PARTITIONS,
    intakeConcurrency: aggregatorConfig.CAIRN_INTAKE_CONCURRENCY,
  };
}

/**
 * The simulator's framework.json through the skills API (POST /api/v1/frameworks/import, its
 * rules and tags replacing the store's), before any statement is stored: the pipeline derives
 * evidence under these settings from the first batch on, and no re-derivation is owed for
 * statements stored earlier. The skills API is the reports service's: built here on the LRS's
 * store and asked once, outside anything measured.
 */
async function importFramework(f: Fixture, framework: Framework): Promise<void> {
  const reports = await buildReportsApp({ store: f.lrs.store, checks: [] });
  try {
    const response = await reports.inject({
      method: 'POST',
      url: '/api/v1/frameworks/import?rules=replace',
      headers: { authorization: f.lrs.authorization, 'content-type': 'application/json' },
      payload: JSON.stringify(framework),
    });
    if (response.statusCode >= 300) {
      throw new Error(
        `importing the simulator's framework: ${response.statusCode} ${response.body}`,
      );
    }
  } finally {
    await reports.close();
  }
}

interface QueueState {
  /** Jobs waiting, active, delayed (a retry) or prioritized, in every pipeline queue. */
  readonly running: number;
  /** Batch-done jobs still waiting for partition jobs. */
  readonly waitingChildren: number;
  /** Jobs in the failed sets. */
  readonly failed: number;
  /** Intake jobs waiting or active. */
  readonly intake: number;
}

async function queueState(queues: PipelineQueues): Promise<QueueState> {
  const counts = await Promise.all(
    queues.all.map((q) =>
      q.queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'waiting-children',
        'failed',
      ),
    ),
  );
  const sum = (state: string) => counts.reduce((a, c) => a + (c[state] ?? 0), 0);
  const intake = counts[0];
  return {
    running: sum('waiting') + sum('active') + sum('delayed') + sum('prioritized'),
    waitingChildren: sum('waiting-children'),
    failed: sum('failed'),
    intake: (intake?.['waiting'] ?? 0) + (intake?.['active'] ?? 0),
  };
}

/**
 * Waits until no pipeline queue holds an unfinished job: every batch-done job has then cleared
 * its statements' outbox. Polls Redis, so that waiting costs MongoDB nothing (a count of pending
 * statements is not an `_id` query: the local server scans for it); with `outboxEmpty`, asks it too once the
 * queues are empty, for jobs the LRS had still to add (requests in flight when a load ended).
 * False when a job failed for good (its batch-done parent then waits forever) or at the deadline.
 */
async function waitForDrain(
  f: Fixture,
  log: (m: string) => void,
  what: string,
  outboxEmpty?: () => Promise<boolean>,
): Promise<boolean> {
  const deadline = Date.now() + DRAIN_DEADLINE_MS;
  let nextReport = Date.now() + 15_000;
  for (;;) {
    const q = await queueState(f.queues);
    if (q.running === 0 && q.waitingChildren === 0) {
      if (q.failed > 0) log(`${what}: ${q.failed} job(s) in the failed sets`);
      if (outboxEmpty === undefined || (await outboxEmpty())) return true;
    } else if (q.running === 0 && q.failed > 0) {
      log(
        `${what}: STUCK: ${q.failed} job(s) failed for good, ${q.waitingChildren} batches wait for them`,
      );
      return false;
    }
    if (Date.now() > deadline) {
      log(
        `${what}: NOT DRAINED after ${DRAIN_DEADLINE_MS / 60_000} min (${q.running + q.waitingChildren} jobs open)`,
      );
      return false;
    }
    if (Date.now() > nextReport) {
      log(
        `${what}: ${q.intake} intake jobs to go, ${q.running + q.waitingChildren} jobs open in all`,
      );
      nextReport = Date.now() + 15_000;
    }
    await sleep(POLL_MS);
  }
}

function postJob(
  f: Fixture,
  config: PipelineConfig,
  firstIndex: number,
  extra: Partial<Omit<PostJob, 'id' | 'kind'>>,
): Omit<PostJob, 'id'> {
  return {
    kind: 'post',
    origin: config.postVia === 'lean' ? f.lrs.seedingOrigin : f.lrs.origin,
    path: '/xapi/statements',
    headers: { 'x-experience-api-version': config.xapiVersion, authorization: f.lrs.authorization },
    dataset: config.dataset,
    batch: config.batch,
    firstIndex,
    connections: BACKLOG_CONNECTIONS,
    durationSec: 1,
    timeoutSec: 600,
    ...extra,
  };
}

function failedPosts(r: LoadResult): number {
  return r.non2xx + r.errors;
}

async function storedStatements(f: Fixture): Promise<number> {
  return f.lrs.mongo.db(f.lrs.database).collection(COLLECTIONS.statements).countDocuments({});
}

/**
 * Waits until the store holds `expected` statements: a load ends with requests in flight, which
 * the LRS still stores and enqueues. Without this, the drain could be declared before they are
 * stored, the aggregator stopped, and their batches left unaggregated. False after `timeoutMs`
 * (a request the server dropped when the client went away).
 */
async function waitForStored(f: Fixture, expected: number, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await storedStatements(f)) < expected) {
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

async function countedRows(f: Fixture): Promise<number> {
  return f.lrs.store.evidenceOf(DEFAULT_STORE_ID).count('counted');
}

function perBatch(
  mongo: CommandTally,
  batches: number,
  of: (v: { count: number; timeMs: number }) => number = (v) => v.count,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(mongo.byName)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, v]) => [name, round(ratio(of(v), batches), 3)]),
  );
}

function workerFigures(options: {
  statements: number;
  batches: number;
  evidenceRows: number;
  before: WorkerSnapshot;
  after: WorkerSnapshot;
  cost: Measurement;
  idleCpuUsPerSec: number;
  drained: boolean;
}): WorkerFigures {
  const { statements, batches, cost } = options;
  const wall = cost.wallSec;
  const cpuUs = options.after.cpuUs - options.before.cpuUs;
  const mongo = diffTally(options.before.mongo, options.after.mongo);
  return {
    statements,
    batches,
    seconds: round(wall),
    statementsPerSec: round(ratio(statements, wall)),
    evidenceRows: options.evidenceRows,
    evidenceRowsPerSec: round(ratio(options.evidenceRows, wall)),
    cpuUsPerStatement: round(ratio(cpuUs, statements)),
    cpuUsPerStatementNet: round(
      ratio(Math.max(0, cpuUs - options.idleCpuUsPerSec * wall), statements),
    ),
    mongoCommandsPerBatch: round(ratio(mongo.commands, batches)),
    mongoCommandsPerStatement: round(ratio(mongo.commands, statements)),
    mongoMsPerBatch: round(ratio(mongo.timeMs, batches)),
    mongoByNamePerBatch: perBatch(mongo, batches),
    mongoMsByNamePerBatch: perBatch(mongo, batches, (v) => v.timeMs),
    mongoServerCpuUsPerStatement:
      cost.mongoServerCpuSec === null
        ? null
        : round(ratio(cost.mongoServerCpuSec * 1e6, statements)),
    cores: {
      worker: round(ratio(cpuUs / 1e6, wall), 2),
      api: round(ratio(cost.apiCpuUs / 1e6, wall), 2),
      mongoServer:
        cost.mongoServerCpuSec === null ? null : round(ratio(cost.mongoServerCpuSec, wall), 2),
      redis: round(ratio(cost.redisCpuSec, wall), 2),
    },
    failedJobs: options.after.failedJobs - options.before.failedJobs,
    drained: options.drained,
  };
}

/**
 * 1 and 2: statements 0..N-1 stored with the aggregator stopped (the LRS adds their intake
 * jobs), then the aggregator started and timed until every queue is empty; then its idle CPU.
 */
async function backlog(
  f: Fixture,
  config: PipelineConfig,
  deps: PipelineDeps,
): Promise<BacklogResult> {
  const batches = Math.ceil(config.statements / config.batch);
  deps.log(
    `pipeline: storing a backlog of ${config.statements.toLocaleString('en-US')} statements (aggregator stopped)`,
  );
  const storeStarted = performance.now();
  const stored = await deps.load.run(postJob(f, config, 0, { amount: batches }));
  const storeSeconds = round((performance.now() - storeStarted) / 1000);
  if (failedPosts(stored) > 0) {
    throw new Error(
      `storing the backlog failed: ${stored.firstError ?? JSON.stringify(stored.statusCodes)}`,
    );
  }
  const statements = stored.ok * config.batch;
  await f.probes.waitForIdle();

  const stop = await f.probes.start();
  const before = await f.aggregator.measure();
  await f.aggregator.start();
  const drained = await waitForDrain(f, deps.log, 'pipeline backlog');
  const after = await f.aggregator.measure();
  const cost = await stop();

  // With the workers up and nothing to do: what `net` takes out.
  const idleBefore = await f.aggregator.measure();
  const idleStarted = performance.now();
  await sleep(IDLE_SEC * 1000);
  const idleAfter = await f.aggregator.measure();
  const idleCpuUsPerSec =
    (idleAfter.cpuUs - idleBefore.cpuUs) / ((performance.now() - idleStarted) / 1000);

  const evidenceRows = await countedRows(f);
  const leftPending = {
    statements: (await f.lrs.store.outbox.summary()).pending,
    evidenceRows: await f.lrs.store.evidenceOf(DEFAULT_STORE_ID).count('pending'),
  };
  const worker = workerFigures({
    statements,
    batches: stored.ok,
    evidenceRows,
    before,
    after,
    cost,
    idleCpuUsPerSec,
    drained,
  });
  deps.log(
    `pipeline backlog: ${worker.statementsPerSec} stmt/s, ${worker.evidenceRowsPerSec} evidence rows/s, ` +
      `worker CPU ${worker.cpuUsPerStatement} µs/stmt, ${worker.mongoCommandsPerBatch} Mongo cmds/batch`,
  );
  if (leftPending.statements > 0 || leftPending.evidenceRows > 0) {
    deps.log(
      `pipeline backlog: ${leftPending.statements} statements and ${leftPending.evidenceRows} evidence ` +
        `rows still pending with every queue empty (failed jobs: ${after.firstFailure ?? 'none'})`,
    );
  }
  return { storeSeconds, worker, idleCpuUsPerSec: round(idleCpuUsPerSec), leftPending };
}

/** Which issue's target a sustained rate is, if any. */
function rateLabel(rate: number): string {
  if (rate === PIPELINE_TARGETS.rate) return "issue 6's target rate";
  if (rate === LOCAL_SERVER_PIPELINE_TARGETS.rate) return "issue 17's target rate";
  return 'rate asked for';
}

/**
 * 3: POST at `rate` statements per second for `loadSec` with the aggregator running, wait for the
 * pipeline to drain, and read the lag samples the aggregator recorded meanwhile.
 */
async function sustained(
  f: Fixture,
  config: PipelineConfig,
  deps: PipelineDeps,
  options: {
    label: string;
    rate: number;
    firstIndex: number;
    idleCpuUsPerSec: number;
  },
): Promise<{ run: LagRun; nextIndex: number }> {
  // Batches of `config.batch` while that leaves at least one request per second.
  const batch = Math.max(1, Math.min(config.batch, Math.floor(options.rate)));
  const requestRate = options.rate / batch;
  deps.log(
    `pipeline: ${options.rate} stmt/s (${round(requestRate)} POST/s of ${batch}) for ${config.loadSec} s, ${options.label}`,
  );
  await f.probes.waitForIdle();
  const countedBefore = await countedRows(f);
  const storedBefore = await storedStatements(f);
  const stop = await f.probes.start();
  const before = await f.aggregator.measure();
  const started = Date.now();
  const result = await deps.load.run({
    ...postJob(f, config, options.firstIndex, {
      connections: LOAD_CONNECTIONS,
      durationSec: config.loadSec,
      overallRate: requestRate,
    }),
    batch,
  });
  const loadEnded = performance.now();
  // Requests still in flight when the load ended were stored and aggregated too.
  const batches = Math.max(result.sent, result.responses);
  const statements = batches * batch;
  if (!(await waitForStored(f, storedBefore + statements))) {
    deps.log(`pipeline at ${options.rate} stmt/s: fewer statements stored than sent`);
  }
  const drained = await waitForDrain(
    f,
    deps.log,
    `pipeline at ${options.rate} stmt/s`,
    async () => (await f.lrs.store.outbox.summary()).pending === 0,
  );
  const drainAfterLoadSec = round((performance.now() - loadEnded) / 1000);
  const after = await f.aggregator.measure();
  const cost = await stop();
  const now = Date.now();
  const [samples = []] = await readLags(
    deps.redis,
    f.queuePrefix,
    [STATEMENT_DONE_QUEUE],
    now,
    now - started,
  );
  const lag = summarize(samples);
  const latency = summarize(result.latenciesMs);
  const run: LagRun = {
    label: options.label,
    rate: options.rate,
    achievedStatementsPerSec: round(ratio(result.ok * batch, result.durationSec)),
    batch,
    connections: LOAD_CONNECTIONS,
    loadSec: config.loadSec,
    postP50Ms: round(latency.p50),
    postP99Ms: round(latency.p99),
    failedPosts: failedPosts(result),
    drainAfterLoadSec,
    lag: {
      samples: lag.count,
      p50Ms: lag.count === 0 ? null : round(lag.p50),
      p99Ms: lag.count === 0 ? null : round(lag.p99),
      maxMs: lag.count === 0 ? null : round(lag.max),
    },
    worker: workerFigures({
      statements,
      batches,
      evidenceRows: (await countedRows(f)) - countedBefore,
      before,
      after,
      cost,
      idleCpuUsPerSec: options.idleCpuUsPerSec,
      drained,
    }),
  };
  deps.log(
    `pipeline at ${options.rate} stmt/s: achieved ${run.achievedStatementsPerSec} stmt/s, lag p50 ` +
      `${run.lag.p50Ms ?? '-'} ms, p99 ${run.lag.p99Ms ?? '-'} ms (${run.lag.samples} samples), ` +
      `drained ${drainAfterLoadSec} s after the load`,
  );
  return { run, nextIndex: result.nextIndex };
}

async function audit(
  f: Fixture,
  what: 'verify' | 'rebuild',
  statements: number,
): Promise<{ run: AuditRun; outcome: Awaited<ReturnType<AggregatorProcess['audit']>>['outcome'] }> {
  const before = await f.aggregator.measure();
  const started = performance.now();
  const { snapshot: after, outcome } = await f.aggregator.audit(what, DEFAULT_STORE_ID);
  const seconds = (performance.now() - started) / 1000;
  return {
    run: {
      seconds: round(seconds),
      statementsPerSec: round(ratio(statements, seconds)),
      workerCpuSec: round((after.cpuUs - before.cpuUs) / 1e6),
      mongoCommands: after.mongo.commands - before.mongo.commands,
    },
    outcome,
  };
}

function reportDifferences(
  log: (m: string) => void,
  what: string,
  n: number,
  sample: readonly string[],
): void {
  if (n === 0) {
    log(`pipeline: ${what}: no difference`);
    return;
  }
  const bar = '!'.repeat(78);
  log(bar);
  log(`WARNING: ${what} found ${n} difference(s) between the live buckets and the statements.`);
  for (const line of sample) log(`  ${line}`);
  log(bar);
}

/** The pipeline's steps, in order; see the file comment. */
export async function runPipeline(
  config: PipelineConfig,
  deps: PipelineDeps,
): Promise<PipelineResults> {
  const f = await setUp(config, deps);
  if (deps.framework !== null) await importFramework(f, deps.framework);
  const backlogResult = await backlog(f, config, deps);

  const throughput = backlogResult.worker.statementsPerSec;
  const rate = config.rate ?? LOCAL_SERVER_PIPELINE_TARGETS.rate;
  const load: LagRun[] = [];
  const first = await sustained(f, config, deps, {
    label: rateLabel(rate),
    rate,
    // After the backlog's last batch.
    firstIndex: Math.ceil(config.statements / config.batch) * config.batch,
    idleCpuUsPerSec: backlogResult.idleCpuUsPerSec,
  });
  load.push(first.run);
  let targetRateSkipped: string | null = null;
  if (rate < PIPELINE_TARGETS.rate) {
    if (throughput >= PIPELINE_TARGETS.rate) {
      const attempt = await sustained(f, config, deps, {
        label: rateLabel(PIPELINE_TARGETS.rate),
        rate: PIPELINE_TARGETS.rate,
        firstIndex: first.nextIndex,
        idleCpuUsPerSec: backlogResult.idleCpuUsPerSec,
      });
      load.push(attempt.run);
    } else {
      targetRateSkipped =
        `the worker drained a backlog at ${throughput} stmt/s, below the target's ` +
        `${PIPELINE_TARGETS.rate}: at that rate its queue, and so the lag, would grow for as long as the load lasts`;
      deps.log(`pipeline: no attempt at ${PIPELINE_TARGETS.rate} stmt/s: ${targetRateSkipped}`);
    }
  }

  // 4: the audit, with the aggregator stopped as rebuildFromStatements requires.
  await f.aggregator.stop();
  const statements = await storedStatements(f);
  const evidenceRows = await countedRows(f);
  deps.log(
    `pipeline: verify, rebuild and verify over ${statements.toLocaleString('en-US')} statements`,
  );
  const verifyStep = async (label: string) => {
    const step = await audit(f, 'verify', statements);
    const outcome = step.outcome.what === 'verify' ? step.outcome : null;
    reportDifferences(deps.log, label, outcome?.differences ?? 0, outcome?.sample ?? []);
    return { run: step.run, differences: outcome?.differences ?? 0, sample: outcome?.sample ?? [] };
  };
  const verify = await verifyStep('verify');
  const rebuild = await audit(f, 'rebuild', statements);
  const again = await verifyStep('verify after rebuild');
  const peak = await f.aggregator.measure();

  return {
    config: {
      ...config,
      partitions: f.partitions,
      intakeConcurrency: f.intakeConcurrency,
      framework:
        deps.framework === null
          ? null
          : {
              skills: deps.framework.skills.length,
              rules: deps.framework.rules.length,
              tags: deps.framework.tags.length,
            },
    },
    backlog: backlogResult,
    load,
    targetRateSkipped,
    audit: {
      statements,
      evidenceRows,
      verify: {
        ...verify.run,
        differences: verify.differences,
        sample: verify.sample,
      },
      rebuild: {
        ...rebuild.run,
        ...(rebuild.outcome.what === 'rebuild'
          ? {
              rows: rebuild.outcome.rows,
              evidenceRowsPerSec: round(ratio(rebuild.outcome.rows, rebuild.run.seconds)),
              buckets: rebuild.outcome.buckets,
            }
          : { rows: 0, evidenceRowsPerSec: 0, buckets: 0 }),
      },
      verifyAfterRebuild: {
        ...again.run,
        differences: again.differences,
        sample: again.sample,
      },
    },
    peakRssMiB: { worker: round(peak.peakRssMiB) },
  };
}
