import {
  LOCAL_SERVER_PIPELINE_TARGETS,
  PIPELINE_TARGETS,
  type LagRun,
  type PipelineResults,
  type WorkerFigures,
} from './pipeline-steps.js';
import { round } from './stats.js';
import { table, type Cell } from './table.js';
import type { TargetCheck } from './targets.js';

/** One figure of a step, with the direction in which it gets better (for the comparison). */
export interface StepFigure {
  readonly step: string;
  readonly metric: string;
  readonly value: number;
  readonly higherIsBetter: boolean;
}

const n = (value: number) => value.toLocaleString('en-US');

function backlogName(p: PipelineResults): string {
  return `pipeline: backlog of ${n(p.backlog.worker.statements)}, batch ${p.config.batch}`;
}

function loadName(run: LagRun): string {
  return `pipeline: ${n(run.rate)} stmt/s, batch ${run.batch}`;
}

/**
 * The pipeline's figures that a later run is compared on. Step names hold the backlog size, the
 * rate and the batch, so that only like is compared with like.
 */
export function pipelineFigures(p: PipelineResults): StepFigure[] {
  const backlog = backlogName(p);
  const w = p.backlog.worker;
  const figures: StepFigure[] = [
    { step: backlog, metric: 'stmt/s', value: w.statementsPerSec, higherIsBetter: true },
    {
      step: backlog,
      metric: 'worker CPU µs/stmt',
      value: w.cpuUsPerStatement,
      higherIsBetter: false,
    },
    {
      step: backlog,
      metric: 'Mongo cmds/batch',
      value: w.mongoCommandsPerBatch,
      higherIsBetter: false,
    },
  ];
  for (const run of p.load) {
    const step = loadName(run);
    if (run.lag.p99Ms !== null) {
      figures.push({ step, metric: 'lag p99 ms', value: run.lag.p99Ms, higherIsBetter: false });
    }
    figures.push({
      step,
      metric: 'worker CPU µs/stmt',
      value: run.worker.cpuUsPerStatement,
      higherIsBetter: false,
    });
  }
  // Named by the backlog, not by the statements stored in the end (the load adds a varying few).
  const audit = `after a backlog of ${n(p.config.statements)}, batch ${p.config.batch}`;
  figures.push(
    {
      step: `pipeline: verify ${audit}`,
      metric: 'stmt/s',
      value: p.audit.verify.statementsPerSec,
      higherIsBetter: true,
    },
    {
      step: `pipeline: rebuild ${audit}`,
      metric: 'stmt/s',
      value: p.audit.rebuild.statementsPerSec,
      higherIsBetter: true,
    },
  );
  return figures;
}

function fmt(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : n(round(value));
}

/** The lag target at `rate` against the run at that rate, if any. */
function lagCheck(p: PipelineResults, rate: number, lagP99Ms: number, issue: string): TargetCheck {
  const atTarget = p.load.find((r) => r.rate === rate);
  const lagTarget = `lag p99 < ${lagP99Ms / 1000} s at ${n(rate)} stmt/s (${issue})`;
  if (atTarget === undefined) {
    const best = p.load[0];
    return {
      target: lagTarget,
      measured:
        best === undefined
          ? 'not measured'
          : `not attempted; p99 ${fmt(best.lag.p99Ms)} ms at ${fmt(best.achievedStatementsPerSec)} stmt/s`,
      met: false,
    };
  }
  // A p99 at a rate the LRS did not take says nothing about that rate.
  const sustained = atTarget.achievedStatementsPerSec >= rate * 0.95;
  return {
    target: lagTarget,
    measured: `p99 ${fmt(atTarget.lag.p99Ms)} ms at ${fmt(atTarget.achievedStatementsPerSec)} stmt/s`,
    met:
      sustained &&
      atTarget.worker.drained &&
      atTarget.lag.p99Ms !== null &&
      atTarget.lag.p99Ms < lagP99Ms,
  };
}

