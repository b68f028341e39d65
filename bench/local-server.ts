/**
 * `npm run bench:local-server`: the local MongoDB-compatible server's file backend
 * (tools/mongo-local) with statement-like documents. Restart time to the first answered query,
 * memory (the file with its page cache against the in-memory backend) and the file's size under
 * churn. It measures and writes bench/results/<date>-<sha>-local-server.md; it never fails on a
 * figure.
 *
 *   npm run bench:local-server                          # 100,000 documents, every step
 *   npm run bench:local-server -- --docs 20000 --steps churn
 *   CAIRN_LOCAL_MONGO_CACHE_MB=1024 npm run bench:local-server -- --steps restart
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, type AnyBulkWriteOperation, type Collection } from 'mongodb';
import { createMongoStore } from '@cairn/store';
import {
  buildLocalServer,
  rssMiB,
  startLocalServer,
  type LocalServer,
} from './lib/local-server.js';
import { processCpuSec } from './lib/probes.js';
import { BENCH_STORE_ID, statementDocs, type StatementLikeDoc } from './lib/statement-docs.js';

const STEPS = ['restart', 'memory', 'churn'] as const;
type Step = (typeof STEPS)[number];
const isStep = (s: string): s is Step => (STEPS as readonly string[]).includes(s);

const { values: options } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    caches: { type: 'string', default: '64,256,1024' },
    'churn-docs': { type: 'string', default: '20000' },
    'churn-rounds': { type: 'string', default: '10' },
    steps: { type: 'string', default: STEPS.join(',') },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  process.stdout.write(
    'npm run bench:local-server -- [--docs 100000] [--caches 64,256,1024] [--churn-docs 20000]\n' +
      '  [--churn-rounds 10] [--steps restart,memory,churn] [--out FILE.md]\n' +
      'Memory: CAIRN_LOCAL_MONGO_HEAP_MB and CAIRN_LOCAL_MONGO_CACHE_MB, as for npm start.\n',
  );
  process.exit(0);
}
const DOCS = Number(options.docs);
const CACHES = options.caches.split(',').map(Number);
const CHURN_DOCS = Number(options['churn-docs']);
const CHURN_ROUNDS = Number(options['churn-rounds']);
const steps = options.steps.split(',').map((s) => s.trim());
for (const s of steps) {
  if (!isStep(s)) throw new Error(`unknown step '${s}' (${STEPS.join(', ')})`);
}

const BATCH = 100;
const WRITERS = 4;
const DB = 'bench_local_server';
const say = (line: string) => process.stderr.write(`[bench:local-server] ${line}\n`);
const lines: string[] = [];
const report = (line = '') => {
  lines.push(line);
  process.stdout.write(`${line}\n`);
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fileSize = (file: string) => statSync(file).size;
const rss = (server: LocalServer) => {
  const value = rssMiB(server.pid);
  return value === null ? 'n/a' : `${value.toFixed(0)} MiB`;
};
/** The server's CPU time so far: on a busy machine, steadier than the wall clock. */
const cpu = (server: LocalServer) => {
  const value = processCpuSec(server.pid);
  return value === null ? 'n/a' : `${value.toFixed(1)} s CPU`;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;

const generator = statementDocs(1);
const verbId = generator.doc(0).verbId;

async function connect(server: LocalServer): Promise<MongoClient> {
  const client = new MongoClient(server.uri, { maxPoolSize: WRITERS * 2 });
  await client.connect();
  return client;
}

function statements(client: MongoClient): Collection<StatementLikeDoc> {
  return client.db(DB).collection<StatementLikeDoc>('statements');
}

/** The documents' BSON bytes as the server counts them (collStats `size`). */
async function dataSize(client: MongoClient): Promise<number> {
  const stats = await client.db(DB).command({ collStats: 'statements' });
  const size: unknown = stats['size'];
  return typeof size === 'number' ? size : 0;
}

/** Runs `work(0..count-1)` on `WRITERS` concurrent loops. */
async function concurrently(count: number, work: (k: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      for (let k = next++; k < count; k = next++) await work(k);
    }),
  );
}

/** Cairn's indexes (the store creates them, as at start-up), then `n` documents in batches. */
async function load(client: MongoClient, n: number): Promise<number> {
  await createMongoStore(client.db(DB)).ensureIndexes();
  const started = performance.now();
  await concurrently(Math.ceil(n / BATCH), async (b) => {
    const docs = [];
    for (let i = b * BATCH; i < Math.min(n, (b + 1) * BATCH); i++) docs.push(generator.doc(i));
    await statements(client).insertMany(docs);
  });
  return performance.now() - started;
}

/** The statements API's filtered GET on the local server: a scan, a sort, a page of 11. */
async function scanQuery(client: MongoClient): Promise<void> {
  const page = await statements(client)
    .find({ storeId: BENCH_STORE_ID, verbId })
    .sort({ order: -1 })
    .limit(11)
    .toArray();
  if (page.length !== 11) throw new Error(`the scan query found ${page.length} documents`);
}

