import {
  cohortMeasures,
  discloseCells,
  personSkillSummary,
  sourcedDaySums,
  type CohortMeasures,
  type DifficultyMastery,
} from '@cairn/analytics';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import {
  cellId,
  type CohortCell,
  type CohortEvidence,
  type PersonBuckets,
} from './cohort-evidence.js';
import {
  columnMastery,
  columnRows,
  withDifficultyMastery,
  type ColumnCalibration,
} from './difficulty-masteries.js';
import type { DirectoryIndex } from './directory-index.js';
import type { DifficultyInputs } from './model-reads.js';
import { ORGANISATION, SOURCES, type CellSpec } from './people-index.js';
import { modelMeta } from './report-model.js';
import type { CohortScope } from './report-params.js';
import type { SkillColumn, SkillColumns } from './skill-columns.js';

export const HEATMAP_COLUMNS: readonly ReportColumn[] = [
  { name: 'attribute', type: 'string', description: 'The cohort attribute (or organisation)' },
  { name: 'cohort', type: 'string', description: 'The cohort' },
  { name: 'skill', type: 'string', description: 'Skill IRI (a parent includes its children)' },
  { name: 'skillName', type: 'string', description: 'Skill name' },
  {
    name: 'withheld',
    type: 'string',
    description:
      'Why every figure of the cell is withheld (fewer-than-k, difference, complement); null when shown',
  },
  {
    name: 'masteryWithheld',
    type: 'string',
    description:
      'Why the mastery figures are withheld (judged on the people with sufficient evidence); null when shown',
  },
  { name: 'people', type: 'integer', description: 'Members with any evidence up to asOf' },
  {
    name: 'sufficient',
    type: 'integer',
    description: 'Members with sufficient evidence (the mastery figures are over these)',
  },
  {
    name: 'meanMastery',
    type: 'number',
    description: "Mean of the sufficient members' mastery (the report's model, meta.model)",
  },
  { name: 'meanLow80', type: 'number', description: '80% credible interval of the mean, low' },
  { name: 'meanHigh80', type: 'number', description: '80% credible interval of the mean, high' },
  {
    name: 'pooledMastery',
    type: 'number',
    description: 'Mastery of the cohort as one learner (pooled decayed evidence, Beta model)',
  },
  {
    name: 'shareProficient',
    type: 'number',
    description: 'Share of the sufficient members at or above the proficiency threshold',
  },
  {
    name: 'shareGrowing',
    type: 'number',
    description: 'Share of the sufficient members whose growth test says growing',
  },
  {
    name: 'formalStatements',
    type: 'integer',
    description: 'Formal evidence rows in [from, asOf]',
  },
  {
    name: 'socialStatements',
    type: 'integer',
    description: 'Social evidence rows in [from, asOf]',
  },
  { name: 'formalEvents', type: 'integer', description: 'Formal events in [from, asOf]' },
  { name: 'socialEvents', type: 'integer', description: 'Social events in [from, asOf]' },
];

function specOf(
  cell: Pick<CohortCell, 'attribute' | 'cohort' | 'column'>,
  scope: CohortScope,
): CellSpec {
  return {
    attribute: cell.attribute,
    cohort: cell.cohort,
    covers: cell.column.covers,
    sources: new Set(scope.source === undefined ? SOURCES : [scope.source]),
  };
}

export interface HeatmapInput {
  readonly scope: CohortScope;
  readonly columns: SkillColumns;
  /** Every column of the store's frameworks, to find a skill's broader skills by IRI. */
  readonly allColumns: SkillColumns;
  readonly evidence: CohortEvidence;
  readonly k: number;
  /** Given: mastery figures are the difficulty model's (else the Beta model's). */
  readonly difficulty?: {
    readonly inputs: DifficultyInputs;
    readonly directory: DirectoryIndex;
  };
}

/**
 * Each member's difficulty-model mastery in a cell, from the member's rows that the cell holds:
 * the days the member was in the cohort (membership on the evidence's day) or all of them. The
 * same rows as the member's profile whenever the cell holds all of the member's evidence, so the
 * cohort mean is the mean of its members' profile figures.
 */
