// `npm run bench:statements [-- --quick]`: the Statements resource's benchmark (issue 3, "Speed").
//
// This process is the API under test: it starts the local stack (the throw-away local
// MongoDB-compatible server, mongo-java-server in memory, and Redis; or MONGODB_URI / REDIS_URL),
// builds the LRS with buildApp on a loopback port and a bare Fastify "ceiling" app beside it. The
// load comes from a child process (lib/load-worker.ts), so the CPU time, peak RSS and MongoDB
// command monitoring measured here are the API's alone. Steps: POST at batch sizes 1, 10 and 100
// against the ceiling and the LRS, single-statement POST at a fixed rate, a seeded store, GET by id
// and every query shape, and the fixed-rate POST again on the full store; with --peer, the same
// steps against a peer LRS on the same server (lib/peer.ts). It prints tables and writes
// bench/results/<date>-<sha>-statements[-quick].json. Missed targets are reported, never an exit
// code: benchmarks measure, they do not gate.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRedis } from '@cairn/jobs';
import { COLLECTIONS } from '@cairn/store';
import type { Redis } from 'ioredis';
import { startLoadGenerator, type JobSpec, type LoadGenerator } from './lib/load-generator.js';
import type { LoadResult, PostJob } from './lib/load-protocol.js';
import { startLocalStack, type LocalServices } from './lib/local-stack.js';
import {
  childProcesses,
  createProbes,
  processCpuSec,
  processPeakRssMiB,
  type Probes,
} from './lib/probes.js';
import { PAGE_SIZE, QUERY_SHAPES, queryPaths, type QueryPlanOptions } from './lib/query-shapes.js';
import { formatReport, type StatementResults } from './lib/report.js';
import { scenario, type CpuCalibration, type Scenario } from './lib/scenario.js';
import { startCeiling, startLrs, type BenchServer, type LrsUnderTest } from './lib/servers.js';
import { startStatementStub } from './lib/statement-stub.js';
import { datasetFrom, type DatasetInfo, type DatasetSpec } from './lib/datasets.js';
import { documentSteps } from './lib/document-steps.js';
import { compareWithPrevious } from './lib/compare.js';
import { formatComparison, formatMarkdown, type Skipped } from './lib/summary.js';
import { round } from './lib/stats.js';
import { runPipeline, type PipelineResults } from './lib/pipeline-steps.js';
import { checkPipelineTargets, formatPipeline } from './lib/pipeline-report.js';
import { PEERS, startPeer, type PeerLrs, type PeerName } from './lib/peer.js';
import { formatPeer, type PeerResults } from './lib/peer-report.js';
import { checkLocalServerTargets, checkTargets, type TargetCheck } from './lib/targets.js';
import { runReportsBench } from './lib/reports-child.js';

// `--only reports` (npm run bench:reports): the reports' benchmark, bench/reports.ts, with the
// other arguments, which are its own (--help lists them).
{
  const argv = process.argv.slice(2);
  const at = argv.findIndex((a) => a === '--only' || a === '--only=reports');
  const only = argv[at] === '--only=reports' ? 'reports' : argv[at + 1];
  if (at >= 0 && only === 'reports') {
    const rest = argv.filter((_, i) => i !== at && !(argv[at] === '--only' && i === at + 1));
    process.exit(await runReportsBench(rest));
  }
}

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    statements: { type: 'string' },
    duration: { type: 'string' },
    'seed-via': { type: 'string' },
    dataset: { type: 'string' },
    only: { type: 'string' },
    peer: { type: 'string' },
    'pipeline-statements': { type: 'string' },
    'pipeline-batch': { type: 'string' },
    'pipeline-rate': { type: 'string' },
    seed: { type: 'string', default: '20260105' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    'usage: npm run bench -- [--quick] [--only statements|pipeline] [--peer ralph]\n' +
      '                 [--dataset simulated|synthetic] [--statements N] [--duration S]\n' +
      '                 [--seed-via api|lean] [--seed N]\n' +
      '                 [--pipeline-statements N] [--pipeline-batch N] [--pipeline-rate N]\n' +
      '  --quick        5,000 statements, 3 s per step\n' +
      "  --only         statements: issue 3's Statements resource steps alone (npm run bench:statements);\n" +
      "                 pipeline: the skill pipeline's steps alone;\n" +
      "                 reports: the reports' steps alone (npm run bench:reports; -- --help: its options)\n" +
      '  --peer         ralph: the Statements steps against a peer LRS too, on the same local\n' +
      '                 server (bench/peer/ralph.sh installs it under bench/tmp from PyPI)\n' +
      "  --dataset      simulated: the simulator's organisation (default of npm run bench);\n" +
      '                 synthetic: the small generator issue 3 was first measured with\n' +
      '  --statements   statements in the store for the GET steps (default 30,000; 100,000 with\n' +
      '                 --only statements)\n' +
      '  --duration     seconds per measured step (default 10)\n' +
      '  --seed-via     api (default): POST batches of 500 to the LRS; lean: to a second instance\n' +
      '                 whose repository skips the pre-insert reads\n' +
      '  --pipeline-statements  backlog the aggregator drains (default 100,000; 5,000 with --quick)\n' +
      '  --pipeline-batch       statements per POST in the pipeline steps (default 10)\n' +
      "  --pipeline-rate        sustained load of the lag step, stmt/s (default issue 17's 500, then\n" +
      "                         issue 6's 1,000 when the backlog drained at least that fast)\n" +
      'MONGODB_URI / REDIS_URL: use these servers instead of starting throw-away ones.\n',
  );
  process.exit(0);
}
type SeedVia = 'api' | 'lean';
const seedVia = ((value: string | undefined): SeedVia | undefined => {
  if (value === undefined || value === 'api' || value === 'lean') return value;
  process.stderr.write(`--seed-via must be api or lean, got ${value}\n`);
  return process.exit(2);
})(args['seed-via']);

