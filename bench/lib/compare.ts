import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipelineFigures, type StepFigure } from './pipeline-report.js';
import type { PipelineResults } from './pipeline-steps.js';
import { ratio } from './stats.js';

/** The parts of a results file the comparison reads (older files may lack some lists). */
export interface ComparableRun {
  readonly meta: {
    readonly date: string;
    readonly config: {
      readonly quick: boolean;
      readonly suite?: 'all' | 'statements' | 'pipeline';
    };
    /** Absent from the oldest files. */
    readonly servers?: { readonly mongo: string };
  };
  readonly results: object;
}

interface ComparableScenario {
  readonly name: string;
  readonly figures: {
    readonly statementsPerSec: number;
    readonly requestsPerSec: number;
    readonly latencyMs: { readonly p50: number };
    readonly apiCpuUsPerStatement: number;
  };
}

export interface ChangeRow {
  readonly step: string;
  readonly metric: string;
  readonly before: number;
  readonly now: number;
  /** Change in percent, positive when the figure grew. */
  readonly changePct: number;
  /** Worse by more than {@link REGRESSION_PCT} percent in the metric's own direction. */
  readonly regression: boolean;
}

export interface Comparison {
  /** The file compared with; null when there is none of the same kind. */
  readonly previous: string | null;
  readonly rows: readonly ChangeRow[];
}

/** Worse by more than this is flagged: run-to-run noise on one machine stays well inside it. */
export const REGRESSION_PCT = 10;

/** The scenario lists compared, by the key results files hold them under. */
const LISTS = ['post', 'atRate', 'stubbed', 'get', 'documents'] as const;

const METRICS: readonly {
  readonly name: string;
  readonly higherIsBetter: boolean;
  readonly of: (s: ComparableScenario) => number;
}[] = [
  { name: 'req/s', higherIsBetter: true, of: (s) => s.figures.requestsPerSec },
  { name: 'p50 ms', higherIsBetter: false, of: (s) => s.figures.latencyMs.p50 },
  { name: 'API CPU µs/stmt', higherIsBetter: false, of: (s) => s.figures.apiCpuUsPerStatement },
];

function scenarios(run: ComparableRun): Map<string, ComparableScenario> {
  const found = new Map<string, ComparableScenario>();
  for (const list of LISTS) {
    const value = (run.results as Readonly<Record<string, unknown>>)[list];
    if (!Array.isArray(value)) continue;
    for (const s of value as ComparableScenario[]) found.set(s.name, s);
  }
  return found;
}

/** Every compared figure of a run: the scenarios' (METRICS), then the pipeline's. */
function figures(run: ComparableRun): Map<string, StepFigure> {
  const found = new Map<string, StepFigure>();
  for (const [step, s] of scenarios(run)) {
    for (const metric of METRICS) {
      const figure = {
        step,
        metric: metric.name,
        value: metric.of(s),
        higherIsBetter: metric.higherIsBetter,
      };
      found.set(`${step}\u0000${metric.name}`, figure);
    }
  }
  // Results files from before the pipeline steps have no `pipeline`.
  const pipeline = (run.results as { readonly pipeline?: PipelineResults | null }).pipeline;
  if (pipeline !== undefined && pipeline !== null) {
    for (const f of pipelineFigures(pipeline)) found.set(`${f.step}\u0000${f.metric}`, f);
  }
  return found;
}

/**
 * Every figure of a step both runs measured, with its change; a step only one run has is left
 * out (the steps of a harness grow as Cairn does).
 */
export function compareRuns(previous: ComparableRun, current: ComparableRun): ChangeRow[] {
  const before = figures(previous);
  const rows: ChangeRow[] = [];
  for (const [key, now] of figures(current)) {
    const then = before.get(key);
    if (then === undefined) continue;
    const [a, b] = [then.value, now.value];
    if (!Number.isFinite(a) || !Number.isFinite(b) || a === 0) continue;
    const changePct = Math.round((ratio(b, a) - 1) * 1000) / 10;
    const worsePct = now.higherIsBetter ? -changePct : changePct;
    rows.push({
      step: now.step,
      metric: now.metric,
      before: a,
      now: b,
      changePct,
      regression: worsePct > REGRESSION_PCT,
    });
  }
  return rows;
}

/** The database server's product: "FerretDB", "mongo-java-server", "MongoDB". */
function serverProduct(run: ComparableRun): string {
  return /^\S+/.exec(run.meta.servers?.mongo ?? '')?.[0] ?? '';
}

/**
 * Same suite, mode and database server: a quick run is compared with quick runs only, and a run
 * on the local server never with one on FerretDB (the results before it), whose every query
 * scanned.
 */
function sameKind(a: ComparableRun, b: ComparableRun): boolean {
  return (
    a.meta.config.quick === b.meta.config.quick &&
    (a.meta.config.suite ?? 'statements') === (b.meta.config.suite ?? 'statements') &&
    serverProduct(a) === serverProduct(b)
  );
}

/** The comparison with the latest earlier results file of the same kind in `dir`. */
export function compareWithPrevious(
  dir: string,
  currentFile: string,
  current: ComparableRun,
): Comparison {
  let latest: { file: string; run: ComparableRun } | null = null;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.json') || file === currentFile) continue;
    let run: ComparableRun;
    try {
      run = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ComparableRun;
    } catch {
      continue;
    }
    if (typeof run.meta?.date !== 'string' || !sameKind(run, current)) continue;
    if (run.meta.date >= current.meta.date) continue;
    if (latest === null || run.meta.date > latest.run.meta.date) latest = { file, run };
  }
  if (latest === null) return { previous: null, rows: [] };
  return { previous: latest.file, rows: compareRuns(latest.run, current) };
}
