import type { Comparison } from './compare.js';
import type { Scenario } from './scenario.js';
import { round } from './stats.js';
import { table } from './table.js';

/** The table of the document, Activities and Agents steps. */
export function formatDocuments(steps: readonly Scenario[], addresses: number): string {
  return table(
    [
      `Documents, Activities, Agents (${addresses} addresses)`,
      'conns',
      'n',
      'req/s',
      'p50 ms',
      'p99 ms',
      'in DB ms/req',
      'API CPU µs/req',
      'Mongo cmds/req',
      'failed',
    ],
    steps.map((s) => [
      s.mode === 'sequential' ? `${s.name} *` : s.name,
      s.mode === 'sequential' ? 1 : s.connections,
      s.figures.latencyMs.count,
      s.figures.requestsPerSec,
      s.figures.latencyMs.p50,
      s.figures.latencyMs.p99,
      s.figures.mongoMsPerRequest,
      s.figures.apiCpuUsPerRequest,
      s.figures.mongoRequestCommandsPerRequest,
      s.load.non2xx + s.load.errors,
    ]),
  );
}

/** A part of the system the harness would measure once it exists. */
export interface Skipped {
  readonly part: string;
  readonly reason: string;
}

/** The comparison as text: every flagged regression, then how many figures moved. */
export function formatComparison(c: Comparison): string {
  if (c.previous === null)
    return 'No earlier results of this kind in bench/results: nothing to compare.';
  const flagged = c.rows.filter((r) => r.regression);
  const lines = [
    `Compared with ${c.previous}: ${c.rows.length} figures, ${flagged.length} worse by more than 10%.`,
  ];
  if (flagged.length > 0) {
    lines.push(
      table(
        ['REGRESSION: step', 'figure', 'before', 'now', 'change %'],
        flagged.map((r) => [r.step, r.metric, round(r.before), round(r.now), r.changePct]),
      ),
    );
  }
  return lines.join('\n');
}

export interface MarkdownInput {
  readonly title: string;
  readonly meta: {
    readonly date: string;
    readonly git: { readonly sha: string; readonly dirty: boolean };
    readonly machine: Readonly<Record<string, unknown>>;
    readonly node: string;
    readonly servers: { readonly mongo: string; readonly redis: string };
    readonly durationSec: number;
  };
  readonly command: string;
  readonly report: string;
  readonly skipped: readonly Skipped[];
  readonly comparison: Comparison;
}

/** The Markdown summary written next to the JSON results. */
export function formatMarkdown(m: MarkdownInput): string {
  const machine = Object.entries(m.meta.machine)
    .map(([key, value]) => `- ${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('\n');
  const skipped =
    m.skipped.length === 0
      ? 'Nothing.'
      : m.skipped.map((s) => `- ${s.part}: ${s.reason}`).join('\n');
  return [
    `# ${m.title}`,
    '',
    `${m.meta.date}, commit ${m.meta.git.sha}${m.meta.git.dirty ? ' (with uncommitted changes)' : ''}, ` +
      `\`${m.command}\`, ${m.meta.durationSec} s.`,
    '',
    '## Machine',
    '',
    machine,
    `- Node: ${m.meta.node}`,
    `- ${m.meta.servers.mongo}`,
    `- ${m.meta.servers.redis}`,
    '',
    '## Figures',
    '',
    '```text',
    m.report,
    '```',
    '',
    '## Skipped',
    '',
    skipped,
    '',
    '## Compared with the previous run',
    '',
    '```text',
    formatComparison(m.comparison),
    '```',
    '',
  ].join('\n');
}
