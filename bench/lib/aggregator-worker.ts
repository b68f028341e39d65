// The aggregator under test: a child process of the benchmark, driven over IPC
// (aggregator-protocol.ts). It runs workers/aggregator's startAggregator, as its main.ts does,
// with a MongoClient of its own that has command monitoring on (connectMongo cannot turn it on),
// so that its CPU time and MongoDB commands are measurable apart from the LRS's, which runs in the
// bench process.
import { MongoClient } from 'mongodb';
import type { Redis } from 'ioredis';
import {
  rebuildFromStatements,
  startAggregator,
  verifySkillDays,
  type AggregatorConfig,
  type RunningAggregator,
} from '@cairn/aggregator';
import { createRedis } from '@cairn/jobs';
import { createMongoStore, type Store } from '@cairn/store';
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
}

let composed: Composed | null = null;
let running: RunningAggregator | null = null;
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
  composed = { config, mongo, commands, store, producer };
}

/** main.ts from startAggregator on. */
async function start(): Promise<void> {
  const { config, store, producer } = need();
  if (running !== null) throw new Error('already running');
  running = await startAggregator({
    config,
    store,
    producer,
    events: {
      jobFailed: (job, error) => {
        failedJobs++;
        firstFailure ??= `job ${job?.id ?? '?'}: ${error.message}`;
      },
      lagNotRecorded: (error) => log(`lag not recorded: ${String(error)}`),
      swept: (result) => log(`outbox sweep re-drove statements: ${JSON.stringify(result)}`),
      sweepFailed: (error) => log(`outbox sweep failed: ${String(error)}`),
      watchFailed: (error) => log(`settings watch failed: ${String(error)}`),
    },
  });
}

/** main.ts's shutdown, less the connections (kept for the audit). */
async function stop(): Promise<void> {
  if (running === null) return;
  const aggregator = running;
  running = null;
  await aggregator.stop();
}

async function audit(what: 'verify' | 'rebuild', storeId: string): Promise<AuditOutcome> {
  if (running !== null) throw new Error('stop the workers before an audit');
  const { store } = need();
  if (what === 'rebuild') {
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
      return audit(request.what, request.storeId);
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
      composed.producer.disconnect(); // BullMQ does not close a connection it was handed
      await composed.mongo.close().catch(() => undefined);
    }
    process.exit(0);
  })();
});