if (args.only !== undefined && args.only !== 'statements' && args.only !== 'pipeline') {
  process.stderr.write(`--only must be statements, pipeline or reports, got ${args.only}\n`);
  process.exit(2);
}
const peerName = ((value: string | undefined): PeerName | null => {
  if (value === undefined || value === 'none') return null;
  const known = PEERS.find((p) => p === value);
  if (known !== undefined) return known;
  process.stderr.write(`--peer must be one of ${PEERS.join(', ')} or none, got ${value}\n`);
  return process.exit(2);
})(args.peer);
if (peerName !== null && args.only === 'pipeline') {
  process.stderr.write('--peer runs the Statements steps, which --only pipeline leaves out\n');
  process.exit(2);
}
if (args.dataset !== undefined && args.dataset !== 'simulated' && args.dataset !== 'synthetic') {
  process.stderr.write(`--dataset must be simulated or synthetic, got ${args.dataset}\n`);
  process.exit(2);
}
/** A positive integer option, or its default; exits with status 2 on anything else. */
function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (Number.isInteger(parsed) && parsed > 0) return parsed;
  process.stderr.write(`--${name} must be a positive integer, got ${value}\n`);
  return process.exit(2);
}
/** The whole harness (issue 5), issue 3's Statements steps alone, or the pipeline's alone. */
const suite: 'all' | 'statements' | 'pipeline' =
  args.only === 'statements' || args.only === 'pipeline' ? args.only : 'all';
const datasetKind = args.dataset ?? (suite === 'statements' ? 'synthetic' : 'simulated');

const config = {
  quick: args.quick,
  suite,
  seed: Number(args.seed),
  // Issues 3's and 17's figures are taken on 100,000; the whole harness's simulated organisation
  // has about 30,000 distinct statements.
  statements: Number(
    args.statements ?? (args.quick ? 5_000 : suite === 'statements' ? 100_000 : 30_000),
  ),
  dataset: (datasetKind === 'simulated'
    ? {
        kind: 'simulated',
        seed: Number(args.seed),
        people: args.quick ? 40 : 300,
        days: args.quick ? 30 : 120,
      }
    : { kind: 'synthetic', seed: Number(args.seed) }) satisfies DatasetSpec as DatasetSpec,
  documentAddresses: 200,
  durationSec: Number(args.duration ?? (args.quick ? 3 : 10)),
  warmupSec: args.quick ? 1 : 3,
  postConnections: 8,
  getConnections: 4,
  batchSizes: [1, 10, 100],
  rate: 200,
  rateConnections: 20,
  seedBatch: 500,
  seedConnections: 2,
  querySamples: 200,
  xapiVersion: '2.0.0' as const,
  // The skill pipeline's steps (lib/pipeline-steps.ts): issue 17 asks for a backlog of 100,000.
  pipeline: {
    statements: positive(
      'pipeline-statements',
      args['pipeline-statements'],
      args.quick ? 5_000 : 100_000,
    ),
    batch: positive('pipeline-batch', args['pipeline-batch'], 10),
    rate:
      args['pipeline-rate'] === undefined
        ? null
        : positive('pipeline-rate', args['pipeline-rate'], 0),
    loadSec: args.quick ? 20 : 60,
  },
};
/**
 * POSTed statements use indexes from here on, never colliding with the seeded 0..N-1. Statement
 * i is stamped 61 s after statement i-1: from 10^6, POSTed statements fall in the 2030s, where a
 * peer that packs seconds into 32 bits (Ralph's ObjectIds) still takes them.
 */
let postIndex = Math.max(1_000_000, config.statements);
let calibration: CpuCalibration = { scryptCpuUs: 0, idleCpuUsPerSec: 0 };
/** Built in main(), before the stack starts, so that its generation time is measured alone. */
let datasetInfo: DatasetInfo;

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const out = (text = '') => process.stdout.write(`${text}\n`);

