import {
  cohortMeasures,
  dayNumber,
  discloseCells,
  personSkillSummary,
  sourcedDaySums,
  type PersonSkillSummary,
} from '@cairn/analytics';
import type { PlatformDay } from '@cairn/store';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import { cellId, type PersonBuckets } from './cohort-evidence.js';
import type { DirectoryIndex } from './directory-index.js';
import { cohortMeta, type JudgedCell } from './heatmap.js';
import { ORGANISATION, PeopleIndex, SOURCES, type CellSpec } from './people-index.js';
import type { CohortScope } from './report-params.js';
import type { SkillColumns } from './skill-columns.js';

/** Every figure of this report describes who learns how, together: never what causes what. */
export const ASSOCIATION_NOTE =
  'Associations, not causes: people who learn socially may differ from those who do not in many ways; these figures do not say that social learning made anyone grow.';

export const SOURCES_COLUMNS: readonly ReportColumn[] = [
  { name: 'attribute', type: 'string', description: 'The cohort attribute (or organisation)' },
  { name: 'cohort', type: 'string', description: 'The cohort' },
  { name: 'skill', type: 'string', description: 'Skill IRI' },
  { name: 'week', type: 'integer', description: '0 for the week ending on asOf, -1 before...' },
  { name: 'weekEnd', type: 'string', description: 'Last day of the week' },
  { name: 'formalStatements', type: 'integer', description: 'Formal evidence rows of the week' },
  { name: 'socialStatements', type: 'integer', description: 'Social evidence rows of the week' },
  {
    name: 'socialShare',
    type: 'number',
    description: 'Social share of the rows; null without rows',
  },
];

export const WITH_WITHOUT_COLUMNS: readonly ReportColumn[] = [
  { name: 'attribute', type: 'string', description: 'The cohort attribute (or organisation)' },
  { name: 'cohort', type: 'string', description: 'The cohort' },
  { name: 'skill', type: 'string', description: 'Skill IRI' },
  {
    name: 'group',
    type: 'string',
    description: 'with-social or without-social evidence up to asOf',
  },
  { name: 'withheld', type: 'string', description: 'Why the group is withheld; null when shown' },
  { name: 'people', type: 'integer', description: 'People of the group' },
  { name: 'sufficient', type: 'integer', description: 'Of them, with sufficient evidence' },
  { name: 'meanMastery', type: 'number', description: 'Mean mastery of the sufficient' },
  { name: 'meanLow80', type: 'number', description: '80% interval of the mean, low' },
  { name: 'meanHigh80', type: 'number', description: '80% interval of the mean, high' },
  { name: 'shareGrowing', type: 'number', description: 'Share of the sufficient who are growing' },
];

export const PLATFORM_COLUMNS: readonly ReportColumn[] = [
  { name: 'attribute', type: 'string', description: 'The cohort attribute (or organisation)' },
  { name: 'cohort', type: 'string', description: 'The cohort' },
  { name: 'skill', type: 'string', description: 'Skill IRI (a parent includes its children)' },
  { name: 'platform', type: 'string', description: 'context.platform; null when none was sent' },
  { name: 'concept', type: 'string', description: 'The verb concept' },
  { name: 'source', type: 'string', description: 'formal or social' },
  {
    name: 'withheld',
    type: 'string',
    description: 'Why the figures are withheld; null when shown',
  },
  { name: 'people', type: 'integer', description: 'People with such evidence up to asOf' },
  { name: 'statements', type: 'integer', description: 'Evidence rows in [from, asOf]' },
  { name: 'events', type: 'integer', description: 'Events in [from, asOf]' },
];

/** Evidence rows of one source, by week, from a cell's members' buckets. */
function weeklyBySource(
  people: Iterable<PersonBuckets>,
  asOf: string,
  from: string,
): Map<number, { formal: bigint; social: bigint }> {
  const t = dayNumber(asOf);
  const weeks = new Map<number, { formal: bigint; social: bigint }>();
  for (const buckets of people)
    for (const { key, sums } of buckets.values()) {
      if (key.day < from || key.day > asOf) continue;
      const x = -Math.floor((t - dayNumber(key.day)) / 7);
      const week = weeks.get(x) ?? { formal: 0n, social: 0n };
      week[key.source] += sums.statements;
      weeks.set(x, week);
    }
  return weeks;
}

/**
 * Evidence by source over time, per cohort and skill, for the cells whose volumes disclosure
 * control shows (a week's figures are the same people's, over a shorter range).
 */
export function sourcesOverTime(
  cells: readonly JudgedCell[],
  scope: CohortScope,
  k: number,
): ReportTable {
  const t = dayNumber(scope.asOf);
  const rows: ReportRow[] = [];
  for (const { cell, volume } of cells) {
    if (volume === null) continue;
    const weeks = weeklyBySource(cell.people.values(), scope.asOf, scope.from);
    for (const x of [...weeks.keys()].sort((a, b) => a - b)) {
      const w = weeks.get(x) ?? { formal: 0n, social: 0n };
      const total = w.formal + w.social;
      rows.push({
        attribute: cell.attribute,
        cohort: cell.cohort,
        skill: cell.column.skill,
        week: x,
        weekEnd: new Date((t + 7 * x) * 86_400_000).toISOString().slice(0, 10),
        formalStatements: Number(w.formal),
        socialStatements: Number(w.social),
        socialShare: total === 0n ? null : Number(w.social) / Number(total),
      });
    }
  }
  return {
    report: 'social-formal',
    meta: { ...cohortMeta(scope, k), view: 'sources', note: ASSOCIATION_NOTE },
    columns: SOURCES_COLUMNS,
    rows,
  };
}

