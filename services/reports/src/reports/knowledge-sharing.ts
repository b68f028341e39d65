import { discloseCells, type Relaxation } from '@cairn/analytics';
import type { KnowledgeShare } from '@cairn/store';
import type { ReportColumn, ReportRow, ReportTable } from '../export/report-table.js';
import type { DirectoryIndex } from './directory-index.js';
import { cohortMeta } from './heatmap.js';
import { ORGANISATION } from './people-index.js';
import type { Pseudonymiser } from './pseudonyms.js';
import type { CohortScope } from './report-params.js';
import type { SkillColumns } from './skill-columns.js';

export const FLOW_COLUMNS: readonly ReportColumn[] = [
  {
    name: 'helperCohort',
    type: 'string',
    description: 'Cohort of the people whose content or answers helped',
  },
  { name: 'helpedCohort', type: 'string', description: 'Cohort of the people they helped' },
  { name: 'skill', type: 'string', description: 'Skill IRI (a parent includes its children)' },
  { name: 'withheld', type: 'string', description: 'Why the flow is withheld; null when shown' },
  { name: 'helpers', type: 'integer', description: 'Distinct helpers' },
  { name: 'helped', type: 'integer', description: 'Distinct people helped' },
  {
    name: 'statements',
    type: 'integer',
    description: 'Helping acts (likes, accepted answers, replies...) in [from, asOf]',
  },
  { name: 'events', type: 'integer', description: 'Events behind them' },
];

export const EDGE_COLUMNS: readonly ReportColumn[] = [
  {
    name: 'helper',
    type: 'string',
    description: 'Person id of the helper (pseudonymised on request)',
  },
  { name: 'helped', type: 'string', description: 'Person id of the person helped' },
  { name: 'skill', type: 'string', description: 'Skill IRI' },
  { name: 'statements', type: 'integer', description: 'Helping acts in [from, asOf]' },
  { name: 'events', type: 'integer', description: 'Events behind them' },
  {
    name: 'helperReach',
    type: 'integer',
    description: 'Distinct people this helper helped with the skill: whom others rely on',
  },
];

interface Flow {
  readonly helperCohort: string;
  readonly helpedCohort: string;
  readonly skill: string;
  statements: bigint;
  events: bigint;
  readonly helpers: Set<string>;
  readonly helped: Set<string>;
}

/** One helping act reduced to who, in which cohorts, for which skill. */
interface Act {
  readonly helper: string;
  readonly helped: string;
  readonly helperCohort: string;
  readonly helpedCohort: string;
  readonly skill: string;
}

/** The flows of the requested attribute and of the organisation, with their acts. */
function collect(
  shares: readonly KnowledgeShare[],
  directory: DirectoryIndex,
  columns: SkillColumns,
  scope: CohortScope,
): { flows: Map<string, Flow>; acts: Act[] } {
  const flows = new Map<string, Flow>();
  const acts: Act[] = [];
  for (const { key, totals } of shares) {
    if (key.day > scope.asOf) continue;
    const helper = directory.personOf(key.helper);
    const helped = directory.personOf(key.helped);
    const on = scope.membership === 'event' ? key.day : scope.asOf;
    const pairs = [
      [directory.cohortOn(helper, scope.cohort, on), directory.cohortOn(helped, scope.cohort, on)],
      [ORGANISATION, ORGANISATION],
    ] as const;
    for (const column of columns.columnsOf(key.skill))
      for (const [helperCohort, helpedCohort] of pairs) {
        acts.push({ helper, helped, helperCohort, helpedCohort, skill: column.skill });
        const id = JSON.stringify([helperCohort, helpedCohort, column.skill]);
        const flow = flows.get(id) ?? {
          helperCohort,
          helpedCohort,
          skill: column.skill,
          statements: 0n,
          events: 0n,
          helpers: new Set<string>(),
          helped: new Set<string>(),
        };
        flow.helpers.add(helper);
        flow.helped.add(helped);
        if (key.day >= scope.from) {
          flow.statements += totals.statements;
          flow.events += totals.events;
        }
        flows.set(id, flow);
      }
  }
  return { flows, acts };
}

type Side = 'helper' | 'helped';
type Predicate = (a: Act) => boolean;

/**
 * The people of one side behind a flow and behind a wider one (all the helper cohort's flows, all
 * the flows into the helped cohort, the organisation's), with the people of the flow whose acts
 * the wider flow counts more of.
 */
function relaxation(
  acts: readonly Act[],
  side: Side,
  cell: Predicate,
  wider: Predicate,
): Relaxation {
  const contributors = new Set<string>();
  const inCell = new Set<string>();
  const more = new Set<string>();
  for (const a of acts) {
    if (wider(a)) contributors.add(a[side]);
    if (cell(a)) inCell.add(a[side]);
  }
  for (const a of acts) if (wider(a) && !cell(a) && inCell.has(a[side])) more.add(a[side]);
  return {
    contributors,
    sufficient: contributors,
    changed: { contributors: more, sufficient: more },
  };
}