interface Context {
  readonly services: LocalServices;
  readonly lrs: LrsUnderTest;
  /**
   * The same LRS, whose statements collection the statement stub answers (statement-stub.ts),
   * with probes of its own; or why the stub could not stand in front of this server.
   */
  readonly stubbed: { readonly lrs: LrsUnderTest; readonly probes: Probes } | string;
  readonly ceiling: BenchServer;
  /** The peer LRS on the same local server (--peer), with probes of its own (its process). */
  readonly peer: { readonly lrs: PeerLrs; readonly probes: Probes } | null;
  readonly load: LoadGenerator;
  readonly probes: Probes;
  readonly probeRedis: Redis;
  readonly mongoServerPid: number | null;
  /** Registers a closer that runs when the bench stops. */
  readonly defer: (close: () => Promise<void>) => void;
}

let cleanup: (() => Promise<void>) | null = null;

async function setUp(): Promise<Context> {
  const closers: (() => Promise<void>)[] = [];
  cleanup = async () => {
    for (const close of closers.reverse()) await close().catch((e: unknown) => log(String(e)));
  };
  const services = await startLocalStack(log);
  closers.push(() => services.stop());
  const id = randomBytes(4).toString('hex');
  const lrs = await startLrs({
    mongoUri: services.mongoUri,
    redisUrl: services.redisUrl,
    database: `cairn_bench_${id}`,
    queuePrefix: `cairn-bench-${id}`,
  });
  closers.push(async () => {
    // A throw-away server goes with its data; on the user's own, leave nothing behind.
    if (!services.local.mongo) await lrs.mongo.db(lrs.database).dropDatabase();
    await lrs.close();
  });
  const stub = await startStatementStub(services.mongoUri);
  // The stubbed LRS, or why there is none.
  let stubbedLrs: LrsUnderTest | string = typeof stub === 'string' ? stub : '';
  if (typeof stub !== 'string') {
    closers.push(() => stub.close());
    const started = await startLrs({
      mongoUri: stub.uri,
      redisUrl: services.redisUrl,
      database: `cairn_bench_${id}`,
      queuePrefix: `cairn-bench-${id}`,
    });
    closers.push(() => started.close());
    stubbedLrs = started;
  }
  const ceiling = await startCeiling();
  closers.push(() => ceiling.close());
  const probeRedis = createRedis(services.redisUrl, 'producer');
  await probeRedis.connect();
  closers.push(async () => {
    if (!services.local.redis) {
      const patterns = [
        `cairn-bench-${id}:*`,
        ...[lrs, stubbedLrs].flatMap((l) =>
          typeof l === 'string' ? [] : [`cairn-rate-limit:*${l.key}*`],
        ),
      ];
      for (const pattern of patterns) {
        const keys = await probeRedis.keys(pattern);
        if (keys.length > 0) await probeRedis.del(...keys);
      }
    }
    probeRedis.disconnect();
  });
  const load = startLoadGenerator();
  closers.push(() => load.close());
  // The local server started by scripts/lib/local-services.mjs: `java ... -jar
  // .../cairn-mongo-local.jar`, a child of this process.
  const mongoServerPid = services.local.mongo
    ? (childProcesses(/cairn-mongo-local\.jar/)[0]?.pid ?? null)
    : null;
  if (services.local.mongo && mongoServerPid === null) {
    log('the local server process was not found: no DB server CPU figures');
  }
  const probes = createProbes({
    mongo: lrs.mongo,
    redisSent: lrs.redisSent,
    redis: probeRedis,
    mongoServerPid,
  });
  const stubbed =
    typeof stubbedLrs === 'string'
      ? stubbedLrs
      : {
          lrs: stubbedLrs,
          probes: createProbes({
            mongo: stubbedLrs.mongo,
            redisSent: stubbedLrs.redisSent,
            redis: probeRedis,
            mongoServerPid,
          }),
        };
  let peer: Context['peer'] = null;
  if (peerName !== null) {
    const peerLrs = await startPeer(peerName, {
      mongoUri: services.mongoUri,
      database: `${peerName}_bench_${id}`,
      log,
    });
    closers.push(async () => {
      await peerLrs.close();
      if (!services.local.mongo) await lrs.mongo.db(peerLrs.database).dropDatabase();
    });
    log(`peer: ${peerLrs.description} at ${peerLrs.origin}, database ${peerLrs.database}`);
    peer = {
      lrs: peerLrs,
      probes: createProbes({
        mongo: null,
        redisSent: null,
        redis: probeRedis,
        mongoServerPid,
        apiPid: peerLrs.pid,
      }),
    };
  }
  const defer = (close: () => Promise<void>) => void closers.push(close);
  return {
    services,
    lrs,
    stubbed,
    ceiling,
    peer,
    load,
    probes,
    probeRedis,
    mongoServerPid,
    defer,
  };
}

function headers(lrs: LrsUnderTest | null): Record<string, string> {
  return {
    'x-experience-api-version': config.xapiVersion,
    ...(lrs !== null ? { authorization: lrs.authorization } : {}),
  };
}

/**
 * Where a step goes: the ceiling, the LRS, the LRS whose statements are stubbed, or the peer.
 */
type PostTarget = 'lrs' | 'ceiling' | 'stubbed' | 'peer';

