// Cairn beside a peer LRS on the same local server (issue 17, "Speed": "Cairn ahead on every
// row"), with the statements-stubbed rows (the API's own share) in between.
import type { StatementResults } from './report.js';
import type { CpuCalibration, Scenario } from './scenario.js';
import { ratio, round } from './stats.js';
import { table, type Cell } from './table.js';

/** What the peer's Statements steps measured (bench.ts runPeer). */
export interface PeerResults {
  readonly name: string;
  readonly description: string;
  /** Query parameters it does not implement, by GET shape. */
  readonly caveats: Readonly<Record<string, string>>;
  readonly calibration: CpuCalibration;
  readonly post: readonly Scenario[];
  readonly atRate: readonly Scenario[];
  readonly seeding: Scenario;
  readonly seeded: StatementResults['seeded'];
  readonly get: readonly Scenario[];
}

interface Row {
  readonly step: string;
  readonly cairn: Scenario | undefined;
  readonly stubbed: Scenario | undefined;
  readonly peer: Scenario | undefined;
  /** What "ahead" is judged on. */
  readonly on: 'stmt/s' | 'p99';
}

function rows(c: StatementResults, p: PeerResults): Row[] {
  const stubbedPost = (batch: number) =>
    c.stubbed.find((s) => s.batch === batch && s.targetRate === null);
  const stubbedRate = c.stubbed.find((s) => s.targetRate !== null);
  const out: Row[] = [];
  for (const cairn of c.post) {
    out.push({
      step: `POST batch ${cairn.batch}, ${cairn.connections} conns`,
      cairn,
      stubbed: stubbedPost(cairn.batch),
      peer: p.post.find((s) => s.batch === cairn.batch),
      on: 'stmt/s',
    });
  }
  c.atRate.forEach((cairn, i) => {
    out.push({
      step: `POST batch 1 at ${cairn.targetRate ?? '?'}/s, ${cairn.name.replace(/^.*\/s, /, '')}`,
      cairn,
      stubbed: stubbedRate,
      peer: p.atRate[i],
      on: 'p99',
    });
  });
  out.push({
    step: `seed: batch ${c.seeding.batch}`,
    cairn: c.seeding,
    stubbed: undefined,
    peer: p.seeding,
    on: 'stmt/s',
  });
  for (const cairn of c.get) {
    const shape = cairn.name.replace(/^GET /, '');
    out.push({
      step: `GET ${shape}${p.caveats[shape] !== undefined ? ' (†)' : ''}`,
      cairn,
      stubbed: undefined,
      peer: p.get.find((s) => s.name.endsWith(`GET ${shape}`)),
      on: 'p99',
    });
  }
  return out;
}

function rate(s: Scenario | undefined): number | null {
  if (s === undefined) return null;
  return s.batch > 1 ? s.figures.statementsPerSec : s.figures.requestsPerSec;
}

/** Cairn's lead on the row's figure: "yes x3.1" or "NO x0.8". */
function verdict(r: Row): string {
  if (r.cairn === undefined || r.peer === undefined) return '-';
  if (r.peer.load.ok === 0) return r.cairn.load.ok > 0 ? 'yes (peer: no 2xx)' : '-';
  const sequential = r.peer.mode === 'sequential' ? ' *' : '';
  if (r.on === 'stmt/s') {
    const x = ratio(r.cairn.figures.statementsPerSec, r.peer.figures.statementsPerSec);
    return `${x > 1 ? 'yes' : 'NO'} x${round(x, 2)} stmt/s${sequential}`;
  }
  // A p99 at a rate not sustained is no p99 at that rate: the one that kept up is ahead.
  if (r.cairn.targetRate !== null) {
    const kept = (s: Scenario) => s.figures.requestsPerSec >= (s.targetRate ?? 0) * 0.95;
    if (kept(r.cairn) !== kept(r.peer)) return kept(r.cairn) ? 'yes (peer fell behind)' : 'NO';
  }
  const x = ratio(r.peer.figures.latencyMs.p99, r.cairn.figures.latencyMs.p99);
  return `${x > 1 ? 'yes' : 'NO'} x${round(x, 2)} p99${sequential}`;
}

/** The side-by-side section of the report. */
export function formatPeer(c: StatementResults, p: PeerResults): string {
  const all = rows(c, p);
  const lines: string[] = [];
  lines.push(
    `Cairn beside ${p.description}, on the same local server (a database of its own), same ` +
      `statements, same load generator. ${p.name} seeded ${p.seeded.storedTotal.toLocaleString('en-US')} ` +
      `statements through its API in ${p.seeded.seconds} s.`,
  );
  lines.push(
    table(
      [
        'step',
        'Cairn req|stmt/s',
        'p50 ms',
        'p99 ms',
        'stubbed req|stmt/s',
        'p50 ms',
        'p99 ms',
        `${p.name} req|stmt/s`,
        'p50 ms',
        'p99 ms',
        'Cairn ahead',
      ],
      all.map((r): Cell[] => [
        r.step,
        rate(r.cairn),
        r.cairn?.figures.latencyMs.p50 ?? null,
        r.cairn?.figures.latencyMs.p99 ?? null,
        rate(r.stubbed),
        r.stubbed?.figures.latencyMs.p50 ?? null,
        r.stubbed?.figures.latencyMs.p99 ?? null,
        rate(r.peer),
        r.peer?.figures.latencyMs.p50 ?? null,
        r.peer?.figures.latencyMs.p99 ?? null,
        verdict(r),
      ]),
    ),
  );
  lines.push(
    'req|stmt/s: statements per second for batches above 1, requests per second otherwise. ' +
      'stubbed: the same Cairn with its statements collection answered by the stub (the API alone).',
  );
  lines.push('');
  lines.push(
    table(
      [
        'CPU per statement or GET, µs',
        'Cairn API',
        'Cairn DB server',
        'stubbed API',
        `${p.name} API`,
        `${p.name} DB server`,
      ],
      all.map((r): Cell[] => [
        r.step,
        r.cairn?.figures.apiCpuUsPerStatement ?? null,
        r.cairn?.figures.mongoServerCpuUsPerStatement ?? null,
        r.stubbed?.figures.apiCpuUsPerStatement ?? null,
        r.peer?.figures.apiCpuUsPerStatement ?? null,
        r.peer?.figures.mongoServerCpuUsPerStatement ?? null,
      ]),
    ),
  );
  lines.push(
    `API: the server process's CPU (Cairn: the bench process, where it runs; ` +
      `${p.name}: its own process, from /proc). DB server: the local server's CPU, from /proc.`,
  );
  const caveats = Object.entries(p.caveats);
  if (caveats.length > 0) {
    lines.push(`† ${p.name}: ${caveats.map(([shape, what]) => `${shape}: ${what}`).join('; ')}.`);
  }
  if ([...p.post, ...p.atRate, ...p.get].some((s) => s.mode === 'sequential')) {
    lines.push(
      '* the peer ran single requests one after another in that step (too slow for its load).',
    );
  }
  const failed = [...p.post, ...p.atRate, p.seeding, ...p.get].filter(
    (s) => s.load.non2xx + s.load.errors > 0,
  );
  for (const s of failed) {
    lines.push(
      `WARNING: ${s.name}: ${s.load.non2xx + s.load.errors} failed requests ` +
        `(${JSON.stringify(s.load.statusCodes)}): ${s.load.firstError ?? ''}`,
    );
  }
  return lines.join('\n');
}