export function difficultyMasteries(
  input: Pick<HeatmapInput, 'scope'> & {
    readonly difficulty: NonNullable<HeatmapInput['difficulty']>;
  },
  asOf: string = input.scope.asOf,
): (cell: CohortCell, person: string) => DifficultyMastery | null {
  const { inputs, directory } = input.difficulty;
  const calibration: ColumnCalibration = inputs.calibration;
  const whole = new Map<string, DifficultyMastery | null>();
  return (cell, person) => {
    const rows = columnRows(inputs.rowsByPerson.get(person) ?? [], cell.column, calibration);
    const byEvent = input.scope.membership === 'event' && cell.attribute !== ORGANISATION;
    const kept = byEvent
      ? rows.filter((r) => directory.cohortOn(person, cell.attribute, r.day) === cell.cohort)
      : rows;
    if (kept.length < rows.length) return columnMastery(calibration, kept, asOf);
    const key = JSON.stringify([person, cell.column.skill]);
    if (!whole.has(key)) whole.set(key, columnMastery(calibration, rows, asOf));
    return whole.get(key) ?? null;
  };
}

const num = (x: bigint | number): number => Number(x);

/** A cell with its figures and what disclosure control decided for them. */
export interface JudgedCell {
  readonly cell: CohortCell;
  /** The figures, or null where withheld. */
  readonly volume: CohortMeasures | null;
  readonly mastery: CohortMeasures | null;
  /** Why the volume figures (and so all) are withheld, or null. */
  readonly withheld: string | null;
  /** Why the mastery figures are withheld, or null. */
  readonly masteryWithheld: string | null;
  /** The difficulty model's inputs, when the figures are its. */
  readonly difficulty?: HeatmapInput['difficulty'];
}

/**
 * Every (cohort, skill) cell of the requested attribute and of the organisation, with its
 * figures, judged by disclosure control: what every cohort report starts from.
 */
export function judgedCells(input: HeatmapInput): JudgedCell[] {
  const { scope, columns, evidence, k } = input;
  const options = { asOf: scope.asOf, from: scope.from, periodDays: scope.periodDays };
  const cohorts = [...evidence.cohorts].sort();
  const cells: { cell: CohortCell; measures: CohortMeasures }[] = [];
  const difficulty = input.difficulty;
  const masteryOf =
    difficulty === undefined ? undefined : difficultyMasteries({ ...input, difficulty });
  for (const column of columns.columns) {
    // Every bucket of a person counts in one cohort cell and in the organisation's, and all of a
    // person's buckets of one day in the same cohort: so a member's buckets in a cohort cell are
    // a subset of theirs in the organisation's, the same when as many. Their summary, the
    // costliest part of a cohort report, is then computed once for both cells.
    const everyone = evidence.cells.get(cellId(ORGANISATION, ORGANISATION, column.skill));
    const summaries = new Map<string, ReturnType<typeof personSkillSummary>>();
    const summaryOf = (person: string, buckets: PersonBuckets) => {
      const whole = everyone?.people.get(person);
      if (whole === undefined || whole.size !== buckets.size)
        return personSkillSummary(sourcedDaySums(buckets.values()), options);
      let summary = summaries.get(person);
      if (summary === undefined) {
        summary = personSkillSummary(sourcedDaySums(whole.values()), options);
        summaries.set(person, summary);
      }
      return summary;
    };
    for (const [attribute, cohort] of [
      ...cohorts.map((c) => [scope.cohort, c] as const),
      [ORGANISATION, ORGANISATION] as const,
    ]) {
      const cell = evidence.cells.get(cellId(attribute, cohort, column.skill));
      if (cell === undefined) continue;
      const members = [...cell.people].map(([person, buckets]) => {
        const summary = summaryOf(person, buckets);
        return masteryOf === undefined
          ? summary
          : withDifficultyMastery(summary, masteryOf(cell, person));
      });
      cells.push({ cell, measures: cohortMeasures(members, options) });
    }
  }
  const ancestorsOf = (column: SkillColumn): SkillColumn[] =>
    column.ancestors.flatMap((iri) => input.allColumns.columns.filter((c) => c.skill === iri));
  const decisions = discloseCells({
    k,
    cells: cells.map(({ cell, measures }) => {
      const spec = specOf(cell, scope);
      const people = evidence.people.people(spec);
      return {
        id: cellId(cell.attribute, cell.cohort, cell.column.skill),
        contributors: people.contributors,
        sufficient: people.sufficient,
        relaxations: evidence.people.relaxations(
          spec,
          ancestorsOf(cell.column).map((c) => c.covers),
        ),
        ...(cell.attribute === ORGANISATION ? {} : { partition: cell.column.skill }),
        volume: measures,
        mastery: measures,
      };
    }),
  });
  return cells.map(({ cell }) => {
    const decision = decisions.get(cellId(cell.attribute, cell.cohort, cell.column.skill));
    const volume = decision?.volume.shown === true ? decision.volume.value : null;
    const mastery = decision?.mastery.shown === true ? decision.mastery.value : null;
    const withheld = decision?.volume.shown === false ? decision.volume.reason : null;
    const masteryWithheld = decision?.mastery.shown === false ? decision.mastery.reason : null;
    return {
      cell,
      volume,
      mastery,
      withheld,
      masteryWithheld,
      ...(difficulty === undefined ? {} : { difficulty }),
    };
  });
}