function lrsOf(ctx: Context, target: Exclude<PostTarget, 'peer'>): LrsUnderTest | null {
  if (target === 'ceiling') return null;
  if (target === 'lrs') return ctx.lrs;
  if (typeof ctx.stubbed === 'string') throw new Error(`no stubbed LRS: ${ctx.stubbed}`);
  return ctx.stubbed.lrs;
}

/** The origin, Statements path and headers of a target. */
function endpoint(
  ctx: Context,
  target: PostTarget,
): { origin: string; path: string; headers: Record<string, string> } {
  if (target === 'peer') {
    if (ctx.peer === null) throw new Error('no peer LRS');
    const peer = ctx.peer.lrs;
    return {
      origin: peer.origin,
      path: peer.statementsPath,
      headers: {
        'x-experience-api-version': config.xapiVersion,
        authorization: peer.authorization,
      },
    };
  }
  const lrs = lrsOf(ctx, target);
  return {
    origin: lrs?.origin ?? ctx.ceiling.origin,
    path: '/xapi/statements',
    headers: headers(lrs),
  };
}

function postJob(
  ctx: Context,
  target: PostTarget,
  batch: number,
  extra: Partial<Omit<PostJob, 'id' | 'kind'>> = {},
): Omit<PostJob, 'id'> {
  return {
    kind: 'post',
    ...endpoint(ctx, target),
    dataset: config.dataset,
    batch,
    firstIndex: postIndex,
    connections: config.postConnections,
    durationSec: config.durationSec,
    timeoutSec: 600,
    ...extra,
  };
}

async function runJob(ctx: Context, job: JobSpec): Promise<LoadResult> {
  const result = await ctx.load.run(job.kind === 'post' ? { ...job, firstIndex: postIndex } : job);
  if (job.kind === 'post') postIndex = Math.max(postIndex, result.nextIndex);
  return result;
}

/** The job without its rate limit: one connection, `amount` requests, one after another. */
function sequential(job: JobSpec, amount: number): JobSpec {
  const { overallRate: _rate, ...rest } = job;
  return { ...rest, connections: 1, amount };
}

/**
 * The job for the rest of a step whose first `sent` requests were made alone: a PUT step (new
 * documents, no precondition) goes on with the paths it has not written yet.
 */
function afterFirst(job: JobSpec, sent: number): JobSpec {
  if (job.kind !== 'get' || job.method !== 'PUT') return job;
  return { ...job, paths: job.paths.slice(sent) };
}

/**
 * One measured step. A first request alone tells how long one takes; when three of those fit in
 * what is left of the step, the rest of the step runs at the job's connections (and rate);
 * otherwise single requests follow one another while they fit (a peer that scans a large store),
 * and the step has at least that first one. `calibration` is the API process's unless given (a
 * peer's process has its own idle CPU).
 * `fixed` runs the job as given (the seeding).
 */
async function step(
  ctx: Context,
  name: string,
  job: JobSpec,
  options: { batch: number; targetRate?: number; fixed?: boolean; calibration?: CpuCalibration },
): Promise<{ scenario: Scenario; runs: LoadResult[] }> {
  await ctx.probes.waitForIdle();
  const stop = await ctx.probes.start();
  const started = performance.now();
  const runs: LoadResult[] = [];
  let mode: Scenario['mode'] = 'load';
  if (options.fixed === true) {
    runs.push(await runJob(ctx, job));
  } else {
    const first = await runJob(ctx, sequential(job, 1));
    runs.push(first);
    job = afterFirst(job, first.sent);
    const oneSec = (first.latenciesMs[0] ?? first.durationSec * 1000) / 1000;
    const left = config.durationSec - (performance.now() - started) / 1000;
    if (oneSec * 3 <= left) {
      runs.push(await runJob(ctx, { ...job, durationSec: Math.max(1, Math.round(left)) }));
    } else {
      mode = 'sequential';
      const amount = Math.floor(left / oneSec);
      if (amount >= 1) runs.push(await runJob(ctx, sequential(job, amount)));
    }
  }
  await ctx.probes.waitForIdle();
  const cost = await stop();
  const s = scenario(
    name,
    { ...options, connections: job.connections, mode },
    runs,
    cost,
    options.calibration ?? calibration,
  );
  const failed = s.load.non2xx + s.load.errors;
  log(
    `${name}: ${s.figures.requestsPerSec} req/s, p50 ${s.figures.latencyMs.p50} ms, ` +
      `p99 ${s.figures.latencyMs.p99} ms (n=${s.figures.latencyMs.count}${mode === 'sequential' ? ', one at a time' : ''})` +
      (failed > 0 ? `, ${failed} FAILED: ${JSON.stringify(s.load.statusCodes)}` : ''),
  );
  if (failed > 0 && s.load.firstError !== null) log(`  first error: ${s.load.firstError}`);
  return { scenario: s, runs };
}

/** The statements collection of the LRS, or of the peer. */
function statementsOf(ctx: Context, who: 'lrs' | 'peer') {
  const peer = ctx.peer?.lrs;
  if (who === 'peer' && peer === undefined) throw new Error('no peer LRS');
  return who === 'peer' && peer !== undefined
    ? ctx.lrs.mongo.db(peer.database).collection(peer.collection)
    : ctx.lrs.mongo.db(ctx.lrs.database).collection(COLLECTIONS.statements);
}

