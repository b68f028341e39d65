import {
  addSums,
  dayNumber,
  MEASURE_DEFAULTS,
  ZERO_SUMS,
  type Bucket,
  type EvidenceKind,
  type EvidenceSource,
  type SkillDaySums,
} from '@cairn/analytics';
import type { SkillDay } from '@cairn/store';
import type { DirectoryIndex, MembershipMode } from './directory-index.js';
import type { SkillColumn, SkillColumns } from './skill-columns.js';

/** The cohort that holds everybody: the organisation (the union of every partition). */
export const ORGANISATION = 'organisation';

/** The people behind a cell: with any evidence, and with decayed evidence of at least nMin. */
export interface CellPeople {
  readonly contributors: ReadonlySet<string>;
  readonly sufficient: ReadonlySet<string>;
}

/**
 * One person's evidence in one cell: exact sums per (day, source, kind), every day up to asOf,
 * as the buckets of @cairn/analytics (the input of its person measures).
 */
export type PersonBuckets = Map<string, Bucket>;

/** A (cohort, skill) cell of the requested attribute (or ORGANISATION), with each member's evidence. */
export interface CohortCell {
  readonly attribute: string;
  readonly cohort: string;
  readonly column: SkillColumn;
  readonly people: Map<string, PersonBuckets>;
}

export interface CohortEvidence {
  /** Cells of the requested attribute, and of ORGANISATION, by cellId(attribute, cohort, skill). */
  readonly cells: ReadonlyMap<string, CohortCell>;
  /**
   * The people behind a cell of any attribute (or ORGANISATION), with or without the report's
   * source filter: what disclosure control compares a cell with.
   */
  people(attribute: string, cohort: string, skill: string, filtered: boolean): CellPeople;
  /** Every cohort value seen, per attribute. */
  readonly cohorts: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface CollectOptions {
  readonly buckets: AsyncIterable<SkillDay>;
  readonly directory: DirectoryIndex;
  readonly columns: SkillColumns;
  readonly attribute: string;
  readonly membership: MembershipMode;
  readonly asOf: string;
  readonly source: EvidenceSource | undefined;
  readonly halfLifeDays?: number;
  readonly nMin?: number;
}

export const cellId = (attribute: string, cohort: string, skill: string): string =>
  JSON.stringify([attribute, cohort, skill]);

const peopleKey = (attribute: string, cohort: string, skill: string, filtered: boolean): string =>
  JSON.stringify([attribute, cohort, skill, filtered]);

const W_UNITS = 10_000;

/**
 * One pass over a store's buckets of the report's skills: each bucket goes to its person, to the
 * cohort the person was in (on the bucket's day, or as of asOf) for every directory attribute,
 * and to every skill column that covers its skill. Sums stay exact; the decayed evidence that
 * decides who has "sufficient evidence" in the people sets is computed as the measures compute it
 * (sum of exp(-lambda (T - d)) wout).
 */
export async function collectCohortEvidence(options: CollectOptions): Promise<CohortEvidence> {
  const { directory, columns, attribute, membership, asOf, source } = options;
  const attributes = [...new Set([...directory.attributes, attribute]), ORGANISATION];
  const t = dayNumber(asOf);
  const lambda = Math.LN2 / (options.halfLifeDays ?? MEASURE_DEFAULTS.halfLifeDays);
  const nMin = options.nMin ?? MEASURE_DEFAULTS.nMin;
  const cells = new Map<string, CohortCell>();
  const evidence = new Map<string, Map<string, number>>();
  const cohorts = new Map<string, Set<string>>();

  const credit = (key: string, person: string, decayed: number): void => {
    const byPerson = evidence.get(key) ?? new Map<string, number>();
    byPerson.set(person, (byPerson.get(person) ?? 0) + decayed);
    evidence.set(key, byPerson);
  };

  for await (const { key, totals } of options.buckets) {
    if (key.day > asOf) continue;
    const matches = source === undefined || key.source === source;
    const person = directory.personOf(key.subject);
    const on = membership === 'event' ? key.day : asOf;
    const decayed = (Math.exp(-lambda * (t - dayNumber(key.day))) * Number(totals.wout)) / W_UNITS;
    const sums: SkillDaySums = totals;
    const source_: EvidenceSource = key.source;
    const kind: EvidenceKind = key.kind;
    for (const a of attributes) {
      const cohort = a === ORGANISATION ? ORGANISATION : directory.cohortOn(person, a, on);
      const seen = cohorts.get(a) ?? new Set<string>();
      seen.add(cohort);
      cohorts.set(a, seen);
      for (const column of columns.columnsOf(key.skill)) {
        credit(peopleKey(a, cohort, column.skill, false), person, decayed);
        if (!matches) continue;
        if (source !== undefined) credit(peopleKey(a, cohort, column.skill, true), person, decayed);
        if (a !== attribute && a !== ORGANISATION) continue;
        const id = cellId(a, cohort, column.skill);
        const cell = cells.get(id) ?? { attribute: a, cohort, column, people: new Map() };
        cells.set(id, cell);
        const mine: PersonBuckets = cell.people.get(person) ?? new Map();
        cell.people.set(person, mine);
        const bucketId = JSON.stringify([key.day, source_, kind]);
        const bucketKey = {
          store: '',
          subject: person,
          skill: column.skill,
          day: key.day,
          source: source_,
          kind,
        };
        mine.set(bucketId, {
          key: bucketKey,
          sums: addSums(mine.get(bucketId)?.sums ?? ZERO_SUMS, sums),
        });
      }
    }
  }

  return {
    cells,
    cohorts,
    people(a, cohort, skill, filtered) {
      const byPerson = evidence.get(peopleKey(a, cohort, skill, filtered && source !== undefined));
      if (byPerson === undefined) return { contributors: new Set(), sufficient: new Set() };
      return {
        contributors: new Set(byPerson.keys()),
        sufficient: new Set([...byPerson].filter(([, e]) => e >= nMin).map(([p]) => p)),
      };
    },
  };
}