/**
 * Who helps whom per skill, as cohort-to-cohort flows (docs/reports.md, "Knowledge sharing"). A
 * flow names two groups, so both must pass disclosure control: its helpers and the people they
 * helped, each against the flow's relaxations and within both partitions it belongs to (the
 * helper cohort's flows, and the flows into the helped cohort).
 */
export function knowledgeFlows(input: {
  readonly shares: readonly KnowledgeShare[];
  readonly directory: DirectoryIndex;
  readonly columns: SkillColumns;
  readonly scope: CohortScope;
  readonly k: number;
}): ReportTable {
  const { scope, k } = input;
  const { flows, acts } = collect(input.shares, input.directory, input.columns, scope);
  const list = [...flows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const withheld = new Map<string, string>();
  for (const side of ['helper', 'helped'] as const)
    for (const by of ['helperCohort', 'helpedCohort'] as const) {
      const decisions = discloseCells({
        k,
        cells: list.map(([id, f]) => {
          const org = f.helperCohort === ORGANISATION;
          const cell: Predicate = (a) =>
            a.skill === f.skill &&
            a.helperCohort === f.helperCohort &&
            a.helpedCohort === f.helpedCohort;
          const wider: Predicate[] = org
            ? []
            : [
                (a) =>
                  a.skill === f.skill &&
                  a.helperCohort === f.helperCohort &&
                  a.helpedCohort !== ORGANISATION,
                (a) =>
                  a.skill === f.skill &&
                  a.helpedCohort === f.helpedCohort &&
                  a.helperCohort !== ORGANISATION,
                (a) => a.skill === f.skill && a.helperCohort === ORGANISATION,
              ];
          const people = side === 'helper' ? f.helpers : f.helped;
          return {
            id,
            contributors: people,
            sufficient: people,
            relaxations: wider.map((w) => relaxation(acts, side, cell, w)),
            ...(org ? {} : { partition: JSON.stringify([by, f[by], f.skill]) }),
            volume: f,
            mastery: f,
          };
        }),
      });
      for (const [id, d] of decisions)
        if (d.volume.shown === false && !withheld.has(id)) withheld.set(id, d.volume.reason);
    }
  const rows: ReportRow[] = list.map(([id, f]) => {
    const reason = withheld.get(id) ?? null;
    return {
      helperCohort: f.helperCohort,
      helpedCohort: f.helpedCohort,
      skill: f.skill,
      withheld: reason,
      helpers: reason === null ? f.helpers.size : null,
      helped: reason === null ? f.helped.size : null,
      statements: reason === null ? Number(f.statements) : null,
      events: reason === null ? Number(f.events) : null,
    };
  });
  return {
    report: 'knowledge-sharing',
    meta: { ...cohortMeta(scope, k), level: 'cohort' },
    columns: FLOW_COLUMNS,
    rows,
  };
}

/** Person-to-person edges (reports:person), with each helper's reach: whom others rely on. */
export function knowledgeEdges(input: {
  readonly shares: readonly KnowledgeShare[];
  readonly directory: DirectoryIndex;
  readonly columns: SkillColumns;
  readonly scope: CohortScope;
  readonly alias: Pseudonymiser;
}): ReportTable {
  const { scope } = input;
  const edges = new Map<
    string,
    { helper: string; helped: string; skill: string; statements: bigint; events: bigint }
  >();
  for (const { key, totals } of input.shares) {
    if (key.day > scope.asOf || key.day < scope.from) continue;
    const helper = input.directory.personOf(key.helper);
    const helped = input.directory.personOf(key.helped);
    for (const column of input.columns.columnsOf(key.skill)) {
      const id = JSON.stringify([column.skill, helper, helped]);
      const edge = edges.get(id) ?? {
        helper,
        helped,
        skill: column.skill,
        statements: 0n,
        events: 0n,
      };
      edge.statements += totals.statements;
      edge.events += totals.events;
      edges.set(id, edge);
    }
  }
  const reach = new Map<string, number>();
  for (const e of edges.values())
    reach.set(`${e.skill} ${e.helper}`, (reach.get(`${e.skill} ${e.helper}`) ?? 0) + 1);
  const rows: ReportRow[] = [...edges.values()]
    .sort(
      (a, b) =>
        (a.skill < b.skill ? -1 : a.skill > b.skill ? 1 : 0) ||
        (reach.get(`${b.skill} ${b.helper}`) ?? 0) - (reach.get(`${a.skill} ${a.helper}`) ?? 0) ||
        (a.helper < b.helper ? -1 : a.helper > b.helper ? 1 : 0) ||
        (a.helped < b.helped ? -1 : 1),
    )
    .map((e) => ({
      helper: input.alias(e.helper),
      helped: input.alias(e.helped),
      skill: e.skill,
      statements: Number(e.statements),
      events: Number(e.events),
      helperReach: reach.get(`${e.skill} ${e.helper}`) ?? 0,
    }));
  return {
    report: 'knowledge-sharing',
    meta: { asOf: scope.asOf, from: scope.from, skill: scope.skill ?? null, level: 'person' },
    columns: EDGE_COLUMNS,
    rows,
  };
}