/** The parameters a cohort report was computed with, for its `meta`. */
export function cohortMeta(scope: CohortScope, k: number): Record<string, unknown> {
  return {
    ...modelMeta(scope.model),
    asOf: scope.asOf,
    from: scope.from,
    cohort: scope.cohort,
    membership: scope.membership,
    framework: scope.framework ?? null,
    skill: scope.skill ?? null,
    source: scope.source ?? null,
    periodDays: scope.periodDays,
    k,
    note: 'Cells with fewer than k people, or that another request could be subtracted from to single out fewer than k, are withheld: their figures are null.',
  };
}

/** Cohorts x skills with disclosure control applied (docs/reports.md, "Skill heatmap"). */
export function heatmap(input: {
  readonly cells: readonly JudgedCell[];
  readonly scope: CohortScope;
  readonly k: number;
}): ReportTable {
  const rows: ReportRow[] = input.cells.map(
    ({ cell, volume, mastery, withheld, masteryWithheld }) => {
      return {
        attribute: cell.attribute,
        cohort: cell.cohort,
        skill: cell.column.skill,
        skillName: cell.column.name,
        withheld,
        masteryWithheld,
        people: volume?.people ?? null,
        sufficient: volume?.sufficient ?? null,
        meanMastery: mastery?.meanMastery?.mean ?? null,
        meanLow80: mastery?.meanMastery?.interval80.low ?? null,
        meanHigh80: mastery?.meanMastery?.interval80.high ?? null,
        pooledMastery: mastery?.pooled.mean ?? null,
        shareProficient: mastery?.shareProficient ?? null,
        shareGrowing: mastery?.shareGrowing ?? null,
        formalStatements: volume === null ? null : num(volume.volumeBySource.formal.statements),
        socialStatements: volume === null ? null : num(volume.volumeBySource.social.statements),
        formalEvents: volume === null ? null : num(volume.volumeBySource.formal.events),
        socialEvents: volume === null ? null : num(volume.volumeBySource.social.events),
      };
    },
  );
  return {
    report: 'heatmap',
    meta: cohortMeta(input.scope, input.k),
    columns: HEATMAP_COLUMNS,
    rows,
  };
}

/**
 * A cohort's weekly mastery under the difficulty model: the mean of the levels of the members
 * with sufficient evidence as of each week end (null when none has), over the rows the cell holds.
 */
export function cohortWeek(
  difficulty: NonNullable<HeatmapInput['difficulty']>,
  scope: CohortScope,
  cell: CohortCell,
): (weekEnd: string) => { mastery: number | null; sufficient: boolean } {
  return (weekEnd) => {
    const of = difficultyMasteries({ scope, difficulty }, weekEnd);
    const levels = [...cell.people.keys()].flatMap((p) => {
      const level = of(cell, p)?.level ?? null;
      return level === null ? [] : [level];
    });
    if (levels.length === 0) return { mastery: null, sufficient: false };
    const sorted = Float64Array.from(levels).sort();
    let sum = 0;
    for (const l of sorted) sum += l;
    return { mastery: sum / levels.length, sufficient: true };
  };
}
