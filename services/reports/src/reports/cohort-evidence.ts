import {
  addSums,
  dayNumber,
  MEASURE_DEFAULTS,
  type Bucket,
  type EvidenceKind,
  type EvidenceSource,
  type SkillDaySums,
} from '@cairn/analytics';
import type { SkillDay } from '@cairn/store';
import type { DirectoryIndex, MembershipMode } from './directory-index.js';
import { ORGANISATION, PeopleIndex } from './people-index.js';
import type { SkillColumn, SkillColumns } from './skill-columns.js';

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
  /** Who is behind any cell of any attribute: what disclosure control compares a cell with. */
  readonly people: PeopleIndex;
  /** Every cohort of the requested attribute that has evidence. */
  readonly cohorts: ReadonlySet<string>;
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
  const attributes = [...new Set([...directory.attributes, attribute])];
  const at = attributes.indexOf(attribute);
  const t = dayNumber(asOf);
  const lambda = Math.LN2 / (options.halfLifeDays ?? MEASURE_DEFAULTS.halfLifeDays);
  const people = new PeopleIndex(attributes, options.nMin ?? MEASURE_DEFAULTS.nMin);
  const cells = new Map<string, CohortCell>();
  const cohorts = new Set<string>();

  // A report reads hundreds of thousands of buckets over a few hundred days, people and cells:
  // what depends only on those is computed once (bench/reports.ts measured the per-bucket
  // JSON keys and date parsing as most of this pass).
  const decayOn = new Map<string, number>();
  const decayOf = (day: string): number => {
    let d = decayOn.get(day);
    if (d === undefined) decayOn.set(day, (d = Math.exp(-lambda * (t - dayNumber(day)))));
    return d;
  };
  /** The cell of (cohort, column) of the requested attribute, or of ORGANISATION (cohort null). */
  const cellOf = new Map<string | null, Map<SkillColumn, CohortCell>>();
  const cell = (cohort: string | null, column: SkillColumn): CohortCell => {
    let byColumn = cellOf.get(cohort);
    if (byColumn === undefined) cellOf.set(cohort, (byColumn = new Map<SkillColumn, CohortCell>()));
    let found = byColumn.get(column);
    if (found === undefined) {
      const [a, c] = cohort === null ? [ORGANISATION, ORGANISATION] : [attribute, cohort];
      const id = cellId(a, c, column.skill);
      found = cells.get(id) ?? { attribute: a, cohort: c, column, people: new Map() };
      cells.set(id, found);
      byColumn.set(column, found);
    }
    return found;
  };
  const addTo = (found: CohortCell, person: string, bucketId: string, bucket: Bucket): void => {
    let mine = found.people.get(person);
    if (mine === undefined) found.people.set(person, (mine = new Map<string, Bucket>()));
    const seen = mine.get(bucketId);
    mine.set(
      bucketId,
      seen === undefined ? bucket : { key: bucket.key, sums: addSums(seen.sums, bucket.sums) },
    );
  };
  // The cohorts of the last (person, day) seen: a person's buckets come together.
  let last: { person: string; on: string; vector: readonly string[] } | null = null;

  for await (const { key, totals } of options.buckets) {
    if (key.day > asOf) continue;
    const person = directory.personOf(key.subject);
    const on = membership === 'event' ? key.day : asOf;
    if (last === null || last.person !== person || last.on !== on)
      last = { person, on, vector: attributes.map((a) => directory.cohortOn(person, a, on)) };
    const vector = last.vector;
    const decayed = (decayOf(key.day) * Number(totals.wout)) / W_UNITS;
    const evidenceSource: EvidenceSource = key.source;
    const kind: EvidenceKind = key.kind;
    people.add(person, vector, key.skill, evidenceSource, decayed);
    if (source !== undefined && key.source !== source) continue;
    const cohort = vector[at] ?? '';
    cohorts.add(cohort);
    const sums: SkillDaySums = totals;
    const bucketId = JSON.stringify([key.day, evidenceSource, kind]);
    for (const column of columns.columnsOf(key.skill)) {
      const bucket: Bucket = {
        key: {
          store: '',
          subject: person,
          skill: column.skill,
          day: key.day,
          source: evidenceSource,
          kind,
        },
        sums,
      };
      addTo(cell(cohort, column), person, bucketId, bucket);
      addTo(cell(null, column), person, bucketId, bucket);
    }
  }
  return { cells, people, cohorts };
}
