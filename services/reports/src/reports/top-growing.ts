import { rankGrowth } from '@cairn/analytics';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import { cellId } from './cohort-evidence.js';
import { cohortMeta, type JudgedCell } from './heatmap.js';
import type { CohortScope } from './report-params.js';

export const TOP_GROWING_COLUMNS: readonly ReportColumn[] = [
  { name: 'rank', type: 'integer', description: '1 for the strongest evidence of growth' },
  { name: 'attribute', type: 'string', description: 'The cohort attribute (or organisation)' },
  { name: 'cohort', type: 'string', description: 'The cohort' },
  { name: 'skill', type: 'string', description: 'Skill IRI' },
  { name: 'skillName', type: 'string', description: 'Skill name' },
  {
    name: 'delta',
    type: 'number',
    description: 'Pooled mastery of the last period minus the period before',
  },
  { name: 'z', type: 'number', description: 'delta / sqrt(var(recent) + var(prior))' },
  {
    name: 'growing',
    type: 'boolean',
    description: 'z > threshold and both windows have at least nMin evidence',
  },
  { name: 'threshold', type: 'number', description: 'The z threshold of the test' },
  { name: 'nMin', type: 'number', description: 'Evidence each window needs' },
  { name: 'recentMean', type: 'number', description: 'Posterior mean of the recent window' },
  { name: 'priorMean', type: 'number', description: 'Posterior mean of the window before' },
  { name: 'recentEvidence', type: 'number', description: 'Evidence of the recent window' },
  { name: 'priorEvidence', type: 'number', description: 'Evidence of the window before' },
  { name: 'periodDays', type: 'integer', description: 'Days of each window' },
];

/**
 * Cohort x skill cells ranked by the growth of their pooled evidence, with the test behind
 * "growing" (docs/analytics-core.md, section 5). Withheld cells are not ranked at all: a rank
 * would say something about their figures.
 */
export function topGrowing(
  cells: readonly JudgedCell[],
  scope: CohortScope,
  k: number,
  limit: number,
): ReportTable {
  const shown = new Map(
    cells
      .filter((c) => c.mastery !== null)
      .map((c) => [cellId(c.cell.attribute, c.cell.cohort, c.cell.column.skill), c] as const),
  );
  const ranked = rankGrowth(
    [...shown].flatMap(([id, c]) => (c.mastery === null ? [] : [{ id, growth: c.mastery.growth }])),
  ).slice(0, limit);
  const rows: ReportRow[] = ranked.flatMap((r) => {
    const judged = shown.get(r.id);
    if (judged === undefined) return [];
    const { cell } = judged;
    return [
      {
        rank: r.rank,
        attribute: cell.attribute,
        cohort: cell.cohort,
        skill: cell.column.skill,
        skillName: cell.column.name,
        delta: r.delta,
        z: Number.isFinite(r.z) ? r.z : null,
        growing: r.growing,
        threshold: r.test.threshold,
        nMin: r.test.nMin,
        recentMean: r.test.recent.mean,
        priorMean: r.test.prior.mean,
        recentEvidence: r.test.recent.evidence,
        priorEvidence: r.test.prior.evidence,
        periodDays: r.test.periodDays,
      },
    ];
  });
  return { report: 'top-growing', meta: cohortMeta(scope, k), columns: TOP_GROWING_COLUMNS, rows };
}
