// `npm run bench:reports [-- --quick]` (also `npm run bench -- --only reports`): the reports'
// speed (issue 18, "Speed").
//
// Starts the local server as `npm start` runs it (mongo-java-server with its H2 file backend, in a
// temporary directory; or MONGODB_URI), seeds an organisation straight into the store
// (lib/reports-seed.ts: 2,000 people x 20 skills x 180 days by default), builds the reports app
// in this process on a loopback port and measures, warm, the cohort heatmap, a person's profile,
// growth series, and CSV/NDJSON exports of the evidence drill-down at two sizes, reading each
// response as a stream. Each figure comes with the database's share (the driver's command
// monitoring), the CPU of this process and of the local server, and, for the heatmap and the
// profile, the store's reads timed apart from the computation. Writes
// bench/results/<date>-reports[-quick].json and .md. Benchmarks measure; targets are reported,
// never an exit code.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { createAuthenticator, hashSecret } from '@cairn/auth';
import {
  buildApp,
  collectCohortEvidence,
  heatmap,
  judgedCells,
  personProfile,
  readDirectory,
  skillColumns,
} from '@cairn/reports';
import { createMongoStore, type SkillDay, type Store } from '@cairn/store';
import { startLocalStack } from './lib/local-stack.js';
import { childProcesses, processPeakRssMiB } from './lib/probes.js';
import {
  dbMonitor,
  fetchReport,
  meter,
  summarise,
  type Meter,
  type Sample,
  type SampleSummary,
} from './lib/reports-measure.js';
import {
  seedReportsData,
  STORE_ID,
  type ReportsDataSpec,
  type SeededData,
} from './lib/reports-seed.js';
import { round } from './lib/stats.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    people: { type: 'string' },
    days: { type: 'string' },
    'skills-per-person': { type: 'string' },
    density: { type: 'string' },
    'export-rows': { type: 'string' },
    repeat: { type: 'string' },
    backend: { type: 'string', default: 'file' },
    seed: { type: 'string', default: '18' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    'usage: npm run bench:reports -- [--quick] [--people N] [--days N] [--skills-per-person N]\n' +
      '                 [--density P] [--export-rows N] [--repeat N] [--backend file|memory]\n' +
      '  --quick              200 people, 60 days, exports of 10,000 and 1,000 rows, 3 runs\n' +
      '  --people             people in the organisation (default 2,000; teams of 8, departments of 5 teams)\n' +
      '  --days               days of evidence up to asOf (default 180)\n' +
      '  --skills-per-person  leaf skills a person has evidence on (default 5: 3 of the team, 2 own)\n' +
      '  --density            chance of evidence on one of their skills on a day (default 0.2)\n' +
      '  --export-rows        evidence rows of the large export (default 100,000; the small is a tenth)\n' +
      '  --repeat             warm runs per report (default 7, 3 when one takes over 5 s), after a warm-up\n' +
      "  --backend            file (default): the H2 file backend npm start runs; memory: the tests'\n" +
      'MONGODB_URI: use this server instead of starting one.\n',
  );
  process.exit(0);
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  process.stderr.write(`--${name} must be a positive number, got ${value}\n`);
  return process.exit(2);
}
if (args.backend !== 'file' && args.backend !== 'memory') {
  process.stderr.write(`--backend must be file or memory, got ${args.backend}\n`);
  process.exit(2);
}

const AS_OF = '2026-11-30';
const exportRows = Math.round(
  positive('export-rows', args['export-rows'], args.quick ? 10_000 : 100_000),
);
const spec: ReportsDataSpec = {
  people: Math.round(positive('people', args.people, args.quick ? 200 : 2_000)),
  days: Math.round(positive('days', args.days, args.quick ? 60 : 180)),
  asOf: AS_OF,
  skillsPerPerson: Math.round(positive('skills-per-person', args['skills-per-person'], 5)),
  density: positive('density', args.density, 0.2),
  seed: Number(args.seed),
  exportRows,
  smallExportRows: Math.max(1, Math.round(exportRows / 10)),
};
const repeat = Math.round(positive('repeat', args.repeat, args.quick ? 3 : 7));
const backend = args.backend;

