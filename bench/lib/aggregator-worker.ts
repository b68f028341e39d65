// The aggregator under test: a child process of the benchmark, driven over IPC
// (aggregator-protocol.ts). It composes workers/aggregator exactly as its main.ts does
// (createProcessors, createBatchRouter, startWorkers with every partition, the outbox sweeper,
// the settings watcher, lag samples through recordLag), with a MongoClient of its own that has command monitoring on
// (connectMongo cannot turn it on), so that its CPU time and MongoDB commands are measurable
// apart from the LRS's, which runs in the bench process.
import { MongoClient } from 'mongodb';
import type { Redis } from 'ioredis';
import {
  createLagRecorder,
  createProcessors,
  parsePartitions,
  rebuildFromStatements,
  startRederiveWatcher,
  startSweeper,
  startWorkers,
  verifySkillDays,
  type AggregatorConfig,
  type Periodic,
  type RunningWorkers,
  type Sweeper,
} from '@cairn/aggregator';
import {
  createBatchRouter,
  createRedis,
  createStatementBatchQueue,
  type BatchRouter,
  type StatementBatchQueue,
} from '@cairn/jobs';
import { COLLECTIONS, createMongoStore, type Store } from '@cairn/store';
import {
  benchAggregatorConfig,
  type AggregatorReply,
  type AggregatorRequest,
  type AuditOutcome,
  type ConnectRequest,
  type WorkerSnapshot,
} from './aggregator-protocol.js';
import { tally } from './probes.js';

const log = (message: string) => process.stderr.write(`[aggregator] ${message}\n`);

interface Composed {
  readonly config: AggregatorConfig;
  readonly mongo: MongoClient;
  readonly commands: ReturnType<typeof tally>;
  readonly store: Store;
  readonly producer: Redis;
  readonly router: BatchRouter;
}

interface Running {
  readonly workers: RunningWorkers;
  readonly intake: StatementBatchQueue;
  readonly sweeper: Sweeper;
  readonly watcher: Periodic;
}

let composed: Composed | null = null;
let running: Running | null = null;
let failedJobs = 0;
let firstFailure: string | null = null;

function need(): Composed {
  if (composed === null) throw new Error('connect first');
  return composed;
}

async function connect(request: ConnectRequest): Promise<void> {
  if (composed !== null) throw new Error('already connected');
  const config = benchAggregatorConfig(request);
  const mongo = new MongoClient(config.MONGODB_URI, {
    monitorCommands: true,
    appName: 'cairn-bench-aggregator',
    serverSelectionTimeoutMS: 5000,
  });
  const commands = tally(mongo);
  await mongo.connect();
  const store = createMongoStore(mongo.db(config.CAIRN_MONGODB_DATABASE));
  const producer = createRedis(config.REDIS_URL, 'producer');
  await producer.connect();
  const router = createBatchRouter({ connection: producer, prefix: config.CAIRN_QUEUE_PREFIX });
  composed = { config, mongo, commands, store, producer, router };
}

