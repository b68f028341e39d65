import {
  personSkillMeasures,
  sourcedDaySums,
  type Bucket,
  type EvidenceKind,
  type EvidenceSource,
  type PersonSkillMeasures,
} from '@cairn/analytics';
import type { PersonSkillDay } from '@cairn/store';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import type { ReportScope } from './report-params.js';
import type { SkillColumn, SkillColumns } from './skill-columns.js';

const PAIRS: readonly (readonly [EvidenceSource, EvidenceKind])[] = [
  ['formal', 'outcome'],
  ['formal', 'practice'],
  ['formal', 'exposure'],
  ['formal', 'assertion'],
  ['social', 'practice'],
  ['social', 'recognition'],
];

const pairName = (s: string, k: string): string => `${s}${k[0]?.toUpperCase() ?? ''}${k.slice(1)}`;

export const PROFILE_COLUMNS: readonly ReportColumn[] = [
  { name: 'skill', type: 'string', description: 'Skill IRI (a parent includes its children)' },
  { name: 'skillName', type: 'string', description: 'Skill name' },
  { name: 'mastery', type: 'number', description: 'Posterior mean of mastery as of asOf' },
  { name: 'low80', type: 'number', description: '80% credible interval, low (10% quantile)' },
  { name: 'high80', type: 'number', description: '80% credible interval, high (90% quantile)' },
  { name: 'evidence', type: 'number', description: 'Decayed outcome evidence A + B' },
  { name: 'sufficient', type: 'boolean', description: 'evidence >= nMin: the level is shown' },
  { name: 'lastEvidenceDay', type: 'string', description: 'Last day with evidence up to asOf' },
  ...PAIRS.flatMap(([s, k]): ReportColumn[] => [
    {
      name: `${pairName(s, k)}Decayed`,
      type: 'number',
      description: `Decayed weight of ${s} ${k} evidence`,
    },
    {
      name: `${pairName(s, k)}Rows`,
      type: 'integer',
      description: `${s} ${k} evidence rows in [from, asOf]`,
    },
  ]),
  {
    name: 'delta',
    type: 'number',
    description: 'Mastery of the last period minus the period before',
  },
  { name: 'z', type: 'number', description: 'The growth test statistic' },
  {
    name: 'growing',
    type: 'boolean',
    description: 'z > threshold and both windows have enough evidence',
  },
  { name: 'slope', type: 'number', description: 'Change of the weekly outcome rate per week' },
  {
    name: 'trend',
    type: 'string',
    description: 'Weekly mastery as of each week end, oldest first, separated by spaces',
  },
];

function bucketsOf(days: readonly PersonSkillDay[], column: SkillColumn): Bucket[] {
  return days
    .filter((d) => column.covers.has(d.skill))
    .map((d) => ({
      key: {
        store: '',
        subject: '',
        skill: column.skill,
        day: d.day,
        source: d.source,
        kind: d.kind,
      },
      sums: d.totals,
    }));
}

function rowOf(column: SkillColumn, m: PersonSkillMeasures): ReportRow {
  const pair = (s: EvidenceSource, k: EvidenceKind): ReportRow => {
    const e = m.bySourceKind.find((b) => b.source === s && b.kind === k);
    return {
      [`${pairName(s, k)}Decayed`]: e?.decayed.w ?? 0,
      [`${pairName(s, k)}Rows`]: e?.raw.statements ?? 0,
    };
  };
  return {
    skill: column.skill,
    skillName: column.name,
    mastery: m.mastery.mean,
    low80: m.mastery.interval80.low,
    high80: m.mastery.interval80.high,
    evidence: m.mastery.evidence,
    sufficient: m.sufficient,
    lastEvidenceDay: m.lastEvidenceDay,
    ...(Object.assign({}, ...PAIRS.map(([s, k]) => pair(s, k))) as ReportRow),
    delta: m.growth.delta,
    z: Number.isFinite(m.growth.z) ? m.growth.z : null,
    growing: m.growth.growing,
    slope: m.slope,
    trend: m.weeks.map((w) => w.mastery.mean.toFixed(3)).join(' '),
  };
}

/** One person's skills (docs/reports.md, "Person skill profile"). */
export function personProfile(
  person: string,
  days: readonly PersonSkillDay[],
  columns: SkillColumns,
  scope: ReportScope & { readonly periodDays: number },
): ReportTable {
  const options = { asOf: scope.asOf, from: scope.from, periodDays: scope.periodDays };
  const rows = columns.columns.flatMap((column) => {
    const buckets = bucketsOf(
      days.filter((d) => scope.source === undefined || d.source === scope.source),
      column,
    );
    if (buckets.length === 0) return [];
    return [rowOf(column, personSkillMeasures(sourcedDaySums(buckets), options))];
  });
  return {
    report: 'person-profile',
    meta: {
      person,
      asOf: scope.asOf,
      from: scope.from,
      periodDays: scope.periodDays,
      source: scope.source ?? null,
    },
    columns: PROFILE_COLUMNS,
    rows,
  };
}
