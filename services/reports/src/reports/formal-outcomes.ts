import { discloseCells, Y_SCALE, type Relaxation } from '@cairn/analytics';
import type { ActivityOutcome } from '@cairn/store';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import type { DirectoryIndex } from './directory-index.js';
import { cohortMeta } from './heatmap.js';
import { ORGANISATION } from './people-index.js';
import type { CohortScope } from './report-params.js';
import type { SkillColumns } from './skill-columns.js';

const BINS = 10;

export const OUTCOME_COLUMNS: readonly ReportColumn[] = [
  { name: 'activityId', type: 'string', description: 'The activity (course, assessment, item)' },
  { name: 'skill', type: 'string', description: 'Skill IRI the outcomes are evidence of' },
  { name: 'cohort', type: 'string', description: 'The cohort (or organisation)' },
  {
    name: 'withheld',
    type: 'string',
    description: 'Why the figures are withheld; null when shown',
  },
  {
    name: 'people',
    type: 'integer',
    description: 'Distinct people with an outcome on it up to asOf',
  },
  {
    name: 'outcomes',
    type: 'integer',
    description: 'Outcomes in [from, asOf] (passed, failed, scored, answered...)',
  },
  { name: 'passed', type: 'integer', description: 'Of them, passed' },
  { name: 'failed', type: 'integer', description: 'Of them, failed' },
  {
    name: 'passRate',
    type: 'number',
    description: 'passed / (passed + failed); null without either',
  },
  { name: 'meanScore', type: 'number', description: 'Weighted mean outcome y in [0, 1]' },
  ...Array.from({ length: BINS }, (_, i): ReportColumn => ({
    name: `score${i * 10}to${i * 10 + 10}`,
    type: 'integer',
    description: `Outcomes with y in [${i / 10}, ${(i + 1) / 10}${i === BINS - 1 ? ']' : ')'}`,
  })),
];

interface Cell {
  readonly activityId: string;
  readonly skill: string;
  readonly cohort: string;
  readonly people: Set<string>;
  outcomes: bigint;
  passed: bigint;
  failed: bigint;
  w: bigint;
  wy: bigint;
  readonly bins: bigint[];
}

/**
 * Pass rates and score distributions by activity (docs/reports.md, "Formal outcomes"), for the
 * whole organisation or one cohort (`cohortValue` of the attribute `cohort`). A score histogram
 * of a few people would show their scores, so an activity with fewer than k people is withheld,
 * and a cohort's activity also against the organisation's (the difference is the rest).
 */
export function formalOutcomes(input: {
  readonly outcomes: readonly ActivityOutcome[];
  readonly directory: DirectoryIndex;
  readonly columns: SkillColumns;
  readonly scope: CohortScope;
  readonly cohortValue: string | undefined;
  readonly k: number;
}): ReportTable {
  const { directory, scope, k, cohortValue } = input;
  const cells = new Map<string, Cell>();
  /** Per cell, its people, and those of its people with outcomes outside the cohort. */
  const outside = new Map<string, Set<string>>();
  for (const { key, totals } of input.outcomes) {
    if (key.day > scope.asOf) continue;
    const person = directory.personOf(key.subject);
    const on = scope.membership === 'event' ? key.day : scope.asOf;
    const inCohort =
      cohortValue === undefined || directory.cohortOn(person, scope.cohort, on) === cohortValue;
    for (const column of input.columns.columnsOf(key.skill))
      for (const cohort of cohortValue === undefined
        ? [ORGANISATION]
        : [cohortValue, ORGANISATION]) {
        const id = JSON.stringify([key.activityId, column.skill, cohort]);
        if (cohort !== ORGANISATION && !inCohort) {
          const set = outside.get(id) ?? new Set<string>();
          set.add(person);
          outside.set(id, set);
          continue;
        }
        const cell = cells.get(id) ?? {
          activityId: key.activityId,
          skill: column.skill,
          cohort,
          people: new Set<string>(),
          outcomes: 0n,
          passed: 0n,
          failed: 0n,
          w: 0n,
          wy: 0n,
          bins: Array.from({ length: BINS }, () => 0n),
        };
        cell.people.add(person);
        if (key.day >= scope.from) {
          cell.outcomes += totals.statements;
          if (key.concept === 'passed') cell.passed += totals.statements;
          if (key.concept === 'failed') cell.failed += totals.statements;
          cell.w += totals.w;
          cell.wy += totals.wy;
          totals.bins.forEach((n, i) => (cell.bins[i] = (cell.bins[i] ?? 0n) + n));
        }
        cells.set(id, cell);
      }
  }
  const list = [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const decisions = discloseCells({
    k,
    cells: list.map(([id, c]) => {
      const relaxations: Relaxation[] = [];
      if (c.cohort !== ORGANISATION) {
        const org = cells.get(JSON.stringify([c.activityId, c.skill, ORGANISATION]));
        const more = new Set([...(outside.get(id) ?? [])].filter((p) => c.people.has(p)));
        if (org !== undefined)
          relaxations.push({
            contributors: org.people,
            sufficient: org.people,
            changed: { contributors: more, sufficient: more },
          });
      }
      return {
        id,
        contributors: c.people,
        sufficient: c.people,
        relaxations,
        volume: c,
        mastery: c,
      };
    }),
  });
  const rows: ReportRow[] = list.map(([id, c]) => {
    const d = decisions.get(id);
    const shown = d?.volume.shown === true;
    const decided = c.passed + c.failed;
    return {
      activityId: c.activityId,
      skill: c.skill,
      cohort: c.cohort,
      withheld: d?.volume.shown === false ? d.volume.reason : null,
      people: shown ? c.people.size : null,
      outcomes: shown ? Number(c.outcomes) : null,
      passed: shown ? Number(c.passed) : null,
      failed: shown ? Number(c.failed) : null,
      passRate: shown && decided > 0n ? Number(c.passed) / Number(decided) : null,
      meanScore: shown && c.w > 0n ? Number(c.wy) / Number(c.w) / Y_SCALE : null,
      ...Object.fromEntries(
        c.bins.map((n, i) => [`score${i * 10}to${i * 10 + 10}`, shown ? Number(n) : null]),
      ),
    };
  });
  return {
    report: 'formal-outcomes',
    meta: {
      ...cohortMeta(scope, k),
      cohortValue: cohortValue ?? null,
      note: 'Completions without a result are practice, not outcomes: see the platforms view of /social-formal (concept completed).',
    },
    columns: OUTCOME_COLUMNS,
    rows,
  };
}
