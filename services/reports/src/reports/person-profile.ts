import {
  personSkillMeasures,
  sourcedDaySums,
  type Bucket,
  type EvidenceKind,
  type EvidenceSource,
  type ActivityDaySums,
  type PersonSkillMeasures,
} from '@cairn/analytics';
import type { PersonSkillDay } from '@cairn/store';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import { columnMastery, columnRows, type ColumnCalibration } from './difficulty-masteries.js';
import type { ReportScope } from './report-params.js';
import { modelMeta } from './report-model.js';
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
  {
    name: 'mastery',
    type: 'number',
    description: "Mastery as of asOf under the report's model (meta.model)",
  },
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
    description:
      "Weekly mastery (the report's model) as of each week end, oldest first, separated by spaces",
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

/** The figures the chosen model replaces: mastery, its interval, the weekly trend. */
interface ModelFigures {
  readonly mastery: number;
  readonly low: number;
  readonly high: number;
  readonly trend: readonly number[];
}

function betaFigures(m: PersonSkillMeasures): ModelFigures {
  return {
    mastery: m.mastery.mean,
    low: m.mastery.interval80.low,
    high: m.mastery.interval80.high,
    trend: m.weeks.map((w) => w.mastery.mean),
  };
}

/** The difficulty model's mastery, as of asOf and each week end; its prior mean 0.5 before any. */
function difficultyFigures(
  m: PersonSkillMeasures,
  calibration: ColumnCalibration,
  rows: readonly ActivityDaySums[],
  asOf: string,
): ModelFigures {
  const now = columnMastery(calibration, rows, asOf);
  if (now === null) return betaFigures(m);
  return {
    mastery: now.mastery,
    low: now.low,
    high: now.high,
    trend: m.weeks.map((w) => columnMastery(calibration, rows, w.end)?.mastery ?? 0.5),
  };
}

function rowOf(column: SkillColumn, m: PersonSkillMeasures, f: ModelFigures): ReportRow {
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
    mastery: f.mastery,
    low80: f.low,
    high80: f.high,
    evidence: m.mastery.evidence,
    sufficient: m.sufficient,
    lastEvidenceDay: m.lastEvidenceDay,
    ...(Object.assign({}, ...PAIRS.map(([s, k]) => pair(s, k))) as ReportRow),
    delta: m.growth.delta,
    z: Number.isFinite(m.growth.z) ? m.growth.z : null,
    growing: m.growth.growing,
    slope: m.slope,
    trend: f.trend.map((x) => x.toFixed(3)).join(' '),
  };
}

/** What the difficulty model reads for one person: the calibration and the person's rows. */
export interface PersonDifficulty {
  readonly calibration: ColumnCalibration;
  /** The person's activity-outcome rows up to asOf (source filter applied). */
  readonly rows: readonly ActivityDaySums[];
}

/**
 * One person's skills (docs/reports.md, "Person skill profile"). `difficulty` given: mastery,
 * interval and trend are the difficulty model's; evidence, volumes and the growth test are the
 * same in both models.
 */
export function personProfile(
  person: string,
  days: readonly PersonSkillDay[],
  columns: SkillColumns,
  scope: ReportScope & { readonly periodDays: number },
  difficulty?: PersonDifficulty,
): ReportTable {
  const options = { asOf: scope.asOf, from: scope.from, periodDays: scope.periodDays };
  const rows = columns.columns.flatMap((column) => {
    const buckets = bucketsOf(
      days.filter((d) => scope.source === undefined || d.source === scope.source),
      column,
    );
    if (buckets.length === 0) return [];
    const m = personSkillMeasures(sourcedDaySums(buckets), options);
    const figures =
      difficulty === undefined
        ? betaFigures(m)
        : difficultyFigures(
            m,
            difficulty.calibration,
            columnRows(difficulty.rows, column, difficulty.calibration),
            scope.asOf,
          );
    return [rowOf(column, m, figures)];
  });
  return {
    report: 'person-profile',
    meta: {
      person,
      asOf: scope.asOf,
      from: scope.from,
      periodDays: scope.periodDays,
      source: scope.source ?? null,
      ...modelMeta(difficulty === undefined ? 'beta' : 'difficulty'),
    },
    columns: PROFILE_COLUMNS,
    rows,
  };
}
