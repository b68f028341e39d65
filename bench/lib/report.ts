import type { CpuCalibration, Scenario } from './scenario.js';
import { ratio, round } from './stats.js';
import { table, type Cell } from './table.js';
import { formatDocuments } from './summary.js';
import type { TargetCheck } from './targets.js';

/** Everything one run of bench/statements.ts measured. */
export interface StatementResults {
  readonly ceiling: readonly Scenario[];
  readonly post: readonly Scenario[];
  readonly atRate: readonly Scenario[];
  /**
   * The same POST steps against the statement stub (statement-stub-worker.ts): the API's own cost
   * when the database answers at once.
   */
  readonly stubbed: readonly Scenario[];
  readonly seeding: Scenario;
  readonly seeded: {
    readonly via: 'api' | 'lean';
    readonly requested: number;
    readonly storedTotal: number;
    readonly seconds: number;
  };
  readonly get: readonly Scenario[];
  readonly pageSize: number;
  /** The document, Activities and Agents steps; empty with `--only statements`. */
  readonly documents: readonly Scenario[];
}

export interface ReportContext {
  readonly cores: number;
  readonly calibration: CpuCalibration;
  readonly servers: { readonly mongo: string; readonly redis: string };
  readonly peakRssMiB: { readonly api: number; readonly mongoServer: number | null };
  readonly targets: readonly TargetCheck[];
  /** Distinct document addresses the document steps cycle through. */
  readonly documentAddresses: number;
  /** The server is mongo-java-server, which scans for every query not on `_id`. */
  readonly localServer: boolean;
}

/**
 * DB server CPU per request divided by the statements stored, µs: on the local server, which
 * builds no secondary index, about its cost per document of a scan when a request scans the
 * whole collection once (near 0 for a query on `_id`).
 */
export function scanUsPerStoredStatement(s: Scenario, stored: number): number | null {
  const cpu = s.figures.mongoServerCpuUsPerStatement;
  return cpu === null || stored === 0 ? null : round(cpu / stored, 3);
}

const SEQUENTIAL_MARK = ' *';

function label(s: Scenario): string {
  return s.mode === 'sequential' ? `${s.name}${SEQUENTIAL_MARK}` : s.name;
}

function postRow(s: Scenario, ceilingBySize: ReadonlyMap<number, Scenario>): Cell[] {
  const f = s.figures;
  const c = ceilingBySize.get(s.batch);
  return [
    label(s),
    s.targetRate === null ? s.connections : `${s.connections} @${s.targetRate}/s`,
    f.requestsPerSec,
    f.statementsPerSec,
    f.latencyMs.p50,
    f.latencyMs.p99,
    f.latencyMs.mean,
    f.mongoMsPerRequest,
    f.apiCpuUsPerStatement,
    f.apiCpuUsPerStatementNet,
    f.mongoServerCpuUsPerStatement,
    f.mongoRequestCommandsPerRequest,
    f.redisCommandsPerRequest,
    c === undefined || c === s
      ? null
      : round(ratio(f.statementsPerSec, c.figures.statementsPerSec), 2),
  ];
}