/** Empties the statements collection, so that each POST step starts from the same store. */
async function resetStatements(ctx: Context, who: 'lrs' | 'peer' = 'lrs'): Promise<void> {
  await ctx.probes.waitForIdle();
  await statementsOf(ctx, who)
    .drop()
    .catch(() => undefined);
  if (who === 'lrs') await ctx.lrs.store.ensureIndexes();
}

async function countStatements(ctx: Context, who: 'lrs' | 'peer' = 'lrs'): Promise<number> {
  return statementsOf(ctx, who).countDocuments({});
}

/** CPU per second, µs, of a process with nothing to do, over 2 s; `cpuUs` reads its total. */
async function idleCpu(cpuUs: () => number): Promise<number> {
  const before = cpuUs();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  return (cpuUs() - before) / ((performance.now() - started) / 1000);
}

/** The API process's fixed costs: one credential verification, and its CPU when idle. */
async function calibrate(ctx: Context): Promise<CpuCalibration> {
  await ctx.probes.waitForIdle();
  const idle = await idleCpu(() => {
    const cpu = process.cpuUsage();
    return cpu.user + cpu.system;
  });
  return {
    // The credential cache reads a known credential again after its TTL instead of verifying
    // the secret again (services/lrs credential-cache.ts): the one scrypt per key is spent in
    // the warm-up, and later credential look-ups cost a read, which the raw CPU counts.
    scryptCpuUs: 0,
    idleCpuUsPerSec: idle,
  };
}

async function warmUp(ctx: Context): Promise<void> {
  log(`warming up both apps (${config.warmupSec} s each)`);
  for (const target of ['ceiling', 'lrs'] as const) {
    const r = await runJob(ctx, postJob(ctx, target, 10, { durationSec: config.warmupSec }));
    if (r.ok === 0) {
      throw new Error(
        `warm-up of the ${target} failed: ${r.firstError ?? JSON.stringify(r.statusCodes)}`,
      );
    }
  }
}

/**
 * Statements 0..N-1 into an empty store, through the API in batches: the LRS itself, or (`lean`)
 * its seeding twin that skips the pre-insert reads (see LrsUnderTest.seedingOrigin), or the peer.
 */
async function seed(
  ctx: Context,
  via: SeedVia,
  who: 'lrs' | 'peer' = 'lrs',
): Promise<{ scenario: Scenario; seeded: StatementResults['seeded']; plan: QueryPlanOptions }> {
  await resetStatements(ctx, who);
  log(`seeding ${config.statements.toLocaleString('en-US')} statements (${who}, ${via})`);
  const job = postJob(ctx, who, config.seedBatch, {
    ...(via === 'lean' && who === 'lrs' ? { origin: ctx.lrs.seedingOrigin } : {}),
    connections: config.seedConnections,
    amount: Math.ceil(config.statements / config.seedBatch),
  });
  const saved = postIndex;
  postIndex = 0;
  const started = performance.now();
  const { scenario } = await step(
    ctx,
    `${who === 'peer' ? `${ctx.peer?.lrs.name ?? 'peer'} ` : ''}seed: batch ${config.seedBatch}${via === 'lean' ? ', lean' : ''}`,
    job,
    { batch: config.seedBatch, fixed: true },
  );
  postIndex = saved;
  const seconds = round((performance.now() - started) / 1000);
  const storedTotal = await countStatements(ctx, who);
  log(`the store holds ${storedTotal.toLocaleString('en-US')} statements`);
  const plan: QueryPlanOptions = {
    dataset: datasetInfo.dataset,
    seeded: config.statements,
    storedFrom: new Date(Date.now() - seconds * 1000),
    storedTo: new Date(),
    samples: config.querySamples,
    seed: config.seed,
    ...(who === 'peer' ? { base: endpoint(ctx, 'peer').path } : {}),
  };
  return {
    scenario,
    seeded: { via, requested: config.statements, storedTotal, seconds },
    plan,
  };
}

/** GET every query shape of QUERY_SHAPES, against the LRS or the peer; `more` follows `verb`. */
async function getSteps(
  ctx: Context,
  who: 'lrs' | 'peer',
  plan: QueryPlanOptions,
  prefix: string,
  calibrated?: CpuCalibration,
): Promise<Scenario[]> {
  const get: Scenario[] = [];
  let moreLinks: string[] = [];
  const { origin, headers: h } = endpoint(ctx, who);
  for (const shape of QUERY_SHAPES) {
    const paths = shape === 'more' ? moreLinks : queryPaths(shape, plan);
    if (paths.length === 0) {
      log(`${prefix}GET ${shape}: skipped, no page had a more link`);
      continue;
    }
    const { scenario: s, runs } = await step(
      ctx,
      `${prefix}GET ${shape}`,
      {
        kind: 'get',
        origin,
        headers: h,
        paths,
        connections: config.getConnections,
        durationSec: config.durationSec,
        timeoutSec: 600,
        ...(shape === 'verb' ? { collectMore: config.querySamples } : {}),
      },
      { batch: 1, ...(calibrated !== undefined ? { calibration: calibrated } : {}) },
    );
    if (shape === 'verb') moreLinks = runs.flatMap((r) => r.moreLinks);
    get.push(s);
  }
  return get;
}

