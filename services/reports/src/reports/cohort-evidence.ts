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
  const t = dayNumber(asOf);
  const lambda = Math.LN2 / (options.halfLifeDays ?? MEASURE_DEFAULTS.halfLifeDays);
  const people = new PeopleIndex(attributes, options.nMin ?? MEASURE_DEFAULTS.nMin);
  const cells = new Map<string, CohortCell>();
  const cohorts = new Set<string>();

  const addTo = (id: string, cell: () => CohortCell, person: string, bucket: Bucket): void => {
    const found = cells.get(id) ?? cell();
    cells.set(id, found);
    const mine: PersonBuckets = found.people.get(person) ?? new Map<string, Bucket>();
    found.people.set(person, mine);
    const { day, source: s, kind } = bucket.key;
    const bucketId = JSON.stringify([day, s, kind]);
    mine.set(bucketId, {
      key: bucket.key,
      sums: addSums(mine.get(bucketId)?.sums ?? ZERO_SUMS, bucket.sums),
    });
  };

  for await (const { key, totals } of options.buckets) {
    if (key.day > asOf) continue;
    const person = directory.personOf(key.subject);
    const on = membership === 'event' ? key.day : asOf;
    const vector = attributes.map((a) => directory.cohortOn(person, a, on));
    const decayed = (Math.exp(-lambda * (t - dayNumber(key.day))) * Number(totals.wout)) / W_UNITS;
    const evidenceSource: EvidenceSource = key.source;
    const kind: EvidenceKind = key.kind;
    people.add(person, vector, key.skill, evidenceSource, decayed);
    if (source !== undefined && key.source !== source) continue;
    const cohort = vector[attributes.indexOf(attribute)] ?? '';
    cohorts.add(cohort);
    const sums: SkillDaySums = totals;
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
      addTo(
        cellId(attribute, cohort, column.skill),
        () => ({ attribute, cohort, column, people: new Map() }),
        person,
        bucket,
      );
      addTo(
        cellId(ORGANISATION, ORGANISATION, column.skill),
        () => ({ attribute: ORGANISATION, cohort: ORGANISATION, column, people: new Map() }),
        person,
        bucket,
      );
    }
  }
  return { cells, people, cohorts };
}
