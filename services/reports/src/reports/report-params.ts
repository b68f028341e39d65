import { dayNumber, dayOfNumber, type MasteryModelName } from '@cairn/analytics';
import type { MembershipMode } from './directory-index.js';
import { ReportErrors } from './report-errors.js';
import { MODEL_QUERY, modelOf } from './report-model.js';

const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** Query-string properties every report may take (route schemas: strings only, no coercion). */
export const COMMON_QUERY = {
  asOf: {
    type: 'string',
    pattern: DAY_PATTERN,
    description: 'The day the report is as of (UTC, YYYY-MM-DD); default today.',
  },
  from: {
    type: 'string',
    pattern: DAY_PATTERN,
    description:
      'First day of the time range whose volumes are shown (inclusive; the range ends on asOf); default 89 days before asOf. Mastery is always as of asOf, from all evidence up to it.',
  },
  framework: { type: 'string', description: "Id of one of the store's frameworks." },
  skill: {
    type: 'string',
    description: 'Skill IRI; a parent skill includes its children.',
  },
  source: {
    type: 'string',
    enum: ['formal', 'social'],
    description: 'Only evidence of this source.',
  },
  format: {
    type: 'string',
    enum: ['json', 'csv', 'ndjson'],
    description: 'Response format; wins over the Accept header.',
  },
  ...MODEL_QUERY,
} as const;

/** Cohort reports also take the cohort attribute and how membership is read. */
export const COHORT_QUERY = {
  ...COMMON_QUERY,
  cohort: {
    type: 'string',
    pattern: '^[A-Za-z][A-Za-z0-9_ .-]{0,63}$',
    description:
      'Directory attribute the cohorts are made of: team (default), department, manager, or any directory column such as location or role.',
  },
  membership: {
    type: 'string',
    enum: ['event', 'current'],
    description:
      'event (default): evidence counts for the cohort its person was in on its day; current: for the cohort as of `asOf`.',
  },
  period: {
    type: 'string',
    enum: ['28', '90'],
    description: 'Days of each window of the growth test (default 90).',
  },
} as const;

/** The query as a route sees it: strings, all optional. */
export type RawQuery = Readonly<Partial<Record<string, string>>>;

/** What every report is asked, checked and with its defaults applied. */
export interface ReportScope {
  readonly asOf: string;
  readonly from: string;
  readonly framework: string | undefined;
  readonly skill: string | undefined;
  readonly source: 'formal' | 'social' | undefined;
  /** The mastery model of every mastery figure. */
  readonly model: MasteryModelName;
}

export interface CohortScope extends ReportScope {
  readonly cohort: string;
  readonly membership: MembershipMode;
  readonly periodDays: number;
}

const DEFAULT_RANGE_DAYS = 90;

function calendarDay(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new ReportErrors.invalid(`${name} is not a calendar date: ${value}`);
  return value;
}

/** The scope of a report from its query; `today` is the clock's UTC day. */
export function reportScope(query: RawQuery, today: string): ReportScope {
  const asOf = calendarDay(query['asOf'], 'asOf') ?? today;
  const from =
    calendarDay(query['from'], 'from') ?? dayOfNumber(dayNumber(asOf) - (DEFAULT_RANGE_DAYS - 1));
  if (from > asOf)
    throw new ReportErrors.invalid(`from (${from}) must not be after asOf (${asOf})`);
  const source = query['source'];
  return {
    asOf,
    from,
    framework: query['framework'],
    skill: query['skill'],
    source: source === 'formal' || source === 'social' ? source : undefined,
    model: modelOf(query['model']),
  };
}

export function cohortScope(query: RawQuery, today: string): CohortScope {
  return {
    ...reportScope(query, today),
    cohort: query['cohort'] ?? 'team',
    membership: query['membership'] === 'current' ? 'current' : 'event',
    periodDays: query['period'] === '28' ? 28 : 90,
  };
}