/** Milliseconds of `runs` scan queries after two to warm the JIT and the cache: the median. */
async function warmScanMs(client: MongoClient, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let k = 0; k < runs + 2; k++) {
    const started = performance.now();
    await scanQuery(client);
    if (k >= 2) times.push(performance.now() - started);
  }
  return median(times);
}

/** Polls the file's size until it has not fallen for `quietMs`, at most `maxMs`. */
async function settledSize(file: string, quietMs: number, maxMs: number): Promise<number> {
  let last = fileSize(file);
  let fellAt = performance.now();
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline && performance.now() - fellAt < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = fileSize(file);
    if (now < last) fellAt = performance.now();
    last = now;
  }
  return last;
}

type Ending = 'stop' | 'kill';
const end = (server: LocalServer, how: Ending) => (how === 'kill' ? server.kill() : server.stop());

/**
 * Restarts on `file` twice: (a) a findOne by _id, (b) the scan query, each timed from the spawn.
 * Each server ends as told (SIGTERM or SIGKILL), which sets the state the next one starts from.
 */
async function restartRows(file: string, label: string, aEnds: Ending, bEnds: Ending) {
  const someId = `${BENCH_STORE_ID}|${generator.dataset.statementId(Math.floor(DOCS / 2))}`;
  const a = await startLocalServer(jar, { file });
  const ca = await connect(a);
  if ((await statements(ca).findOne({ _id: someId })) === null) throw new Error('lost a document');
  const byIdMs = performance.now() - a.spawnedAt;
  const byIdCpu = cpu(a);
  await ca.close();
  await end(a, aEnds);

  const b = await startLocalServer(jar, { file });
  const cb = await connect(b);
  await scanQuery(cb);
  const scanMs = performance.now() - b.spawnedAt;
  const scanCpu = cpu(b);
  const warm = await warmScanMs(cb);
  const afterRss = rss(b);
  await cb.close();
  await end(b, bEnds);
  report(
    `| ${label}: \`ready\` printed | ${secs(a.readyMs)} (${secs(b.readyMs)} for (b)) | ${mib(fileSize(file))} |`,
  );
  report(`| ${label}: (a) first findOne by _id answered | ${secs(byIdMs)} (${byIdCpu}) | |`);
  report(
    `| ${label}: (b) first \`find({storeId, verbId}).sort({order: -1}).limit(11)\` answered | ${secs(scanMs)} (${scanCpu}) | |`,
  );
  report(`| ${label}: the same query warm (median of 5) | ${warm.toFixed(0)} ms | |`);
  report(`| ${label}: RSS after the queries | ${afterRss} | |`);
}

async function restartStep(dir: string): Promise<void> {
  const file = join(dir, 'restart.mv.db');
  report(`## Restart with ${DOCS.toLocaleString('en')} statement-like documents`);
  report();
  report('Times are from the spawn of the launcher (`java -jar ...`) to the answer.');
  report();
  const loading = await startLocalServer(jar, { file });
  const loader = await connect(loading);
  const loadMs = await load(loader, DOCS);
  const live = await dataSize(loader);
  const loadedRss = rss(loading);
  await loader.close();
  await loading.stop();
  report(`| step | figure | file |`);
  report(`|---|---|---|`);
  report(
    `| load in batches of ${BATCH}, ${WRITERS} writers; then a clean stop | ${secs(loadMs)} (${Math.round((DOCS / loadMs) * 1000)} docs/s), RSS ${loadedRss}; documents ${mib(live)} of BSON | ${mib(fileSize(file))} |`,
  );
  await restartRows(file, 'after the load and a clean stop', 'stop', 'kill');
  await restartRows(file, 'after SIGKILL', 'kill', 'stop');

  // Idle, the compaction steps rewrite the bulk load's half-empty chunks and shrink the file.
  const idle = await startLocalServer(jar, { file });
  const idleStarted = performance.now();
  const settled = await settledSize(file, 20_000, 300_000);
  const idleMs = performance.now() - idleStarted;
  await idle.stop();
  report(
    `| idle until the file stopped shrinking for 20 s, then a clean stop | ${secs(idleMs)} | ${mib(settled)} |`,
  );
  await restartRows(file, 'compacted', 'stop', 'stop');
  report();

  report(`### Page cache (\`CAIRN_LOCAL_MONGO_CACHE_MB\`), same file`);
  report();
  report(`| cache | first scan after ready | warm scan (median of 5) | RSS after |`);
  report(`|---|---|---|---|`);
  for (const cacheMb of CACHES) {
    const env = { ...process.env, CAIRN_LOCAL_MONGO_CACHE_MB: String(cacheMb) };
    const server = await startLocalServer(jar, { file, env });
    const client = await connect(server);
    const started = performance.now();
    await scanQuery(client);
    const firstMs = performance.now() - started;
    const warm = await warmScanMs(client);
    report(`| ${cacheMb} MB | ${firstMs.toFixed(0)} ms | ${warm.toFixed(0)} ms | ${rss(server)} |`);
    await client.close();
    await server.stop();
  }
  report();
}