/** The tables printed at the end of a run. */
export function formatReport(r: StatementResults, c: ReportContext): string {
  const lines: string[] = [];
  const ceilingBySize = new Map(r.ceiling.map((s) => [s.batch, s]));
  const posts = [...r.ceiling, ...r.post, ...r.atRate, ...r.stubbed];
  lines.push(
    table(
      [
        'POST /xapi/statements',
        'conns',
        'req/s',
        'stmt/s',
        'p50 ms',
        'p99 ms',
        'mean ms',
        'in DB ms/req',
        'API CPU µs/stmt',
        'net µs/stmt',
        'DB server CPU µs/stmt',
        'Mongo cmds/req',
        'Redis cmds/req',
        'vs ceiling',
      ],
      posts.map((s) => postRow(s, ceilingBySize)),
    ),
  );
  lines.push(
    "Mongo cmds/req: the request's own commands; the credential cache's look-ups are listed below.",
  );
  if (r.stubbed.length > 0) {
    lines.push(
      'statements stubbed: the same LRS, whose commands on the statements collection a stub answers at once ' +
        '(bench/lib/statement-stub-worker.ts): what the API itself costs when the database keeps up.',
    );
  }
  for (const s of posts) {
    if (s.targetRate === null) continue;
    const due = s.load.sent + s.load.unsent;
    lines.push(
      `${s.name}: open-loop, ${due} requests fell due, ${s.load.sent} were sent` +
        (s.load.unsent > 0 ? `, ${s.load.unsent} found no free connection before the end` : '') +
        '; latency counts from when each fell due.',
    );
  }
  lines.push(
    `net: API CPU without the process's idle CPU (${round(c.calibration.idleCpuUsPerSec / 1000)} ms/s)` +
      (c.calibration.scryptCpuUs > 0
        ? ` and credential re-verifications (${round(c.calibration.scryptCpuUs / 1000)} ms of scrypt each).`
        : '.'),
  );
  lines.push('');
  lines.push('Round trips per POST, by command and collection:');
  for (const s of [...r.post, ...r.atRate, ...r.stubbed]) {
    const handled = Math.max(s.load.sent, s.load.responses);
    const perPost = (n: number) => String(round(ratio(n, handled), 3));
    const mongo = Object.entries(s.cost.mongo.byName)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, v]) => `${key} ${perPost(v.count)}`);
    const redis = Object.entries(s.cost.redis.sentByName).map(([k, n]) => `${k} ${perPost(n)}`);
    lines.push(
      `  ${s.name}: MongoDB ${mongo.join(', ') || '-'}; Redis ${redis.join(', ') || '-'}` +
        ` (${perPost(s.cost.redis.executed)} executed inside Redis)`,
    );
  }
  lines.push('');
  const seeding = r.seeding.figures;
  lines.push(
    `Seeding: ${r.seeded.requested.toLocaleString('en-US')} statements ` +
      (r.seeded.via === 'api'
        ? 'through the API'
        : 'through the API without the pre-insert reads (--seed-via lean)') +
      ` in ${r.seeded.seconds} s: ${seeding.statementsPerSec.toLocaleString('en-US')} stmt/s, ` +
      `DB server CPU ${seeding.mongoServerCpuUsPerStatement ?? '-'} µs/stmt, ` +
      `${seeding.mongoCommandsPerRequest} Mongo cmds per batch of ${r.seeding.batch}. ` +
      `The store holds ${r.seeded.storedTotal.toLocaleString('en-US')} statements.`,
  );
  lines.push('');
  lines.push(
    table(
      [
        `GET /xapi/statements (${r.seeded.storedTotal.toLocaleString('en-US')} stored, limit ${r.pageSize})`,
        'conns',
        'n',
        'req/s',
        'p50 ms',
        'p99 ms',
        'mean ms',
        'in DB ms/req',
        'API CPU µs/req',
        'net µs/req',
        'DB server CPU ms/req',
        'µs/stored stmt',
        'Mongo cmds/req',
      ],
      r.get.map((s) => [
        label(s),
        s.mode === 'sequential' ? 1 : s.connections,
        s.figures.latencyMs.count,
        s.figures.requestsPerSec,
        s.figures.latencyMs.p50,
        s.figures.latencyMs.p99,
        s.figures.latencyMs.mean,
        s.figures.mongoMsPerRequest,
        s.figures.apiCpuUsPerRequest,
        s.figures.apiCpuUsPerRequestNet,
        s.figures.mongoServerCpuUsPerStatement === null
          ? null
          : round(s.figures.mongoServerCpuUsPerStatement / 1000),
        scanUsPerStoredStatement(s, r.seeded.storedTotal),
        s.figures.mongoRequestCommandsPerRequest,
      ]),
    ),
  );
  lines.push(
    'µs/stored stmt: DB server CPU per request over the statements stored' +
      (c.localServer
        ? ': the local server builds no secondary index, so a request that scans the collection once costs about its per-document scan time here (1-4 µs), one served from `_id` near 0; the Mongo commands behind each step are listed below.'
        : '.'),
  );
  lines.push('Round trips per GET, by command and collection:');
  for (const s of r.get) {
    const handled = Math.max(s.load.sent, s.load.responses);
    const mongo = Object.entries(s.cost.mongo.byName)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, v]) => `${key} ${round(ratio(v.count, handled), 3)}`);
    lines.push(`  ${s.name}: ${mongo.join(', ') || '-'}`);
  }
  if (r.documents.length > 0) {
    lines.push('');
    lines.push(formatDocuments(r.documents, c.documentAddresses));
  }
  const all = [...posts, r.seeding, ...r.get, ...r.documents];
  if (all.some((s) => s.mode === 'sequential')) {
    lines.push('');
    lines.push(
      `${SEQUENTIAL_MARK.trim()} one request took longer than a third of the step, so the step ran ` +
        'single requests one after another (n of them) instead of its connections and rate.',
    );
  }
  lines.push('');
  lines.push(
    `Where the time went: average cores busy during each step (this machine has ${c.cores})`,
  );
  lines.push(
    table(
      ['step', 'API', 'DB server', 'Redis', 'load gen', 'Mongo cmds in flight'],
      all.map((s) => [
        label(s),
        s.figures.cores.api,
        s.figures.cores.mongoServer,
        s.figures.cores.redis,
        s.figures.cores.load,
        round(ratio(s.cost.mongo.timeMs / 1000, s.cost.wallSec), 2),
      ]),
    ),
  );
  lines.push('');
  lines.push(
    `Peak RSS: API process ${round(c.peakRssMiB.api)} MiB (whole run; the ceiling app and the ` +
      'bench driver live in it too)' +
      (c.peakRssMiB.mongoServer === null
        ? ''
        : `; MongoDB-compatible server ${round(c.peakRssMiB.mongoServer)} MiB`),
  );
  lines.push('');
  lines.push('Targets (issues 17 and 3; reported, not enforced):');
  lines.push(
    table(
      ['target', 'measured', ''],
      c.targets.map((t) => [t.target, t.measured, t.met ? 'met' : 'NOT MET']),
    ),
  );
  if (r.stubbed.length > 0) {
    lines.push(
      'The rows without "statements stubbed" hold the MongoDB-compatible server\'s time and, in ' +
        'API CPU, what a process burns while it waits for it (bench/README.md); the stubbed rows ' +
        "are the API's own share, which the issue asks to show apart where that server is the " +
        'bottleneck.',
    );
  }
  lines.push('');
  lines.push(`Servers: ${c.servers.mongo}; ${c.servers.redis}`);
  return lines.join('\n');
}