/** The single-statement POST at config.rate, against `target`, measured with `on`'s probes. */
async function atRate(
  ctx: Context,
  label: string,
  on: Context = ctx,
  target: PostTarget = 'lrs',
  calibrated?: CpuCalibration,
): Promise<Scenario> {
  const who = target === 'peer' ? `${ctx.peer?.lrs.name ?? 'peer'}` : 'LRS';
  const { scenario } = await step(
    on,
    `${who}, batch 1 at ${config.rate}/s, ${label}`,
    postJob(ctx, target, 1, {
      overallRate: config.rate,
      connections: config.rateConnections,
    }),
    {
      batch: 1,
      targetRate: config.rate,
      ...(calibrated !== undefined ? { calibration: calibrated } : {}),
    },
  );
  return scenario;
}

/**
 * The peer's Statements steps, as the LRS's: POST at each batch size (each on an empty store),
 * the rate step on an empty store, the seeding through its API, the GETs, the rate step on the
 * full store. Its CPU is its own process's (/proc), net of its idle CPU measured here.
 */
async function runPeer(ctx: Context): Promise<PeerResults | null> {
  if (ctx.peer === null) return null;
  const peer = ctx.peer.lrs;
  const on: Context = { ...ctx, probes: ctx.peer.probes };
  const name = peer.name;
  log(`${name}: warming up (${config.warmupSec} s)`);
  await runJob(on, postJob(on, 'peer', 10, { durationSec: config.warmupSec }));
  const idle = await idleCpu(() => (processCpuSec(peer.pid) ?? 0) * 1e6);
  const peerCalibration: CpuCalibration = { scryptCpuUs: 0, idleCpuUsPerSec: idle };
  log(`${name}: idle ${round(idle / 1000)} ms CPU/s`);
  const post: Scenario[] = [];
  for (const batch of config.batchSizes) {
    await resetStatements(on, 'peer');
    const { scenario } = await step(on, `${name}, batch ${batch}`, postJob(on, 'peer', batch), {
      batch,
      calibration: peerCalibration,
    });
    post.push(scenario);
  }
  await resetStatements(on, 'peer');
  const rateRuns = [await atRate(on, 'empty store', on, 'peer', peerCalibration)];
  const seeded = await seed(on, 'api', 'peer');
  const get = await getSteps(on, 'peer', seeded.plan, `${name} `, peerCalibration);
  rateRuns.push(
    await atRate(
      on,
      `${seeded.seeded.storedTotal.toLocaleString('en-US')} stored`,
      on,
      'peer',
      peerCalibration,
    ),
  );
  return {
    name,
    description: peer.description,
    caveats: peer.caveats,
    calibration: peerCalibration,
    post,
    atRate: rateRuns,
    seeding: seeded.scenario,
    seeded: seeded.seeded,
    get,
  };
}

