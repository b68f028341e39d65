// The cohort pass of the reports (collectCohortEvidence and the people index) as they were before
// their per-bucket work was cached (bench/results/2026-12-07-reports.md): the reference that
// cohort-evidence.test.ts holds the current code to. Not product code; kept verbatim but for names.
import {
  addSums,
  dayNumber,
  MEASURE_DEFAULTS,
  ZERO_SUMS,
  type Bucket,
  type EvidenceKind,
  type EvidenceSource,
  type PeopleSet,
  type Relaxation,
  type SkillDaySums,
} from '@cairn/analytics';
import type { SkillDay } from '@cairn/store';

type MembershipMode = 'event' | 'current';
interface DirectoryIndex {
  personOf(subject: string): string;
  cohortOn(person: string, attribute: string, day: string): string;
  readonly attributes: readonly string[];
}
interface SkillColumn {
  readonly skill: string;
  readonly covers: ReadonlySet<string>;
}
interface SkillColumns {
  columnsOf(skill: string): readonly SkillColumn[];
}
type PersonBuckets = Map<string, Bucket>;
interface CohortCell {
  readonly attribute: string;
  readonly cohort: string;
  readonly column: SkillColumn;
  readonly people: Map<string, PersonBuckets>;
}
interface CollectOptions {
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
const cellId = (attribute: string, cohort: string, skill: string): string =>
  JSON.stringify([attribute, cohort, skill]);
const W_UNITS = 10_000;
const ORGANISATION = 'organisation';
/** A cell as a predicate over evidence: one cohort of one attribute, some skills, some sources. */
interface CellSpec {
  /** A directory attribute, or ORGANISATION. */
  readonly attribute: string;
  readonly cohort: string;
  /** The skills whose evidence counts (a column's skill and its children). */
  readonly covers: ReadonlySet<string>;
  readonly sources: ReadonlySet<EvidenceSource>;
}

interface CellPeople {
  readonly contributors: PeopleSet;
  readonly sufficient: PeopleSet;
}

/** One kind of evidence a person has: their cohorts (one per attribute), a skill, a source. */
interface AtomClass {
  readonly cohorts: readonly string[];
  readonly skill: string;
  readonly source: EvidenceSource;
  /** Decayed evidence (sum of exp(-lambda (T - d)) wout) of the person's atoms of this class. */
  decayed: number;
}

/**
 * Who is behind any cell, for disclosure control: each person's evidence reduced to classes
 * (the cohort of every attribute on the evidence's day, the skill, the source) with their decayed
 * evidence. A cell is a predicate over classes, so the people behind it, those with sufficient
 * evidence in it, and those whose evidence a wider cell counts more of are exact, whatever the
 * cell: a wider cohort of another attribute, a dropped source filter, a broader skill.
 */
export class ReferencePeopleIndex {
  readonly #attributes: readonly string[];
  readonly #nMin: number;
  readonly #classes = new Map<string, Map<string, AtomClass>>();
  /** Per attribute and cohort, the people with any evidence there: candidates of a cell. */
  readonly #byCohort = new Map<string, Set<string>>();
  readonly #cache = new Map<string, CellPeople>();

  constructor(attributes: readonly string[], nMin: number) {
    this.#attributes = attributes;
    this.#nMin = nMin;
  }

  get attributes(): readonly string[] {
    return this.#attributes;
  }