/** Issues 6's and 17's targets against this run's figures. Reported, not enforced. */
export function checkPipelineTargets(p: PipelineResults): TargetCheck[] {
  const w = p.backlog.worker;
  const local = LOCAL_SERVER_PIPELINE_TARGETS;
  const checks: TargetCheck[] = [
    {
      target: `a backlog of ${n(local.backlog)} drains at >= ${n(local.drainStatementsPerSec)} stmt/s (issue 17)`,
      measured:
        `${fmt(w.statementsPerSec)} stmt/s on a backlog of ${n(w.statements)}` +
        (w.drained ? '' : ', NOT DRAINED'),
      met:
        w.drained &&
        w.statements >= local.backlog &&
        w.statementsPerSec >= local.drainStatementsPerSec,
    },
    lagCheck(p, local.rate, local.lagP99Ms, 'issue 17'),
    {
      target: `worker CPU per statement <= ${PIPELINE_TARGETS.workerCpuUsPerStatement} µs (draining a backlog; issue 6)`,
      measured:
        `${fmt(w.cpuUsPerStatement)} µs (${fmt(w.cpuUsPerStatementNet)} µs net of idle); ` +
        `the DB server's share apart: ${fmt(w.mongoServerCpuUsPerStatement)} µs`,
      met: w.drained && w.cpuUsPerStatement <= PIPELINE_TARGETS.workerCpuUsPerStatement,
    },
    lagCheck(p, PIPELINE_TARGETS.rate, PIPELINE_TARGETS.lagP99Ms, 'issue 6'),
  ];
  const { verify, verifyAfterRebuild } = p.audit;
  checks.push({
    target: 'verify finds no difference (pipeline, then rebuild)',
    measured: `${verify.differences} and ${verifyAfterRebuild.differences} differences`,
    met: verify.differences === 0 && verifyAfterRebuild.differences === 0,
  });
  return checks;
}

function workerRow(name: string, w: WorkerFigures): Cell[] {
  return [
    w.drained ? name : `${name} (NOT DRAINED)`,
    w.statements,
    w.seconds,
    w.statementsPerSec,
    w.evidenceRowsPerSec,
    w.cpuUsPerStatement,
    w.cpuUsPerStatementNet,
    w.mongoCommandsPerBatch,
    w.mongoCommandsPerStatement,
    w.mongoMsPerBatch,
    w.mongoServerCpuUsPerStatement,
    w.cores.worker,
    w.cores.mongoServer,
    w.cores.redis,
    w.cores.api,
  ];
}

/** Commands per batch by command and collection, with their driver-observed ms per batch. */
function mongoBreakdown(w: WorkerFigures): string {
  const ms = w.mongoMsByNamePerBatch ?? {};
  return (
    Object.entries(w.mongoByNamePerBatch)
      .map(([name, count]) => {
        const time = ms[name];
        return `${name} ${count}${time === undefined ? '' : ` (${round(time)} ms)`}`;
      })
      .join(', ') || '-'
  );
}