/** Issue 18's targets, ms. */
const TARGETS = { heatmap: 1000, profile: 100, growth: 300 } as const;

const log = (m: string) => process.stderr.write(`[bench:reports] ${m}\n`);
const out = (text = '') => process.stdout.write(`${text}\n`);

interface ReportStep {
  readonly name: string;
  readonly path: string;
  readonly target: number | null;
  readonly summary: SampleSummary;
}

interface ExportStep {
  readonly name: string;
  readonly format: 'csv' | 'ndjson';
  readonly expectedRows: number;
  readonly sample: Sample;
}

interface Breakdown {
  readonly name: string;
  readonly parts: readonly { part: string; ms: number; dbMs: number; docs: number }[];
}

let cleanup: (() => Promise<void>) | null = null;

async function credential(store: Store): Promise<string> {
  const key = `bench-reports-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(18).toString('base64url');
  await store.tenants.ensure(STORE_ID, STORE_ID, new Date());
  await store.credentials.upsert({
    key,
    storeId: STORE_ID,
    secretHash: await hashSecret(secret),
    scopes: ['reports:cohort', 'reports:person'],
    label: 'bench reports',
    createdAt: new Date(),
    revokedAt: null,
  });
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

/** Warm runs of a report: `repeat` of them, or 3 when one takes more than 5 s. */
async function warmRuns(m: Meter, run: () => Promise<{ rows: number; bytes: number }>) {
  const warmUp = performance.now();
  await run(); // JIT, caches, the server's pages
  const runs = performance.now() - warmUp > 5_000 ? Math.min(repeat, 3) : repeat;
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await m.measure(run));
  return summarise(samples);
}

/** The heatmap's and the profile's work, the store's reads timed apart from the computation. */
async function breakdowns(store: Store, m: Meter, person: string): Promise<Breakdown[]> {
  const scope = {
    asOf: AS_OF,
    from: '2026-09-02',
    framework: undefined,
    skill: undefined,
    source: undefined,
    cohort: 'team',
    membership: 'event' as const,
    periodDays: 90,
    // The breakdown times the Beta path; the HTTP steps use the default model.
    model: 'beta' as const,
  };
  const none = { rows: 0, bytes: 0 };
  const parts: { part: string; ms: number; dbMs: number; docs: number }[] = [];
  const step = async <T>(part: string, f: () => Promise<T>): Promise<T> => {
    let value: T | undefined;
    const s = await m.measure(async () => {
      value = await f();
      return none;
    });
    parts.push({ part, ms: s.wallMs, dbMs: s.db.ms, docs: s.db.docs });
    return value as T;
  };
  const frameworks = await step(
    'read the frameworks',
    async () => (await store.skillSettingsOf(STORE_ID).current()).settings.frameworks,
  );
  const columns = skillColumns(frameworks, {});
  const directory = await step('read people and directory', () => readDirectory(store, STORE_ID));
  const buckets = await step('read the buckets (ofSkills cursor)', async () => {
    const all: SkillDay[] = [];
    for await (const b of store.skillDaysOf(STORE_ID).ofSkills(columns.skills, { to: AS_OF }))
      all.push(b);
    return all;
  });
  async function* fromArray(): AsyncGenerator<SkillDay> {
    yield* buckets;
  }
  const evidence = await step('collectCohortEvidence (ours)', () =>
    collectCohortEvidence({
      buckets: fromArray(),
      directory,
      columns,
      attribute: 'team',
      membership: 'event',
      asOf: AS_OF,
      source: undefined,
    }),
  );
  const cells = await step('judgedCells: measures + disclosure (ours)', async () =>
    judgedCells({ scope, columns, allColumns: columns, evidence, k: 5 }),
  );
  await step('heatmap rows + JSON (ours)', async () => {
    const table = heatmap({ cells, scope, k: 5 });
    return JSON.stringify([...(table.rows as Iterable<unknown>)]).length;
  });
  const heat: Breakdown = { name: `heatmap (${buckets.length} buckets)`, parts: [...parts] };
  parts.length = 0;
  const days = await step('personSkillDays (store)', async () =>
    store.peopleOf(STORE_ID).personSkillDays(person, { to: AS_OF }),
  );
  await step('personProfile (ours)', async () =>
    personProfile(person, days ?? [], columns, { ...scope, periodDays: 90 }),
  );
  return [heat, { name: `person profile (${days?.length ?? 0} person-skill-days)`, parts }];
}

const fmt = (x: number | null, digits = 3): string =>
  x === null || !Number.isFinite(x) ? 'n/a' : round(x, digits).toLocaleString('en-US');

function reportTable(steps: readonly ReportStep[]): string {
  const lines = [
    '| report | runs | p50 ms | p95 ms | target ms | met | DB commands | docs read | DB ms (p50) | DB share | our CPU ms | DB server CPU ms | rows |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of steps) {
    const r = s.summary;
    const met = s.target === null ? '' : r.p50Ms <= s.target ? 'yes' : '**no**';
    lines.push(
      `| ${s.name} | ${r.runs} | ${fmt(r.p50Ms)} | ${fmt(r.p95Ms)} | ${s.target ?? ''} | ${met} | ${fmt(r.dbCommands)} | ${fmt(r.dbDocs)} | ${fmt(r.dbMs)} | ${fmt(100 * r.dbShare, 2)}% | ${fmt(r.cpuMs)} | ${fmt(r.serverCpuMs)} | ${r.rows} |`,
    );
  }
  return lines.join('\n');
}

function exportTable(steps: readonly ExportStep[], baselineRss: number): string {
  const lines = [
    '| export | rows read | time s | rows/s | DB commands | DB s | DB share | our CPU s | DB server CPU s | RSS at start MiB | peak RSS MiB | growth MiB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of steps) {
    const s = e.sample;
    const ok = s.rows === e.expectedRows ? '' : ` (expected ${e.expectedRows})`;
    lines.push(
      `| ${e.name} | ${s.rows}${ok} | ${fmt(s.wallMs / 1000)} | ${fmt(s.rows / (s.wallMs / 1000))} | ${s.db.commands} | ${fmt(s.db.ms / 1000)} | ${fmt((100 * s.db.ms) / s.wallMs, 2)}% | ${fmt(s.cpuMs / 1000)} | ${fmt(s.serverCpuMs === null ? null : s.serverCpuMs / 1000)} | ${fmt(s.startRssMiB)} | ${fmt(s.peakRssMiB)} | ${fmt(s.peakRssMiB - Math.min(baselineRss, s.startRssMiB))} |`,
    );
  }
  return lines.join('\n');
}

function breakdownTable(b: Breakdown): string {
  const lines = [
    `| ${b.name}: part | ms | of which DB ms | docs read |`,
    '| --- | --- | --- | --- |',
  ];
  for (const p of b.parts) lines.push(`| ${p.part} | ${fmt(p.ms)} | ${fmt(p.dbMs)} | ${p.docs} |`);
  return lines.join('\n');
}

function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAverageAtStart = os.loadavg().map((l) => round(l));
  const dataDir =
    backend === 'file' ? mkdtempSync(join(os.tmpdir(), 'cairn-bench-reports-')) : null;
  const closers: (() => Promise<void>)[] = [];
  cleanup = async () => {
    for (const close of closers.reverse()) await close().catch((e: unknown) => log(String(e)));
  };
  if (dataDir !== null) closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const services = await startLocalStack(log, { dataDir });
  closers.push(() => services.stop());
  const mongo = new MongoClient(services.mongoUri, {
    monitorCommands: true,
    appName: 'cairn-bench-reports',
    serverSelectionTimeoutMS: 5000,
  });
  await mongo.connect();
  const database = `cairn_bench_reports_${randomBytes(3).toString('hex')}`;
  closers.push(async () => {
    if (!services.local.mongo) await mongo.db(database).dropDatabase();
    await mongo.close();
  });
  const db = mongo.db(database);
  const store = createMongoStore(db);
  await store.ensureIndexes();
  const serverPid = services.local.mongo
    ? (childProcesses(/cairn-mongo-local\.jar/)[0]?.pid ?? null)
    : null;
  const buildInfo = await db.admin().command({ buildInfo: 1 });
  const server = services.local.mongo
    ? `mongo-java-server (${backend === 'file' ? 'H2 file backend, as npm start' : 'in memory'}), reports MongoDB ${String(buildInfo['version'])}`
    : `MongoDB ${String(buildInfo['version'])} at MONGODB_URI`;
  log(`server: ${server}`);
  log(
    `data: ${spec.people} people, ${spec.skillsPerPerson} of 15 leaf skills each (20 skills), ` +
      `${spec.days} days, density ${spec.density}, exports of ${spec.exportRows} and ${spec.smallExportRows} rows`,
  );

  const seeded: SeededData = await seedReportsData(store, db, spec, log);
  const authorization = await credential(store);
  const app = await buildApp({
    store,
    checks: [],
    now: () => new Date(`${AS_OF}T12:00:00Z`),
    // Errors only: a report that fails says why on stderr.
    logger: { level: 'error', stream: process.stderr },
    // The product's authenticator, its cache outliving the bench: scrypt once, as in steady use.
    authenticator: createAuthenticator({ credentials: store.credentials, ttlMs: 3_600_000 }),
  });
  closers.push(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const monitor = dbMonitor(mongo);
  const m = meter(monitor, serverPid);
  const url = (path: string) => `${origin}/api/v1/reports${path}`;

  const reports: { name: string; path: string; target: number | null }[] = [
    { name: 'cohort heatmap (team x 20 skills)', path: '/heatmap', target: TARGETS.heatmap },
    {
      name: 'cohort heatmap (department x 20 skills)',
      path: '/heatmap?cohort=department',
      target: TARGETS.heatmap,
    },
    {
      name: 'person profile',
      path: `/people/${seeded.profilePerson}/profile`,
      target: TARGETS.profile,
    },
    {
      name: "growth series, a person's 20 skills",
      path: `/growth?person=${seeded.profilePerson}`,
      target: TARGETS.growth,
    },
    {
      name: 'growth series, one team',
      path: `/growth?cohortValue=${seeded.sampleTeam}`,
      target: TARGETS.growth,
    },
    { name: 'growth series, the organisation', path: '/growth', target: TARGETS.growth },
  ];
  const steps: ReportStep[] = [];
  for (const r of reports) {
    log(`measuring ${r.name}`);
    const summary = await warmRuns(m, () => fetchReport(url(r.path), authorization, 'json'));
    steps.push({ ...r, summary });
    log(`  p50 ${fmt(summary.p50Ms)} ms, DB ${fmt(summary.dbMs)} ms over ${summary.dbDocs} docs`);
  }
  log('breakdown: the store reads apart from the computation');
  const parts = await breakdowns(store, m, seeded.profilePerson);

  const baselineRss = process.memoryUsage.rss() / 1024 / 1024;
  const exports: ExportStep[] = [];
  const exportUrl = (e: { person: string; skill: string }, format: string) =>
    url(`/people/${e.person}/evidence?skill=${encodeURIComponent(e.skill)}&format=${format}`);
  for (const [name, target, rows] of [
    ['small', seeded.smallExport, spec.smallExportRows],
    ['large', seeded.largeExport, spec.exportRows],
  ] as const)
    for (const format of ['csv', 'ndjson'] as const) {
      log(`export ${rows} rows as ${format}`);
      const sample = await m.measure(() =>
        fetchReport(exportUrl(target, format), authorization, format),
      );
      exports.push({
        name: `evidence drill-down, ${rows.toLocaleString('en-US')} rows, ${format.toUpperCase()} (${name})`,
        format,
        expectedRows: rows,
        sample,
      });
      log(`  ${fmt(sample.wallMs / 1000)} s, peak RSS ${fmt(sample.peakRssMiB)} MiB`);
    }

  const peakRssMiB = {
    reportsProcess: processPeakRssMiB(process.pid),
    mongoServer: serverPid === null ? null : processPeakRssMiB(serverPid),
  };
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString(),
    git: gitSha(),
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpus: cpus.length,
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg().map((l) => round(l)),
    },
    node: process.version,
    server,
    spec,
    repeat,
    durationSec: round((Date.now() - started) / 1000),
  };
  const dataLine =
    `${seeded.people} people in ${seeded.teams} teams of 8 and ${seeded.departments} departments of 5 teams ` +
    `(${seeded.movers} move team half-way), a framework of 20 skills (5 parents x 3 children), ` +
    `${spec.skillsPerPerson} leaf skills per person (3 of the team's, the rest their own), ` +
    `evidence on a skill on a day with chance ${spec.density} over ${spec.days} days to ${AS_OF}, ` +
    '1 to 3 rows per evidence day (formal outcome 30%, formal practice 25%, social practice 30%, social recognition 15%): ' +
    `${seeded.skillDayDocs.toLocaleString('en-US')} skill_days documents from ` +
    `${seeded.evidenceRowsBehindBuckets.toLocaleString('en-US')} evidence rows. ` +
    'Seeded straight into the store (identity map, directory and framework through the store, ' +
    `buckets and evidence as documents) in ${fmt(seeded.seconds.directory + seeded.seconds.buckets + seeded.seconds.evidence)} s, ` +
    'not posted: posting and aggregating that many statements would take far longer than the reports. ' +
    `The evidence collection holds only the exports' ${seeded.exportEvidenceRows.toLocaleString('en-US')} rows.`;
  const report = [
    `Server: ${server}. Node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? '?'}), ` +
      `load average ${loadAverageAtStart.join(', ')} at the start, ${meta.machine.loadAverageAtEnd.join(', ')} at the end.`,
    '',
    `Data: ${dataLine}`,
    '',
    `Reports, warm: ${repeat} runs each (3 where one takes over 5 s) after one warm-up, over HTTP on loopback from this process (JSON). ` +
      'DB ms: sum of the driver-seen durations of the MongoDB commands (server, loopback, decoding); ' +
      'our CPU: CPU time of this process (the reports app, its driver, the small HTTP client).',
    '',
    reportTable(steps),
    '',
    "The store's reads timed apart from the computation (one warm run, the same code the routes call):",
    '',
    ...parts.flatMap((b) => [breakdownTable(b), '']),
    `Exports, each once, read as a stream and counted line by line; RSS of this process sampled every 5 ms ` +
      `(baseline before the exports ${fmt(baselineRss)} MiB). Peak RSS (VmHWM) of the whole run: this process ` +
      `${fmt(peakRssMiB.reportsProcess)} MiB, the local server ${fmt(peakRssMiB.mongoServer)} MiB.`,
    '',
    exportTable(exports, baselineRss),
  ].join('\n');
  out();
  out(report);

  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const base = `${meta.date.slice(0, 10)}-reports${args.quick ? '-quick' : ''}`;
  writeFileSync(
    join(dir, `${base}.json`),
    `${JSON.stringify({ meta, seeded, reports: steps, breakdowns: parts, exports, baselineRss, peakRssMiB }, null, 2)}\n`,
  );
  const argv = process.argv.slice(2);
  writeFileSync(
    join(dir, `${base}.md`),
    [
      `# Cairn benchmark: reports (${meta.date.slice(0, 10)}, ${meta.git})`,
      '',
      `\`npm run bench:reports${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}\`, ${meta.durationSec} s.`,
      '',
      report,
      '',
    ].join('\n'),
  );
  out();
  out(`Written to ${join(dir, base)}.json and .md after ${meta.durationSec} s.`);
}

let stopping: Promise<never> | null = null;
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
