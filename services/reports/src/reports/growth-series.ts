import { personSkillMeasures, sourcedDaySums, type Bucket, type WeekPoint } from '@cairn/analytics';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';

export const GROWTH_COLUMNS: readonly ReportColumn[] = [
  { name: 'skill', type: 'string', description: 'Skill IRI' },
  { name: 'skillName', type: 'string', description: 'Skill name' },
  {
    name: 'week',
    type: 'integer',
    description: '0 for the week ending on asOf, -1 the week before...',
  },
  { name: 'weekEnd', type: 'string', description: 'Last day of the week: mastery is as of it' },
  {
    name: 'mastery',
    type: 'number',
    description:
      "Mastery as of the week end (meta.model): Beta, pooled for a cohort; difficulty, the mean of the members' levels for a cohort",
  },
  { name: 'evidence', type: 'number', description: 'Decayed evidence behind it' },
  { name: 'sufficient', type: 'boolean', description: 'Evidence >= nMin' },
  {
    name: 'statements',
    type: 'integer',
    description: 'Evidence rows of the week (practice volume)',
  },
  { name: 'events', type: 'integer', description: 'Events of the week' },
  { name: 'formalStatements', type: 'integer', description: 'Formal evidence rows of the week' },
  { name: 'socialStatements', type: 'integer', description: 'Social evidence rows of the week' },
  {
    name: 'outcomeRate',
    type: 'number',
    description: 'Weighted outcome rate of the week; null without outcomes',
  },
];

/** One skill's series: its buckets (a person's, or a cohort's pooled) and how to name it. */
export interface SeriesInput {
  readonly skill: string;
  readonly skillName: string;
  readonly buckets: Iterable<Bucket>;
  /** The chosen model's mastery as of a week end, when it is not the Beta model's. */
  readonly mastery?: (weekEnd: string) => { mastery: number | null; sufficient: boolean } | null;
}

function rowOf(s: SeriesInput, w: WeekPoint): ReportRow {
  const chosen = s.mastery?.(w.end) ?? null;
  return {
    skill: s.skill,
    skillName: s.skillName,
    week: w.index,
    weekEnd: w.end,
    mastery: chosen === null ? w.mastery.mean : chosen.mastery,
    evidence: w.mastery.evidence,
    sufficient: chosen === null ? w.mastery.level !== null : chosen.sufficient,
    statements: w.volume.statements,
    events: w.volume.events,
    formalStatements: w.volumeBySource.formal.statements,
    socialStatements: w.volumeBySource.social.statements,
    outcomeRate: w.outcomeRate,
  };
}

/**
 * Weekly mastery and practice volume per skill (docs/reports.md, "Growth over time"). A cohort's
 * series pools its members' sums (buckets are additive), so it is the cohort as one learner.
 */
export function growthSeries(
  series: readonly SeriesInput[],
  options: { readonly asOf: string; readonly weeks: number; readonly periodDays: number },
  meta: Record<string, unknown>,
): ReportTable {
  const rows = series.flatMap((s) =>
    personSkillMeasures(sourcedDaySums(s.buckets), options).weeks.map((w) => rowOf(s, w)),
  );
  return {
    report: 'growth',
    meta: { ...meta, weeks: options.weeks },
    columns: GROWTH_COLUMNS,
    rows,
  };
}
