import type { Figures } from './scenario.js';

/** A target of issue 3's "Speed" section and whether this run met it. Benchmarks do not gate. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface TargetInputs {
  /** POST figures at batch sizes 1, 10 and 100 (same store, same connections). */
  readonly postByBatch: ReadonlyMap<number, Figures>;
  /** Single-statement POST at a fixed rate, with the rate asked for; one per store size. */
  readonly atRate: readonly {
    readonly label: string;
    readonly rate: number;
    readonly figures: Figures;
  }[];
  /** The same against the statement stub: the API's own share, the database's taken out. */
  readonly stubbed?: {
    readonly postByBatch: ReadonlyMap<number, Figures>;
    readonly atRate: readonly { readonly rate: number; readonly figures: Figures }[];
  };
}

/** Tolerance on "does not grow": the credential re-check every few seconds adds a little. */
const GROWTH_TOLERANCE = 0.1;

function perPost(
  inputs: TargetInputs,
  pick: (f: Figures) => number,
  max: number,
  what: string,
): TargetCheck {
  const entries = [...inputs.postByBatch].sort(([a], [b]) => a - b);
  const values = entries.map(([, f]) => pick(f));
  const smallest = values[0] ?? Number.NaN;
  const grows = values.some((v) => v > smallest + GROWTH_TOLERANCE);
  return {
    target: `${what} per POST <= ${max}, not growing with batch size`,
    measured: entries.map(([batch], i) => `batch ${batch}: ${fmt(values[i])}`).join(', '),
    met: values.length > 0 && values.every((v) => v <= max) && !grows,
  };
}

function fmt(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? 'n/a' : String(Number(value.toFixed(2)));
}

function cpuAtBatch100(b100: Figures | undefined, label: string): TargetCheck {
  return {
    target: `API CPU per statement at batch 100 <= 40 µs${label}`,
    measured:
      b100 === undefined
        ? 'not measured'
        : `${fmt(b100.apiCpuUsPerStatement)} µs (${fmt(b100.apiCpuUsPerStatementNet)} µs net of auth and idle)`,
    met: b100 !== undefined && b100.apiCpuUsPerStatement <= 40,
  };
}

/** Checks the four targets of issue 3 against a run's figures (and the stubbed steps'). */
export function checkTargets(inputs: TargetInputs): TargetCheck[] {
  const checks = [
    perPost(
      inputs,
      (f) => f.mongoRequestCommandsPerRequest,
      3,
      'MongoDB commands (credential cache refreshes aside)',
    ),
    perPost(inputs, (f) => f.redisCommandsPerRequest, 2, 'Redis commands'),
  ];
  checks.push(cpuAtBatch100(inputs.postByBatch.get(100), ''));
  if (inputs.stubbed !== undefined) {
    checks.push(cpuAtBatch100(inputs.stubbed.postByBatch.get(100), ', statements stubbed'));
  }
  const atRate = [
    ...inputs.atRate,
    ...(inputs.stubbed?.atRate ?? []).map((r) => ({ ...r, label: 'statements stubbed' })),
  ];
  for (const run of atRate) {
    // A p99 at a rate the server did not sustain says nothing about that rate.
    const sustained = run.figures.requestsPerSec >= run.rate * 0.95;
    checks.push({
      target: `single-statement POST p99 < 25 ms at ${run.rate} req/s (${run.label})`,
      measured: `p99 ${fmt(run.figures.latencyMs.p99)} ms at ${fmt(run.figures.requestsPerSec)} req/s`,
      met: sustained && run.figures.latencyMs.p99 < 25,
    });
  }
  return checks;
}

/** Issue 17's targets for the Statements resource, with this many statements stored. */
export const LOCAL_SERVER_TARGETS = {
  stored: 100_000,
  /** Single-statement POST at 200 req/s, p99 ms. */
  postAtRateP99Ms: 50,
  /** POST in batches of 100, statements per second. */
  batch100StatementsPerSec: 5_000,
  /** GET by statementId, p99 ms. */
  getByIdP99Ms: 10,
  /** Filtered GETs, p99 ms. */
  filteredGetP99Ms: 300,
} as const;

/** The GET shapes issue 17 calls filtered. */
export const FILTERED_SHAPES = [
  'agent',
  'verb',
  'activity',
  'activity+related_activities',
  'agent+related_agents',
  'registration',
] as const;

export interface LocalServerTargetInputs {
  /** Statements stored when the GETs and the second rate step ran. */
  readonly stored: number;
  readonly rate: number;
  /** The single-statement POST at `rate` on the full store. */
  readonly atRateStored: Figures | undefined;
  readonly batch100: Figures | undefined;
  /** GET figures by shape (statementId, agent, ...). */
  readonly getByShape: ReadonlyMap<string, Figures>;
}

/** Checks issue 17's Statements targets (its "Speed" section) against a run's figures. */
export function checkLocalServerTargets(inputs: LocalServerTargetInputs): TargetCheck[] {
  const t = LOCAL_SERVER_TARGETS;
  const enough = inputs.stored >= t.stored;
  const stored = `${inputs.stored.toLocaleString('en-US')} stored`;
  const checks: TargetCheck[] = [];
  const r = inputs.atRateStored;
  checks.push({
    target: `single-statement POST p99 < ${t.postAtRateP99Ms} ms at ${inputs.rate} req/s, ${t.stored.toLocaleString('en-US')} stored (issue 17)`,
    measured:
      r === undefined
        ? 'not measured'
        : `p99 ${fmt(r.latencyMs.p99)} ms at ${fmt(r.requestsPerSec)} req/s, ${stored}`,
    met:
      enough &&
      r !== undefined &&
      r.requestsPerSec >= inputs.rate * 0.95 &&
      r.latencyMs.p99 < t.postAtRateP99Ms,
  });
  const b = inputs.batch100;
  checks.push({
    target: `POST in batches of 100 >= ${t.batch100StatementsPerSec.toLocaleString('en-US')} stmt/s (issue 17)`,
    measured: b === undefined ? 'not measured' : `${fmt(b.statementsPerSec)} stmt/s`,
    met: b !== undefined && b.statementsPerSec >= t.batch100StatementsPerSec,
  });
  const byId = inputs.getByShape.get('statementId');
  checks.push({
    target: `GET by statementId p99 < ${t.getByIdP99Ms} ms (issue 17)`,
    measured: byId === undefined ? 'not measured' : `p99 ${fmt(byId.latencyMs.p99)} ms, ${stored}`,
    met: enough && byId !== undefined && byId.latencyMs.p99 < t.getByIdP99Ms,
  });
  const filtered = FILTERED_SHAPES.map((shape) => [shape, inputs.getByShape.get(shape)] as const);
  const slow = filtered.filter(([, f]) => f === undefined || f.latencyMs.p99 >= t.filteredGetP99Ms);
  checks.push({
    target: `filtered GETs p99 < ${t.filteredGetP99Ms} ms (${FILTERED_SHAPES.join(', ')}; issue 17)`,
    measured:
      filtered
        .map(([shape, f]) => `${shape} ${f === undefined ? 'n/a' : fmt(f.latencyMs.p99)}`)
        .join(', ') + ` ms, ${stored}`,
    met: enough && slow.length === 0,
  });
  return checks;
}
