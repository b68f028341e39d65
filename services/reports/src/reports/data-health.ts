import type { PipelineMonitor } from '@cairn/jobs';
import type { Store } from '@cairn/store';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import type { DirectoryIndex } from './directory-index.js';
import type { Pseudonymiser } from './pseudonyms.js';

export const DATA_HEALTH_COLUMNS: readonly ReportColumn[] = [
  { name: 'check', type: 'string', description: 'What is checked' },
  { name: 'count', type: 'integer', description: 'How many things fail it (null: not known)' },
  { name: 'example', type: 'string', description: 'One of them, to look at' },
  { name: 'fix', type: 'string', description: 'What to do about it' },
];

const EXAMPLES = 3;

export interface DataHealthInput {
  readonly store: Store;
  readonly storeId: string;
  readonly directory: DirectoryIndex;
  /** Absent when the service runs without the pipeline's queues. */
  readonly pipeline: PipelineMonitor | undefined;
  /** May the caller see person ids (reports:person)? Otherwise examples of people are withheld. */
  readonly personLevel: boolean;
  readonly alias: Pseudonymiser;
}

/**
 * What keeps a store's reports from being complete, with counts and examples: verbs the verb
 * table does not know (their statements give no evidence), people the directory does not place in
 * a cohort, statements the pipeline still owes, failed pipeline jobs and the pipeline's lag.
 */
export async function dataHealth(input: DataHealthInput): Promise<ReportTable> {
  const { store, storeId, directory, pipeline, personLevel, alias } = input;
  const [unknownVerbs, unaligned, failedJobs, metrics] = await Promise.all([
    store.unknownVerbsOf(storeId).list(),
    store.unalignedActivitiesOf(storeId).list(),
    pipeline?.failed.list({ storeId, offset: 0, limit: EXAMPLES }),
    pipeline?.metrics(),
  ]);
  const undirected = [...directory.people].filter((p) => directory.recordOf(p) === undefined);
  const lagAll = metrics?.lag.find((l) => l.partition === 'all');
  const rows: ReportRow[] = [
    {
      check: 'unmapped verbs',
      count: unknownVerbs.reduce((n, v) => n + v.statements, 0),
      example: unknownVerbs
        .slice(0, EXAMPLES)
        .map((v) => `${v.verb} (${v.statements} statements, e.g. ${v.lastStatementId})`)
        .join('; '),
      fix: 'map each verb to a concept: PUT /api/v1/verbs (docs/skills-and-rules.md)',
    },
    {
      check: 'unaligned activities',
      count: unaligned.reduce((n, a) => n + a.statements, 0),
      example: unaligned
        .slice(0, EXAMPLES)
        .map((a) => `${a.activityId} (${a.statements} statements, e.g. ${a.lastStatementId})`)
        .join('; '),
      fix: 'align them to skills with a rule: PUT /api/v1/rules (docs/skills-and-rules.md)',
    },
    {
      check: 'people without a directory entry',
      count: undirected.length,
      example: personLevel ? undirected.slice(0, EXAMPLES).map(alias).join('; ') : null,
      fix: 'import the directory again with them: POST /api/v1/directory (docs/identity.md)',
    },
    {
      check: 'failed pipeline jobs',
      count: failedJobs?.total ?? null,
      example:
        failedJobs?.jobs
          .map((j) => `${j.queue}/${j.id}: ${j.failedReason}`)
          .slice(0, EXAMPLES)
          .join('; ') ?? null,
      fix: 'retry or discard them: /admin/v1/pipeline/failed (docs/admin.md)',
    },
    {
      check: 'pipeline lag p99 (ms, last 5 minutes)',
      count: lagAll?.p99Ms ?? null,
      example:
        lagAll === undefined ? null : `${lagAll.samples} batches, p50 ${lagAll.p50Ms ?? '-'} ms`,
      fix: 'run more aggregator processes (docs/scaling.md)',
    },
  ];
  return {
    report: 'data-health',
    meta: { pipeline: pipeline === undefined ? 'not connected' : 'connected' },
    columns: DATA_HEALTH_COLUMNS,
    rows,
  };
}