async function memoryStep(): Promise<void> {
  report(`## In-memory backend (npm test) with ${DOCS.toLocaleString('en')} documents`);
  report();
  const server = await startLocalServer(jar, { file: null });
  const client = await connect(server);
  const loadMs = await load(client, DOCS);
  const loadedRss = rss(server);
  const warm = await warmScanMs(client);
  report(`| step | figure |`);
  report(`|---|---|`);
  report(
    `| load in batches of ${BATCH}, ${WRITERS} writers | ${secs(loadMs)} (${Math.round((DOCS / loadMs) * 1000)} docs/s), RSS after ${loadedRss} |`,
  );
  report(`| scan query warm (median of 5) | ${warm.toFixed(0)} ms |`);
  report(`| RSS after the queries | ${rss(server)} |`);
  report();
  await client.close();
  await server.stop();
}

/**
 * Rewrites the same documents again and again (each round: every document's `json` replaced, one
 * in five deleted and inserted again, in bulk writes of 100), all acknowledged, hence committed
 * and synced; records the file's size after each round and once the server has been idle.
 */
async function churnStep(dir: string): Promise<void> {
  const file = join(dir, 'churn.mv.db');
  report(`## Churn: ${CHURN_DOCS.toLocaleString('en')} documents rewritten ${CHURN_ROUNDS} times`);
  report();
  const server = await startLocalServer(jar, { file });
  const client = await connect(server);
  await load(client, CHURN_DOCS);
  const live = await dataSize(client);
  report(`Documents: ${mib(live)} of BSON (collStats \`size\`), constant throughout.`);
  report();
  report(`| after | file | file / documents |`);
  report(`|---|---|---|`);
  const row = (label: string, size: number) =>
    report(`| ${label} | ${mib(size)} | ${(size / live).toFixed(1)}x |`);
  row('the load', fileSize(file));
  const started = performance.now();
  for (let round = 1; round <= CHURN_ROUNDS; round++) {
    await concurrently(Math.ceil(CHURN_DOCS / BATCH), async (b) => {
      const ops: AnyBulkWriteOperation<StatementLikeDoc>[] = [];
      for (let i = b * BATCH; i < Math.min(CHURN_DOCS, (b + 1) * BATCH); i++) {
        const doc = generator.doc(i, round);
        if (i % 5 === round % 5) {
          ops.push({ deleteOne: { filter: { _id: doc._id } } });
          ops.push({ insertOne: { document: doc } });
        } else {
          ops.push({
            updateOne: { filter: { _id: doc._id }, update: { $set: { json: doc.json } } },
          });
        }
      }
      await statements(client).bulkWrite(ops, { ordered: true });
    });
    row(`round ${round}`, fileSize(file));
  }
  const churnMs = performance.now() - started;
  const endRss = rss(server);
  row('idle until it stopped shrinking for 20 s', await settledSize(file, 20_000, 300_000));
  await client.close();
  await server.stop();
  row('a clean stop', fileSize(file));
  report();
  report(
    `The ${CHURN_ROUNDS} rounds took ${secs(churnMs)} (${Math.round((CHURN_DOCS * CHURN_ROUNDS * 1000) / churnMs)} rewrites/s); RSS at their end ${endRss}.`,
  );
  report();
}

const jar = await buildLocalServer(say);
const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-local-server-'));
const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const date = new Date().toISOString().slice(0, 10);
try {
  report(`# Local server (tools/mongo-local): restart, memory, churn`);
  report();
  report(
    `${date}, commit ${sha}. CAIRN_LOCAL_MONGO_HEAP_MB=${process.env['CAIRN_LOCAL_MONGO_HEAP_MB'] ?? '(default)'}, ` +
      `CAIRN_LOCAL_MONGO_CACHE_MB=${process.env['CAIRN_LOCAL_MONGO_CACHE_MB'] ?? '(default)'}. ` +
      `Machine: ${cpus().length} CPUs, ${mib(totalmem())} of memory, load average ` +
      `${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at the start (other work on the machine stretches wall times; the server's ` +
      `CPU times are steadier).`,
  );
  report();
  if (steps.includes('restart')) await restartStep(dir);
  if (steps.includes('memory')) await memoryStep();
  if (steps.includes('churn')) await churnStep(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const out = options.out ?? join('bench', 'results', `${date}-${sha}-local-server.md`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${lines.join('\n')}\n`);
say(`wrote ${out}`);