/** The pipeline section of the report. */
export function formatPipeline(p: PipelineResults, targets: readonly TargetCheck[]): string {
  const c = p.config;
  const lines: string[] = [];
  const framework =
    c.framework === null
      ? 'no skill settings (the defaults)'
      : `the simulator's framework imported (${c.framework.skills} skills, ${c.framework.rules} rules, ${c.framework.tags} tags)`;
  lines.push(
    `Skill pipeline (issues 6 and 17): the aggregator as workers/aggregator's main.ts composes it, in a ` +
      `child process; ${c.partitions} partitions, intake concurrency ${c.intakeConcurrency}; ` +
      `${framework}; statements POSTed ${c.postVia === 'lean' ? 'to the LRS without its pre-insert reads (lean)' : 'to the LRS'}.`,
  );
  lines.push(
    `Backlog: ${n(p.backlog.worker.statements)} statements in batches of ${c.batch} (one intake job each), ` +
      `stored in ${p.backlog.storeSeconds} s with the aggregator stopped, then drained.`,
  );
  lines.push(
    table(
      [
        'aggregator',
        'stmts',
        's',
        'stmt/s',
        'evidence rows/s',
        'worker CPU µs/stmt',
        'net µs/stmt',
        'Mongo cmds/batch',
        'Mongo cmds/stmt',
        'in DB ms/batch',
        'DB server CPU µs/stmt',
        'cores: worker',
        'DB server',
        'Redis',
        'LRS',
      ],
      [
        workerRow('backlog', p.backlog.worker),
        ...p.load.map((r) => workerRow(`under ${n(r.rate)} stmt/s`, r.worker)),
      ],
    ),
  );
  lines.push(
    `net: without the worker's idle CPU (${round(p.backlog.idleCpuUsPerSec / 1000)} ms/s). ` +
      'in DB: driver-observed time of the commands, summed (they overlap across partitions).',
  );
  lines.push(
    'MongoDB commands per batch, by command, collection and filter shape (a filter on more than ' +
      '`_id` scans the collection on the local server), with the driver-observed ms they took per batch:',
  );
  lines.push(`  backlog: ${mongoBreakdown(p.backlog.worker)}`);
  for (const r of p.load) lines.push(`  under ${n(r.rate)} stmt/s: ${mongoBreakdown(r.worker)}`);
  const left = p.backlog.leftPending;
  if (left.statements > 0 || left.evidenceRows > 0) {
    lines.push(
      `WARNING: ${left.statements} statements and ${left.evidenceRows} evidence rows were still ` +
        'pending once every queue was empty.',
    );
  }
  lines.push('');
  lines.push(
    table(
      [
        'Lag, stored to aggregated',
        'asked stmt/s',
        'achieved stmt/s',
        'batch',
        's',
        'POST p50 ms',
        'POST p99 ms',
        'lag p50 ms',
        'lag p99 ms',
        'lag max ms',
        'samples',
        'drained after s',
        'failed POSTs',
      ],
      p.load.map((r) => [
        r.label,
        r.rate,
        r.achievedStatementsPerSec,
        r.batch,
        r.loadSec,
        r.postP50Ms,
        r.postP99Ms,
        r.lag.p50Ms,
        r.lag.p99Ms,
        r.lag.maxMs,
        r.lag.samples,
        r.drainAfterLoadSec,
        r.failedPosts,
      ]),
    ),
  );
  lines.push(
    `Lag: the aggregator's own samples for whole batches (recordLag under the batch-done queue), ` +
      `from each statement's stored time until its batch's outbox was cleared.`,
  );
  if (p.targetRateSkipped !== null) {
    lines.push(`No attempt at ${n(PIPELINE_TARGETS.rate)} stmt/s: ${p.targetRateSkipped}.`);
  }
  lines.push('');
  const a = p.audit;
  const verdict = (d: number) => (d === 0 ? 'no difference' : `${d} DIFFERENCES`);
  lines.push(
    table(
      [
        `Audit over ${n(a.statements)} statements (aggregator stopped)`,
        's',
        'stmt/s',
        'evidence rows/s',
        'worker CPU s',
        'Mongo cmds',
        'result',
      ],
      [
        [
          'verify (pipeline buckets)',
          a.verify.seconds,
          a.verify.statementsPerSec,
          null,
          a.verify.workerCpuSec,
          a.verify.mongoCommands,
          verdict(a.verify.differences),
        ],
        [
          'rebuild (from statements)',
          a.rebuild.seconds,
          a.rebuild.statementsPerSec,
          a.rebuild.evidenceRowsPerSec,
          a.rebuild.workerCpuSec,
          a.rebuild.mongoCommands,
          `${n(a.rebuild.rows)} rows, ${n(a.rebuild.buckets)} buckets`,
        ],
        [
          'verify (rebuilt buckets)',
          a.verifyAfterRebuild.seconds,
          a.verifyAfterRebuild.statementsPerSec,
          null,
          a.verifyAfterRebuild.workerCpuSec,
          a.verifyAfterRebuild.mongoCommands,
          verdict(a.verifyAfterRebuild.differences),
        ],
      ],
    ),
  );
  for (const [what, run] of [
    ['verify', a.verify],
    ['verify after rebuild', a.verifyAfterRebuild],
  ] as const) {
    if (run.differences === 0) continue;
    lines.push(`WARNING: ${what} found ${run.differences} difference(s); the first ones:`);
    for (const sample of run.sample) lines.push(`  ${sample}`);
  }
  lines.push(`Worker peak RSS: ${p.peakRssMiB.worker} MiB.`);
  lines.push('');
  lines.push('Targets (issues 6 and 17; reported, not enforced):');
  lines.push(
    table(
      ['target', 'measured', ''],
      targets.map((t) => [t.target, t.measured, t.met ? 'met' : 'NOT MET']),
    ),
  );
  return lines.join('\n');
}