type Group = 'with-social' | 'without-social';

/**
 * Mastery and growth of the people of each cell with and without social evidence. The two groups
 * partition the cell's people, so they are judged as a partition of it (the cell minus one group
 * is the other), and each group also against the same group of the organisation.
 */
export function withAndWithoutSocial(
  cells: readonly JudgedCell[],
  scope: CohortScope,
  k: number,
): ReportTable {
  const options = { asOf: scope.asOf, from: scope.from, periodDays: scope.periodDays };
  interface Sub {
    readonly id: string;
    readonly judged: JudgedCell;
    readonly group: Group;
    readonly members: Map<string, PersonSkillSummary>;
  }
  const subs: Sub[] = [];
  const movers = new Map<string, Set<string>>();
  for (const judged of cells) {
    const skill = judged.cell.column.skill;
    if (judged.cell.attribute !== ORGANISATION)
      for (const person of judged.cell.people.keys()) {
        const seen = movers.get(`${skill} ${person}`) ?? new Set<string>();
        seen.add(judged.cell.cohort);
        movers.set(`${skill} ${person}`, seen);
      }
    const groups: Record<Group, Map<string, PersonSkillSummary>> = {
      'with-social': new Map(),
      'without-social': new Map(),
    };
    for (const [person, buckets] of judged.cell.people) {
      const social = [...buckets.values()].some((b) => b.key.source === 'social');
      groups[social ? 'with-social' : 'without-social'].set(
        person,
        personSkillSummary(sourcedDaySums(buckets.values()), options),
      );
    }
    for (const group of ['with-social', 'without-social'] as const)
      subs.push({
        id: JSON.stringify([judged.cell.attribute, judged.cell.cohort, skill, group]),
        judged,
        group,
        members: groups[group],
      });
  }
  const peopleOf = (s: Sub): { contributors: Set<string>; sufficient: Set<string> } => ({
    contributors: new Set(s.members.keys()),
    sufficient: new Set([...s.members].filter(([, m]) => m.sufficient).map(([p]) => p)),
  });
  const byId = new Map(subs.map((s) => [s.id, s]));
  const decisions = discloseCells({
    k,
    cells: subs.map((s) => {
      const { cell } = s.judged;
      const own = peopleOf(s);
      const parent = s.judged;
      const orgSub = byId.get(
        JSON.stringify([ORGANISATION, ORGANISATION, cell.column.skill, s.group]),
      );
      const moved = new Set(
        [...own.contributors].filter(
          (p) => (movers.get(`${cell.column.skill} ${p}`)?.size ?? 0) > 1,
        ),
      );
      return {
        id: s.id,
        ...own,
        partition: cellId(cell.attribute, cell.cohort, cell.column.skill),
        relaxations: [
          {
            contributors: new Set(parent.cell.people.keys()),
            sufficient: new Set(
              [...subs.filter((x) => x.judged === parent)].flatMap((x) => [
                ...peopleOf(x).sufficient,
              ]),
            ),
          },
          ...(orgSub === undefined || orgSub === s
            ? []
            : [
                {
                  ...peopleOf(orgSub),
                  changed: {
                    contributors: moved,
                    sufficient: new Set(
                      [...moved].filter((p) => peopleOf(orgSub).sufficient.has(p)),
                    ),
                  },
                },
              ]),
        ],
        volume: s,
        mastery: s,
      };
    }),
  });
  const rows: ReportRow[] = subs.map((s) => {
    const d = decisions.get(s.id);
    const shown = d?.mastery.shown === true && s.judged.mastery !== null;
    const m = shown ? cohortMeasures([...s.members.values()], options) : null;
    const withheld =
      s.judged.mastery === null
        ? (s.judged.masteryWithheld ?? s.judged.withheld)
        : d?.mastery.shown === false
          ? d.mastery.reason
          : null;
    return {
      attribute: s.judged.cell.attribute,
      cohort: s.judged.cell.cohort,
      skill: s.judged.cell.column.skill,
      group: s.group,
      withheld,
      people: m?.people ?? null,
      sufficient: m?.sufficient ?? null,
      meanMastery: m?.meanMastery?.mean ?? null,
      meanLow80: m?.meanMastery?.interval80.low ?? null,
      meanHigh80: m?.meanMastery?.interval80.high ?? null,
      shareGrowing: m?.shareGrowing ?? null,
    };
  });
  return {
    report: 'social-formal',
    meta: { ...cohortMeta(scope, k), view: 'with-without', note: ASSOCIATION_NOTE },
    columns: WITH_WITHOUT_COLUMNS,
    rows,
  };
}

