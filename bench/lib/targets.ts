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