async function runAll(ctx: Context, via: SeedVia): Promise<StatementResults> {
  await warmUp(ctx);
  calibration = await calibrate(ctx);
  log(`calibration: idle ${round(calibration.idleCpuUsPerSec / 1000)} ms CPU/s`);

  // POST as fast as the server answers at each batch size: the ceiling, then the LRS, each LRS
  // step on an empty store so that batch sizes are compared on equal terms.
  const ceiling: Scenario[] = [];
  const post: Scenario[] = [];
  for (const batch of config.batchSizes) {
    const c = await step(ctx, `ceiling, batch ${batch}`, postJob(ctx, 'ceiling', batch), {
      batch,
    });
    ceiling.push(c.scenario);
    await resetStatements(ctx);
    post.push(
      (await step(ctx, `LRS, batch ${batch}`, postJob(ctx, 'lrs', batch), { batch })).scenario,
    );
  }
  await resetStatements(ctx);
  const rateRuns = [await atRate(ctx, 'empty store')];

  // The same POSTs with the statements collection answered by the stub: the API's own cost.
  // Steps against the stubbed LRS count its own commands (its MongoClient, its Redis connection).
  const stubbed: Scenario[] = [];
  if (typeof ctx.stubbed === 'string') {
    log(`statements stubbed: skipped, ${ctx.stubbed}`);
  } else {
    const stubbedCtx = { ...ctx, probes: ctx.stubbed.probes };
    for (const batch of config.batchSizes) {
      const name = `LRS, batch ${batch}, statements stubbed`;
      stubbed.push(
        (await step(stubbedCtx, name, postJob(ctx, 'stubbed', batch), { batch })).scenario,
      );
    }
    stubbed.push(await atRate(ctx, 'statements stubbed', stubbedCtx, 'stubbed'));
  }

  const { scenario: seeding, seeded, plan } = await seed(ctx, via);
  const get = await getSteps(ctx, 'lrs', plan, '');
  rateRuns.push(await atRate(ctx, `${seeded.storedTotal.toLocaleString('en-US')} stored`));

  const documents: Scenario[] = [];
  if (config.suite === 'all') {
    for (const d of documentSteps(plan.dataset, config.statements, config.documentAddresses)) {
      const { scenario: s } = await step(
        ctx,
        d.name,
        {
          kind: 'get',
          origin: ctx.lrs.origin,
          headers: {
            ...headers(ctx.lrs),
            ...(d.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          paths: d.paths,
          method: d.method,
          ...(d.body !== undefined ? { body: d.body } : {}),
          connections: config.getConnections,
          durationSec: config.durationSec,
          timeoutSec: 600,
        },
        { batch: 1 },
      );
      documents.push(s);
    }
  }
  return {
    documents,
    ceiling,
    post,
    atRate: rateRuns,
    stubbed,
    seeding,
    seeded,
    get,
    pageSize: PAGE_SIZE,
  };
}

// ---------------------------------------------------------------------------------------------

function gitDescription(): { sha: string; dirty: boolean } {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' });
    return { sha, dirty: status.trim() !== '' };
  } catch {
    return { sha: 'nogit', dirty: false };
  }
}

/** mongo-java-server's version as tools/mongo-local/pom.xml pins it. */
function pinnedMongoJavaServerVersion(): string | null {
  try {
    const pom = readFileSync(new URL('../tools/mongo-local/pom.xml', import.meta.url), 'utf8');
    return /<mongo-java-server\.version>([^<]+)</.exec(pom)?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

interface ServerDescription {
  readonly mongo: string;
  readonly redis: string;
  /**
   * mongo-java-server (the local server), which builds no secondary index: every query that is
   * not on `_id` scans its collection (docs/local-server.md).
   */
  readonly isLocalServer: boolean;
}

async function describeServers(ctx: Context): Promise<ServerDescription> {
  const admin = ctx.lrs.mongo.db('admin');
  const info = await admin.command({ buildInfo: 1 });
  // Ours when the bench started it (its java process is our child); otherwise told by `hello`:
  // mongo-java-server answers buildInfo as MongoDB 4.4.0 (the launcher's ReportedVersion) but has
  // no `hello`, which every MongoDB since 4.4.2 answers (it logs the refusal with a stack trace,
  // hence not asked of our own).
  const isLocalServer =
    ctx.mongoServerPid !== null ||
    (await admin.command({ hello: 1 }).then(
      () => false,
      () => true,
    ));
  const where = (local: boolean) => (local ? 'local, started by the bench' : 'external');
  let mongo = `MongoDB ${String(info['version'])}`;
  if (isLocalServer) {
    const version = ctx.services.local.mongo ? pinnedMongoJavaServerVersion() : null;
    const ours = ctx.services.local.mongo
      ? childProcesses(/cairn-mongo-local\.jar/).find((p) => p.pid === ctx.mongoServerPid)
      : undefined;
    const backend =
      ours === undefined ? 'backend unknown' : / --file /.test(ours.cmdline) ? 'file' : 'memory';
    mongo =
      `mongo-java-server ${version ?? '(version unknown)'} (${backend}), ` +
      `reporting MongoDB ${String(info['version'])}`;
  }
  const redisInfo = await ctx.probeRedis.info('server');
  const redisVersion = /^redis_version:(\S+)/m.exec(redisInfo)?.[1] ?? '?';
  return {
    mongo: `${mongo}, ${where(ctx.services.local.mongo)}`,
    redis: `Redis ${redisVersion}, ${where(ctx.services.local.redis)}`,
    isLocalServer,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAverageAtStart = os.loadavg().map((l) => round(l));
  const git = gitDescription();
  log(
    `${config.quick ? 'quick' : 'full'} run (${config.suite}): ` +
      `${config.statements.toLocaleString('en-US')} statements, ${config.durationSec} s per step; ` +
      `load average ${loadAverageAtStart.join(', ')}`,
  );
  datasetInfo = datasetFrom(config.dataset);
  if (datasetInfo.generation !== null) {
    log(
      `simulated dataset: ${datasetInfo.distinct?.toLocaleString('en-US')} distinct statements ` +
        `generated in ${round(datasetInfo.generation.seconds)} s ` +
        `(${datasetInfo.generation.statementsPerSec.toLocaleString('en-US')} stmt/s)`,
    );
  }
  const ctx = await setUp();
  const servers = await describeServers(ctx);
  log(`servers: ${servers.mongo}; ${servers.redis}`);
  const via: SeedVia = seedVia ?? 'api';
  const statementResults = config.suite === 'pipeline' ? null : await runAll(ctx, via);
  const peer = config.suite === 'pipeline' ? null : await runPeer(ctx);
  const pipeline: PipelineResults | null =
    config.suite === 'statements'
      ? null
      : await runPipeline(
          {
            ...config.pipeline,
            dataset: config.dataset,
            postVia: via,
            xapiVersion: config.xapiVersion,
          },
          {
            services: ctx.services,
            load: ctx.load,
            redis: ctx.probeRedis,
            mongoServerPid: ctx.mongoServerPid,
            framework: datasetInfo.framework,
            defer: ctx.defer,
            log,
          },
        );
  const results = { ...statementResults, peer, pipeline };
  const pipelineTargets = pipeline === null ? [] : checkPipelineTargets(pipeline);
  const peakRssMiB = {
    api: process.resourceUsage().maxRSS / 1024,
    mongoServer: ctx.mongoServerPid === null ? null : processPeakRssMiB(ctx.mongoServerPid),
  };
  const targets: TargetCheck[] =
    statementResults === null ? [] : statementTargets(statementResults);
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString(),
    git,
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpus: cpus.length,
      totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      // Other jobs on this machine share its cores: the 1, 5 and 15-minute load averages.
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg().map((l) => round(l)),
    },
    node: process.version,
    servers: { mongo: servers.mongo, redis: servers.redis },
    config: { ...config, seedVia: via, peer: peerName },
    durationSec: round((Date.now() - started) / 1000),
  };
  const parts: string[] = [];
  if (statementResults !== null) {
    parts.push(
      formatReport(statementResults, {
        cores: cpus.length,
        calibration,
        servers: meta.servers,
        peakRssMiB,
        targets,
        documentAddresses: config.documentAddresses,
        localServer: servers.isLocalServer,
      }),
    );
  }
  if (statementResults !== null && peer !== null) parts.push(formatPeer(statementResults, peer));
  if (pipeline !== null) parts.push(formatPipeline(pipeline, pipelineTargets));
  const report = parts.join('\n\n');
  out();
  out(report);
  const skipped: Skipped[] = [
    ...(config.suite === 'all'
      ? [
          {
            part: 'report latencies',
            reason:
              'they have a harness of their own, npm run bench:reports (bench/reports.ts), whose full size takes about 25 minutes more',
          },
        ]
      : []),
    ...(statementResults !== null && typeof ctx.stubbed === 'string'
      ? [{ part: 'the statements stubbed steps', reason: ctx.stubbed }]
      : []),
  ];
  for (const s of skipped) out(`Skipped: ${s.part}: ${s.reason}.`);
  const dataset = {
    spec: config.dataset,
    distinctStatements: datasetInfo.distinct,
    generation: datasetInfo.generation,
  };

  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const kind = `${config.suite === 'all' ? '' : `-${config.suite}`}${config.quick ? '-quick' : ''}`;
  const base = `${meta.date.slice(0, 10)}-${git.sha}${kind}`;
  const comparison = compareWithPrevious(dir, `${base}.json`, { meta, results });
  out();
  out(formatComparison(comparison));
  writeFileSync(
    join(dir, `${base}.json`),
    `${JSON.stringify({ meta, dataset, calibration, peakRssMiB, targets: [...targets, ...pipelineTargets], skipped, comparison, results }, null, 2)}\n`,
  );
  const titles = {
    all: 'Cairn benchmark',
    statements: 'Cairn benchmark: Statements resource',
    pipeline: 'Cairn benchmark: skill pipeline',
  } as const;
  const argv = process.argv.slice(2);
  writeFileSync(
    join(dir, `${base}.md`),
    formatMarkdown({
      title: titles[config.suite],
      meta,
      command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
      report,
      skipped,
      comparison,
    }),
  );
  out();
  out(`Written to ${join(dir, base)}.json and .md after ${meta.durationSec} s.`);
}

/** Issues 3's and 17's targets for the Statements resource. */
function statementTargets(r: StatementResults): TargetCheck[] {
  const stored = r.atRate.filter((s) => s.name.endsWith(' stored')).at(-1);
  return [
    ...checkLocalServerTargets({
      stored: r.seeded.storedTotal,
      rate: config.rate,
      atRateStored: stored?.figures,
      batch100: r.post.find((s) => s.batch === 100)?.figures,
      getByShape: new Map(r.get.map((s) => [s.name.replace(/^GET /, ''), s.figures])),
    }),
    ...checkTargets({
      postByBatch: new Map(r.post.map((s) => [s.batch, s.figures])),
      atRate: r.atRate.map((s) => ({
        label: s.name.replace(/^.*\/s, /, ''),
        rate: config.rate,
        figures: s.figures,
      })),
      stubbed: {
        postByBatch: new Map(
          r.stubbed.filter((s) => s.targetRate === null).map((s) => [s.batch, s.figures]),
        ),
        atRate: r.stubbed
          .filter((s) => s.targetRate !== null)
          .map((s) => ({ rate: config.rate, figures: s.figures })),
      },
    }),
  ];
}

let stopping: Promise<never> | null = null;

/** Closes everything once (a signal and the failure it causes both end up here), then exits. */
function stop(code: number): Promise<never> {
  stopping ??= (async () => {
    if (cleanup !== null) await cleanup();
    process.exit(code);
  })();
  return stopping;
}

process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));
main().then(
  () => stop(0),
  async (error: unknown) => {
    log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stop(1);
  },
);