const atom = (skill: string, platform: string | null, concept: string): string =>
  JSON.stringify([skill, platform, concept]);

/**
 * Practice volume by platform and verb concept per cohort (and skill). A platform or concept is a
 * narrowing filter like the source: each cell is judged against the same cell without it, the
 * organisation, wider cohorts and broader skills (people-index.ts).
 */
export function platformActivity(input: {
  readonly days: readonly PlatformDay[];
  readonly directory: DirectoryIndex;
  readonly columns: SkillColumns;
  readonly allColumns: SkillColumns;
  readonly scope: CohortScope;
  readonly k: number;
}): ReportTable {
  const { days, directory, columns, scope, k } = input;
  const attributes = [...new Set([...directory.attributes, scope.cohort])];
  const people = new PeopleIndex(attributes, 0);
  interface Cell {
    readonly attribute: string;
    readonly cohort: string;
    readonly skill: string;
    readonly platform: string | null;
    readonly concept: string;
    readonly source: string;
    statements: bigint;
    events: bigint;
  }
  const cells = new Map<string, Cell>();
  const atomsOf = new Map<string, { skill: string; platform: string | null; concept: string }>();
  for (const { key, totals } of days) {
    if (key.day > scope.asOf) continue;
    if (scope.source !== undefined && key.source !== scope.source) continue;
    const person = directory.personOf(key.subject);
    const on = scope.membership === 'event' ? key.day : scope.asOf;
    const vector = attributes.map((a) => directory.cohortOn(person, a, on));
    const a = atom(key.skill, key.platform, key.concept);
    atomsOf.set(a, { skill: key.skill, platform: key.platform, concept: key.concept });
    people.add(person, vector, a, key.source, 1);
    const inRange = key.day >= scope.from;
    for (const column of columns.columnsOf(key.skill))
      for (const [attribute, cohort] of [
        [scope.cohort, vector[attributes.indexOf(scope.cohort)] ?? ''],
        [ORGANISATION, ORGANISATION],
      ] as const) {
        const id = JSON.stringify([attribute, cohort, column.skill, key.platform, key.concept]);
        const cell = cells.get(id) ?? {
          attribute,
          cohort,
          skill: column.skill,
          platform: key.platform,
          concept: key.concept,
          source: key.source,
          statements: 0n,
          events: 0n,
        };
        if (inRange) {
          cell.statements += totals.statements;
          cell.events += totals.events;
        }
        cells.set(id, cell);
      }
  }
  const coversOf = (
    skills: ReadonlySet<string>,
    match: (a: { platform: string | null; concept: string }) => boolean,
  ) => new Set([...atomsOf].filter(([, a]) => skills.has(a.skill) && match(a)).map(([id]) => id));
  const skillCovers = (skill: string): ReadonlySet<string> =>
    input.allColumns.columns.find((c) => c.skill === skill)?.covers ?? new Set([skill]);
  const sources = new Set(scope.source === undefined ? SOURCES : [scope.source]);
  const list = [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const decisions = discloseCells({
    k,
    cells: list.map(([id, c]) => {
      const skills = skillCovers(c.skill);
      const spec: CellSpec = {
        attribute: c.attribute,
        cohort: c.cohort,
        covers: coversOf(skills, (a) => a.platform === c.platform && a.concept === c.concept),
        sources,
      };
      const own = people.people(spec);
      const ancestors = (
        input.allColumns.columns.find((x) => x.skill === c.skill)?.ancestors ?? []
      ).map(skillCovers);
      const broader = [
        coversOf(skills, (a) => a.platform === c.platform),
        coversOf(skills, (a) => a.concept === c.concept),
        coversOf(skills, () => true),
        ...ancestors.map((s) =>
          coversOf(s, (a) => a.platform === c.platform && a.concept === c.concept),
        ),
      ];
      return {
        id,
        contributors: own.contributors,
        sufficient: own.contributors,
        relaxations: people.relaxations(spec, broader),
        ...(c.attribute === ORGANISATION
          ? {}
          : { partition: JSON.stringify([c.skill, c.platform, c.concept]) }),
        volume: c,
        mastery: c,
      };
    }),
  });
  const rows: ReportRow[] = list.map(([id, c]) => {
    const d = decisions.get(id);
    const shown = d?.volume.shown === true;
    return {
      attribute: c.attribute,
      cohort: c.cohort,
      skill: c.skill,
      platform: c.platform,
      concept: c.concept,
      source: c.source,
      withheld: d?.volume.shown === false ? d.volume.reason : null,
      people: shown
        ? people.people({
            attribute: c.attribute,
            cohort: c.cohort,
            covers: coversOf(
              skillCovers(c.skill),
              (a) => a.platform === c.platform && a.concept === c.concept,
            ),
            sources,
          }).contributors.size
        : null,
      statements: shown ? Number(c.statements) : null,
      events: shown ? Number(c.events) : null,
    };
  });
  return {
    report: 'social-formal',
    meta: { ...cohortMeta(scope, k), view: 'platforms', note: ASSOCIATION_NOTE },
    columns: PLATFORM_COLUMNS,
    rows,
  };
}