  /** Records evidence of a person: `cohorts` in the order of the attributes. */
  add(
    person: string,
    cohorts: readonly string[],
    skill: string,
    source: EvidenceSource,
    decayed: number,
  ): void {
    const id = JSON.stringify([cohorts, skill, source]);
    const mine = this.#classes.get(person) ?? new Map<string, AtomClass>();
    this.#classes.set(person, mine);
    const seen = mine.get(id);
    if (seen === undefined) mine.set(id, { cohorts, skill, source, decayed });
    else seen.decayed += decayed;
    this.#attributes.forEach((a, i) => {
      const key = JSON.stringify([a, cohorts[i]]);
      const set = this.#byCohort.get(key) ?? new Set<string>();
      set.add(person);
      this.#byCohort.set(key, set);
    });
  }

  #matches(spec: CellSpec, c: AtomClass): boolean {
    if (!spec.covers.has(c.skill) || !spec.sources.has(c.source)) return false;
    if (spec.attribute === ORGANISATION) return true;
    return c.cohorts[this.#attributes.indexOf(spec.attribute)] === spec.cohort;
  }

  #candidates(spec: CellSpec): Iterable<string> {
    if (spec.attribute === ORGANISATION) return this.#classes.keys();
    return this.#byCohort.get(JSON.stringify([spec.attribute, spec.cohort])) ?? [];
  }

  /** The people behind a cell, and those with decayed evidence of at least nMin in it. */
  people(spec: CellSpec): CellPeople {
    const key = JSON.stringify([
      spec.attribute,
      spec.cohort,
      [...spec.covers].sort(),
      [...spec.sources].sort(),
    ]);
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    const contributors = new Set<string>();
    const sufficient = new Set<string>();
    for (const person of this.#candidates(spec)) {
      let evidence = 0;
      let any = false;
      for (const c of this.#classes.get(person)?.values() ?? []) {
        if (!this.#matches(spec, c)) continue;
        any = true;
        evidence += c.decayed;
      }
      if (!any) continue;
      contributors.add(person);
      if (evidence >= this.#nMin) sufficient.add(person);
    }
    const out = { contributors, sufficient };
    this.#cache.set(key, out);
    return out;
  }

  /**
   * `wider` as a relaxation of `cell`: its people, and the cell's people with evidence the wider
   * cell counts and the cell does not (their figure differs between the two).
   */
  relaxation(cell: CellSpec, wider: CellSpec): Relaxation {
    const own = this.people(cell);
    const broad = this.people(wider);
    const changed = new Set<string>();
    for (const person of own.contributors)
      for (const c of this.#classes.get(person)?.values() ?? [])
        if (this.#matches(wider, c) && !this.#matches(cell, c)) {
          changed.add(person);
          break;
        }
    return {
      contributors: broad.contributors,
      sufficient: broad.sufficient,
      changed: {
        contributors: changed,
        sufficient: new Set([...changed].filter((p) => broad.sufficient.has(p))),
      },
    };
  }

  /**
   * Cohorts of other attributes that hold every piece of evidence of the cell: whoever is in the
   * cell's cohort on a day is in them too (a team's department, say). Their difference with the
   * cell is what a second request could subtract.
   */
  widerCohorts(cell: CellSpec): { attribute: string; cohort: string }[] {
    if (cell.attribute === ORGANISATION) return [];
    const values = this.#attributes.map(() => new Set<string>());
    for (const person of this.people(cell).contributors)
      for (const c of this.#classes.get(person)?.values() ?? [])
        if (this.#matches(cell, c)) c.cohorts.forEach((v, i) => values[i]?.add(v));
    return this.#attributes.flatMap((attribute, i) => {
      const only = values[i];
      if (attribute === cell.attribute || only === undefined || only.size !== 1) return [];
      const [cohort] = [...only];
      return cohort === undefined ? [] : [{ attribute, cohort }];
    });
  }
}

export async function referenceCollect(
  options: CollectOptions,
): Promise<{ cells: Map<string, CohortCell>; people: ReferencePeopleIndex; cohorts: Set<string> }> {
  const { directory, columns, attribute, membership, asOf, source } = options;
  const attributes = [...new Set([...directory.attributes, attribute])];
  const t = dayNumber(asOf);
  const lambda = Math.LN2 / (options.halfLifeDays ?? MEASURE_DEFAULTS.halfLifeDays);
  const people = new ReferencePeopleIndex(attributes, options.nMin ?? MEASURE_DEFAULTS.nMin);
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
