import type { EvidenceSource, PeopleSet, Relaxation } from '@cairn/analytics';

/** Both sources: a cell without a source filter. */
export const SOURCES: readonly EvidenceSource[] = ['formal', 'social'];

/** The cohort that holds everybody: the organisation (the union of every partition). */
export const ORGANISATION = 'organisation';

/** A cell as a predicate over evidence: one cohort of one attribute, some skills, some sources. */
export interface CellSpec {
  /** A directory attribute, or ORGANISATION. */
  readonly attribute: string;
  readonly cohort: string;
  /** The skills whose evidence counts (a column's skill and its children). */
  readonly covers: ReadonlySet<string>;
  readonly sources: ReadonlySet<EvidenceSource>;
}

export interface CellPeople {
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
export class PeopleIndex {
  readonly #attributes: readonly string[];
  readonly #nMin: number;
  readonly #classes = new Map<string, Map<string, AtomClass>>();
  /** Per attribute, then cohort, the people with any evidence there: candidates of a cell. */
  readonly #byCohort = new Map<string, Map<string, Set<string>>>();
  readonly #cache = new Map<string, CellPeople>();
  /**
   * A report adds hundreds of thousands of atoms, mostly with the very cohorts array of the atom
   * before (its caller reuses it for a person's day): the array's JSON, and the person it was last
   * filed under in #byCohort, are remembered by identity rather than recomputed per atom.
   */
  readonly #cohortsJson = new WeakMap<readonly string[], string>();
  readonly #filed = new Map<string, readonly string[]>();

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
    let json = this.#cohortsJson.get(cohorts);
    if (json === undefined) this.#cohortsJson.set(cohorts, (json = JSON.stringify(cohorts)));
    // The same string as JSON.stringify([cohorts, skill, source]).
    const id = `[${json},${JSON.stringify(skill)},${JSON.stringify(source)}]`;
    let mine = this.#classes.get(person);
    if (mine === undefined) this.#classes.set(person, (mine = new Map<string, AtomClass>()));
    const seen = mine.get(id);
    if (seen === undefined) mine.set(id, { cohorts, skill, source, decayed });
    else seen.decayed += decayed;
    if (this.#filed.get(person) === cohorts) return;
    this.#filed.set(person, cohorts);
    this.#attributes.forEach((a, i) => {
      let byValue = this.#byCohort.get(a);
      if (byValue === undefined) this.#byCohort.set(a, (byValue = new Map<string, Set<string>>()));
      const value = cohorts[i];
      if (value === undefined) return; // no cell names a missing cohort
      let set = byValue.get(value);
      if (set === undefined) byValue.set(value, (set = new Set<string>()));
      set.add(person);
    });
  }

  #matches(spec: CellSpec, c: AtomClass): boolean {
    if (!spec.covers.has(c.skill) || !spec.sources.has(c.source)) return false;
    if (spec.attribute === ORGANISATION) return true;
    return c.cohorts[this.#attributes.indexOf(spec.attribute)] === spec.cohort;
  }

  #candidates(spec: CellSpec): Iterable<string> {
    if (spec.attribute === ORGANISATION) return this.#classes.keys();
    return this.#byCohort.get(spec.attribute)?.get(spec.cohort) ?? [];
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
   * Every wider cell a second request could subtract this one from (docs/reports.md, "Small
   * cohorts"): other cohorts holding all of its evidence and the organisation, with the source
   * filter dropped or kept, with its covers or any broader covers (a broader skill, a dropped
   * platform or verb filter), in every combination.
   */
  relaxations(cell: CellSpec, broaderCovers: readonly ReadonlySet<string>[]): Relaxation[] {
    const cohorts = [
      { attribute: cell.attribute, cohort: cell.cohort },
      ...this.widerCohorts(cell),
      ...(cell.attribute === ORGANISATION
        ? []
        : [{ attribute: ORGANISATION, cohort: ORGANISATION }]),
    ];
    const sourceSets =
      cell.sources.size === SOURCES.length ? [cell.sources] : [cell.sources, new Set(SOURCES)];
    const coverSets = [cell.covers, ...broaderCovers];
    const out: Relaxation[] = [];
    for (const c of cohorts)
      for (const sources of sourceSets)
        for (const covers of coverSets) {
          const same =
            c.cohort === cell.cohort &&
            c.attribute === cell.attribute &&
            sources === cell.sources &&
            covers === cell.covers;
          if (!same) out.push(this.relaxation(cell, { ...c, sources, covers }));
        }
    return out;
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
