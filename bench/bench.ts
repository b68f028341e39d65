// `npm run bench:statements [-- --quick]`: the Statements resource's benchmark (issue 3, "Speed").
//
// This process is the API under test: it starts the local stack (throw-away FerretDB and Redis,
// or MONGODB_URI / REDIS_URL), builds the LRS with buildApp on a loopback port and a bare Fastify
// "ceiling" app beside it. The load comes from a child process (lib/load-worker.ts), so the CPU time, peak
// RSS and MongoDB command monitoring measured here are the API's alone. Steps: POST at batch
// sizes 1, 10 and 100 against the ceiling and the LRS, single-statement POST at a fixed rate, a
// seeded store, GET by id and every query shape, and the fixed-rate POST again on the full store.
// It prints tables and writes bench/results/<date>-<sha>-statements[-quick].json. Missed targets
// are reported, never an exit code: benchmarks measure, they do not gate.
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
import { childProcesses, createProbes, processPeakRssMiB, type Probes } from './lib/probes.js';
import { PAGE_SIZE, QUERY_SHAPES, queryPaths } from './lib/query-shapes.js';
import { formatReport, type StatementResults } from './lib/report.js';
import { scenario, type CpuCalibration, type Scenario } from './lib/scenario.js';
import { startCeiling, startLrs, type BenchServer, type LrsUnderTest } from './lib/servers.js';
import { startStatementStub } from './lib/statement-stub.js';
import { datasetFrom, type DatasetInfo, type DatasetSpec } from './lib/datasets.js';
import { documentSteps } from './lib/document-steps.js';
import { compareWithPrevious } from './lib/compare.js';
import { formatComparison, formatMarkdown, type Skipped } from './lib/summary.js';
import { round } from './lib/stats.js';
import { checkTargets } from './lib/targets.js';
import { runPipeline } from './lib/pipeline-steps.js';
import { checkPipelineTargets, formatPipeline } from './lib/pipeline-report.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    statements: { type: 'string' },
    duration: { type: 'string' },
    'seed-via': { type: 'string' },
    dataset: { type: 'string' },
    only: { type: 'string' },
    'pipeline-statements': { type: 'string' },
    'pipeline-batch': { type: 'string' },
    'pipeline-rate': { type: 'string' },
    seed: { type: 'string', default: '20260105' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    'usage: npm run bench -- [--quick] [--only statements] [--dataset simulated|synthetic]\n' +
      '                 [--statements N] [--duration S] [--seed-via api|lean] [--seed N]\n' +
      '                 [--pipeline-statements N] [--pipeline-batch N] [--pipeline-rate N]\n' +
      '  --quick        5,000 statements, 3 s per step (under 4 minutes on FerretDB)\n' +
      "  --only         statements: issue 3's Statements resource steps alone (npm run bench:statements)\n" +
      "  --dataset      simulated: the simulator's organisation (default of npm run bench);\n" +
      '                 synthetic: the small generator issue 3 was first measured with\n' +
      '  --statements   statements in the store for the GET steps (default 30,000; 100,000 with\n' +
      '                 --only statements)\n' +
      '  --duration     seconds per measured step (default 10)\n' +
      '  --seed-via     api: POST batches of 500 to the LRS; lean: to a second instance whose\n' +
      '                 repository skips the pre-insert reads (default: api on MongoDB, lean on\n' +
      '                 FerretDB, where those reads scan the whole collection)\n' +
      '  --pipeline-statements  backlog the aggregator drains (default 400; 200 with --quick)\n' +
      '  --pipeline-batch       statements per POST in the pipeline steps (default 10)\n' +
      '  --pipeline-rate        sustained load of the lag step, stmt/s (default 1,000; on FerretDB\n' +
      '                         half the throughput measured on the backlog)\n' +
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

if (args.only !== undefined && args.only !== 'statements') {
  process.stderr.write(`--only must be statements, got ${args.only}\n`);
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
/** The whole harness (issue 5), or issue 3's Statements steps alone. */
const suite: 'all' | 'statements' = args.only === 'statements' ? 'statements' : 'all';
const datasetKind = args.dataset ?? (suite === 'all' ? 'simulated' : 'synthetic');

const config = {
  quick: args.quick,
  suite,
  seed: Number(args.seed),
  // The full harness stays under 20 minutes on FerretDB, where every GET scans the whole store;
  // issue 3's own figures were taken on 100,000.
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
  // The skill pipeline's steps (lib/pipeline-steps.ts). On FerretDB every batch scans the
  // statements, evidence and buckets several times, so its throughput falls as the store grows:
  // these sizes keep the steps within about 1 (quick) and 4 minutes there, and a sustained load
  // of at least one POST per second still within what the worker drains.
  pipeline: {
    statements: positive(
      'pipeline-statements',
      args['pipeline-statements'],
      args.quick ? 200 : 400,
    ),
    batch: positive('pipeline-batch', args['pipeline-batch'], 10),
    rate:
      args['pipeline-rate'] === undefined
        ? null
        : positive('pipeline-rate', args['pipeline-rate'], 0),
    loadSec: args.quick ? 20 : 60,
  },
};
/** POSTed statements use indexes from here on, never colliding with the seeded 0..N-1. */
let postIndex = 1_000_000_000;
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
  const mongoServerPid = services.local.mongo ? (childProcesses(/ferret/i)[0]?.pid ?? null) : null;
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
  const defer = (close: () => Promise<void>) => void closers.push(close);
  return {
    services,
    lrs,
    stubbed,
    ceiling,
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

/** Where a POST step goes: the ceiling, the LRS, or the LRS whose statements are stubbed. */
type PostTarget = 'lrs' | 'ceiling' | 'stubbed';

function lrsOf(ctx: Context, target: PostTarget): LrsUnderTest | null {
  if (target === 'ceiling') return null;
  if (target === 'lrs') return ctx.lrs;
  if (typeof ctx.stubbed === 'string') throw new Error(`no stubbed LRS: ${ctx.stubbed}`);
  return ctx.stubbed.lrs;
}

function postJob(
  ctx: Context,
  target: PostTarget,
  batch: number,
  extra: Partial<Omit<PostJob, 'id' | 'kind'>> = {},
): Omit<PostJob, 'id'> {
  return {
    kind: 'post',
    origin: lrsOf(ctx, target)?.origin ?? ctx.ceiling.origin,
    path: '/xapi/statements',
    headers: headers(lrsOf(ctx, target)),
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
 * otherwise single requests follow one another while they fit (FerretDB on a large store), and
 * the step has at least that first one.
 * `fixed` runs the job as given (the seeding).
 */
async function step(
  ctx: Context,
  name: string,
  job: JobSpec,
  options: { batch: number; targetRate?: number; fixed?: boolean },
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
    calibration,
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

/** Empties the statements collection, so that each POST step starts from the same store. */
async function resetStatements(ctx: Context): Promise<void> {
  await ctx.probes.waitForIdle();
  await ctx.lrs.mongo
    .db(ctx.lrs.database)
    .collection(COLLECTIONS.statements)
    .drop()
    .catch(() => undefined);
  await ctx.lrs.store.ensureIndexes();
}

async function countStatements(ctx: Context): Promise<number> {
  return ctx.lrs.mongo.db(ctx.lrs.database).collection(COLLECTIONS.statements).countDocuments({});
}

/** The API process's fixed costs: one credential verification, and its CPU when idle. */
async function calibrate(ctx: Context): Promise<CpuCalibration> {
  await ctx.probes.waitForIdle();
  const before = process.cpuUsage();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idle = process.cpuUsage(before);
  const seconds = (performance.now() - started) / 1000;
  return {
    // The credential cache reads a known credential again after its TTL instead of verifying
    // the secret again (services/lrs credential-cache.ts): the one scrypt per key is spent in
    // the warm-up, and later credential look-ups cost a read, which the raw CPU counts.
    scryptCpuUs: 0,
    idleCpuUsPerSec: (idle.user + idle.system) / seconds,
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
 * its seeding twin that skips the pre-insert reads (see LrsUnderTest.seedingOrigin).
 */
async function seed(ctx: Context, via: SeedVia): Promise<Scenario> {
  await resetStatements(ctx);
  log(`seeding ${config.statements.toLocaleString('en-US')} statements (${via})`);
  const job = postJob(ctx, 'lrs', config.seedBatch, {
    ...(via === 'lean' ? { origin: ctx.lrs.seedingOrigin } : {}),
    connections: config.seedConnections,
    amount: Math.ceil(config.statements / config.seedBatch),
  });
  const saved = postIndex;
  postIndex = 0;
  const { scenario: s } = await step(
    ctx,
    `seed: batch ${config.seedBatch}${via === 'lean' ? ', lean' : ''}`,
    job,
    { batch: config.seedBatch, fixed: true },
  );
  postIndex = saved;
  return s;
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
  const atRate = async (label: string, on: Context = ctx, target: PostTarget = 'lrs') =>
    (
      await step(
        on,
        `LRS, batch 1 at ${config.rate}/s, ${label}`,
        postJob(ctx, target, 1, {
          overallRate: config.rate,
          connections: config.rateConnections,
        }),
        { batch: 1, targetRate: config.rate },
      )
    ).scenario;
  await resetStatements(ctx);
  const rateRuns = [await atRate('empty store')];

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
    stubbed.push(await atRate('statements stubbed', stubbedCtx, 'stubbed'));
  }

  const seedStarted = performance.now();
  const seeding = await seed(ctx, via);
  const seconds = round((performance.now() - seedStarted) / 1000);
  const storedTotal = await countStatements(ctx);
  log(`the store holds ${storedTotal.toLocaleString('en-US')} statements`);

  const plan = {
    dataset: datasetInfo.dataset,
    seeded: config.statements,
    storedFrom: new Date(Date.now() - seconds * 1000),
    storedTo: new Date(),
    samples: config.querySamples,
    seed: config.seed,
  };
  const get: Scenario[] = [];
  let moreLinks: string[] = [];
  for (const shape of QUERY_SHAPES) {
    const paths = shape === 'more' ? moreLinks : queryPaths(shape, plan);
    if (paths.length === 0) {
      log(`GET ${shape}: skipped, no page had a more link`);
      continue;
    }
    const { scenario: s, runs } = await step(
      ctx,
      `GET ${shape}`,
      {
        kind: 'get',
        origin: ctx.lrs.origin,
        headers: headers(ctx.lrs),
        paths,
        connections: config.getConnections,
        durationSec: config.durationSec,
        timeoutSec: 600,
        ...(shape === 'verb' ? { collectMore: config.querySamples } : {}),
      },
      { batch: 1 },
    );
    if (shape === 'verb') moreLinks = runs.flatMap((r) => r.moreLinks);
    get.push(s);
  }

  rateRuns.push(await atRate(`${storedTotal.toLocaleString('en-US')} stored`));

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
    seeded: { via, requested: config.statements, storedTotal, seconds },
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

/** FerretDB's version as tools/ferretdb pins it (its buildInfo says "unknown"). */
function pinnedFerretdbVersion(): string | null {
  try {
    const goMod = readFileSync(new URL('../tools/ferretdb/go.mod', import.meta.url), 'utf8');
    return /FerretDB\/FerretDB v(\S+)/.exec(goMod)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function describeServers(
  ctx: Context,
): Promise<{ mongo: string; redis: string; isFerretdb: boolean }> {
  const info = await ctx.lrs.mongo.db('admin').command({ buildInfo: 1 });
  const isFerretdb = 'ferretdbVersion' in info;
  const where = (local: boolean) => (local ? 'local, started by the bench' : 'external');
  let mongo = `MongoDB ${String(info['version'])}`;
  if (isFerretdb) {
    const reported = String(info['ferretdbVersion']);
    const version =
      reported !== 'unknown' ? reported : ctx.services.local.mongo ? pinnedFerretdbVersion() : null;
    mongo = `FerretDB ${version ?? 'unknown version'} (SQLite)`;
  }
  const redisInfo = await ctx.probeRedis.info('server');
  const redisVersion = /^redis_version:(\S+)/m.exec(redisInfo)?.[1] ?? '?';
  return {
    mongo: `${mongo}, ${where(ctx.services.local.mongo)}`,
    redis: `Redis ${redisVersion}, ${where(ctx.services.local.redis)}`,
    isFerretdb,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const git = gitDescription();
  log(
    `${config.quick ? 'quick' : 'full'} run: ${config.statements.toLocaleString('en-US')} ` +
      `statements, ${config.durationSec} s per step`,
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
  const via: SeedVia = seedVia ?? (servers.isFerretdb ? 'lean' : 'api');
  const statementResults = await runAll(ctx, via);
  const pipeline =
    config.suite === 'all'
      ? await runPipeline(
          {
            ...config.pipeline,
            dataset: config.dataset,
            postVia: via,
            isFerretdb: servers.isFerretdb,
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
        )
      : null;
  const results = { ...statementResults, pipeline };
  const pipelineTargets = pipeline === null ? [] : checkPipelineTargets(pipeline);
  const peakRssMiB = {
    api: process.resourceUsage().maxRSS / 1024,
    mongoServer: ctx.mongoServerPid === null ? null : processPeakRssMiB(ctx.mongoServerPid),
  };
  const targets = checkTargets({
    postByBatch: new Map(results.post.map((s) => [s.batch, s.figures])),
    atRate: results.atRate.map((s) => ({
      label: s.name.replace(/^.*\/s, /, ''),
      rate: config.rate,
      figures: s.figures,
    })),
    stubbed: {
      postByBatch: new Map(
        results.stubbed.filter((s) => s.targetRate === null).map((s) => [s.batch, s.figures]),
      ),
      atRate: results.stubbed
        .filter((s) => s.targetRate !== null)
        .map((s) => ({ rate: config.rate, figures: s.figures })),
    },
  });
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString(),
    git,
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpus: cpus.length,
      totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      loadAverageAtEnd: os.loadavg().map((l) => round(l)),
    },
    node: process.version,
    servers: { mongo: servers.mongo, redis: servers.redis },
    config: { ...config, seedVia: via },
    durationSec: round((Date.now() - started) / 1000),
  };
  const statementReport = formatReport(results, {
    cores: cpus.length,
    calibration,
    servers: meta.servers,
    peakRssMiB,
    targets,
    documentAddresses: config.documentAddresses,
  });
  const report =
    pipeline === null
      ? statementReport
      : `${statementReport}\n\n${formatPipeline(pipeline, pipelineTargets)}`;
  out();
  out(report);
  const skipped: Skipped[] = [
    ...(config.suite === 'all'
      ? [{ part: 'report latencies', reason: 'the reports API does not exist yet' }]
      : []),
    ...(typeof ctx.stubbed === 'string'
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
  const kind = `${config.suite === 'statements' ? '-statements' : ''}${config.quick ? '-quick' : ''}`;
  const base = `${meta.date.slice(0, 10)}-${git.sha}${kind}`;
  const comparison = compareWithPrevious(dir, `${base}.json`, { meta, results });
  out();
  out(formatComparison(comparison));
  writeFileSync(
    join(dir, `${base}.json`),
    `${JSON.stringify({ meta, dataset, calibration, peakRssMiB, targets: [...targets, ...pipelineTargets], skipped, comparison, results }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, `${base}.md`),
    formatMarkdown({
      title: config.suite === 'all' ? 'Cairn benchmark' : 'Cairn benchmark: Statements resource',
      meta,
      command: `npm run ${config.suite === 'all' ? 'bench' : 'bench:statements'}${config.quick ? ' -- --quick' : ''}`,
      report,
      skipped,
      comparison,
    }),
  );
  out();
  out(`Written to ${join(dir, base)}.json and .md after ${meta.durationSec} s.`);
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