/** main.ts from startWorkers on. */
async function start(): Promise<void> {
  const { config, store, producer, router } = need();
  if (running !== null) throw new Error('already running');
  const workers = await startWorkers({
    redisUrl: config.REDIS_URL,
    prefix: config.CAIRN_QUEUE_PREFIX,
    partitions: parsePartitions(config.CAIRN_AGGREGATOR_PARTITIONS, config.CAIRN_PARTITIONS),
    processors: createProcessors({
      store,
      router,
      partitions: config.CAIRN_PARTITIONS,
      onAggregated: createLagRecorder(producer, config.CAIRN_QUEUE_PREFIX, (error) =>
        log(`lag not recorded: ${String(error)}`),
      ),
    }),
    intakeConcurrency: config.CAIRN_INTAKE_CONCURRENCY,
    stalledIntervalMs: config.CAIRN_STALLED_INTERVAL_MS,
    onFailed: (job, error) => {
      failedJobs++;
      firstFailure ??= `job ${job?.id ?? '?'}: ${error.message}`;
    },
  });
  await workers.ready();
  const intake = createStatementBatchQueue({
    connection: producer,
    prefix: config.CAIRN_QUEUE_PREFIX,
  });
  const sweeper = startSweeper({
    store,
    queue: intake,
    intervalMs: config.CAIRN_SWEEP_INTERVAL_MS,
    afterMs: config.CAIRN_SWEEP_AFTER_MS,
    maxAttempts: config.CAIRN_SWEEP_MAX_ATTEMPTS,
    onSwept: (result) => log(`outbox sweep re-drove statements: ${JSON.stringify(result)}`),
    onError: (error) => log(`outbox sweep failed: ${String(error)}`),
  });
  // Settings changes (rules, verbs, frameworks) are noticed at the sweeper's pace.
  const watcher = startRederiveWatcher({
    store,
    connection: producer,
    prefix: config.CAIRN_QUEUE_PREFIX,
    intervalMs: config.CAIRN_SWEEP_INTERVAL_MS,
    onError: (error) => log(`settings watch failed: ${String(error)}`),
  });
  running = { workers, intake, sweeper, watcher };
}

/** main.ts's shutdown, less the connections (kept for the audit). */
async function stop(): Promise<void> {
  if (running === null) return;
  const { workers, intake, sweeper, watcher } = running;
  running = null;
  await watcher.stop();
  await sweeper.stop();
  await intake.close();
  await workers.close();
}

async function audit(
  what: 'verify' | 'rebuild',
  storeId: string,
  clearBuckets: boolean,
): Promise<AuditOutcome> {
  if (running !== null) throw new Error('stop the workers before an audit');
  const { store, mongo, config } = need();
  if (what === 'rebuild') {
    if (clearBuckets) {
      await mongo
        .db(config.CAIRN_MONGODB_DATABASE)
        .collection(COLLECTIONS.skillDays)
        .deleteMany({ storeId });
    }
    const { rows, buckets } = await rebuildFromStatements(store, storeId);
    return { what, rows, buckets };
  }
  const differences = await verifySkillDays(store, storeId);
  const text = (value: unknown) =>
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return { what, differences: differences.length, sample: differences.slice(0, 5).map(text) };
}

function snapshot(): WorkerSnapshot {
  const cpu = process.cpuUsage();
  return {
    cpuUs: cpu.user + cpu.system,
    mongo: composed?.commands.snapshot() ?? { commands: 0, timeMs: 0, byName: {} },
    failedJobs,
    firstFailure,
    rssMiB: process.memoryUsage.rss() / 1024 / 1024,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

async function handle(request: AggregatorRequest): Promise<AuditOutcome | undefined> {
  switch (request.kind) {
    case 'connect':
      return void (await connect(request));
    case 'start':
      return void (await start());
    case 'measure':
      return undefined;
    case 'stop':
      return void (await stop());
    case 'audit':
      return audit(request.what, request.storeId, request.clearBuckets === true);
  }
}

function send(reply: AggregatorReply): void {
  if (process.send === undefined) throw new Error('aggregator-worker.ts needs an IPC channel');
  process.send(reply);
}

// One request at a time, in order: the parent awaits each reply before it sends the next.
process.on('message', (request: AggregatorRequest) => {
  handle(request).then(
    (audit) =>
      send({
        id: request.id,
        kind: 'ok',
        snapshot: snapshot(),
        ...(audit !== undefined ? { audit } : {}),
      }),
    (error: unknown) =>
      send({
        id: request.id,
        kind: 'failure',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});

/** The bench went away (it closed the channel, or died): shut down as main.ts does on SIGTERM. */
process.on('disconnect', () => {
  void (async () => {
    await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    if (composed !== null) {
      await composed.router.close().catch(() => undefined);
      composed.producer.disconnect(); // BullMQ does not close a connection it was handed
      await composed.mongo.close().catch(() => undefined);
    }
    process.exit(0);
  })();
});
