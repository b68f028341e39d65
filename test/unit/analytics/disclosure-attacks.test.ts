/**
 * Attacks on small-cohort suppression, as a reports service would let an analyst try them: random
 * people in two directory attributes, random evidence atoms (skill with a parent, source,
 * platform, day), and two requests with different cohort attributes, filters and time ranges.
 * The "service" here is the simplest honest one: it builds every cell's people sets from all the
 * evidence up to the as-of day, passes every relaxation and every cell of each partition a shown
 * cell belongs to, and shows what discloseCells lets it.
 */
import t from 'tap';
import fc from 'fast-check';
import { discloseCells, type DisclosureCell, type Relaxation } from '@cairn/analytics';

const K = 3;
const TEAMS = ['t1', 't2', 't3'] as const;
const DEPTS = ['d1', 'd2'] as const;
const SKILLS = ['parent', 'c1', 'c2'] as const;
const PARENT: Record<string, string | undefined> = { c1: 'parent', c2: 'parent' };
const SOURCES = ['any', 'formal', 'social'] as const;
const PLATFORMS = ['any', 'X', 'Y'] as const;
/** A person has sufficient evidence in a cell with this much weight in it. */
const SUFFICIENT = 3;

interface Person {
  readonly team: string;
  readonly dept: string;
}
interface Atom {
  readonly person: number;
  readonly skill: 'c1' | 'c2';
  readonly source: 'formal' | 'social';
  readonly platform: 'X' | 'Y';
  readonly day: number;
  readonly weight: number;
}
interface CellKey {
  /** 'org', a team or a department. */
  readonly cohort: string;
  readonly attribute: 'org' | 'team' | 'dept';
  readonly skill: string;
  readonly source: string;
  readonly platform: string;
}
interface World {
  readonly people: readonly Person[];
  readonly atoms: readonly Atom[];
}
interface Request {
  readonly cells: readonly string[];
  readonly from: number;
  readonly to: number;
}

/**
 * People and their evidence. `narrow` puts every atom on one skill, source and platform, so that
 * filters change nothing and more cells are large enough to publish.
 */
function worldOf(narrow: boolean): fc.Arbitrary<World> {
  const person = fc.record({ team: fc.constantFrom(...TEAMS), dept: fc.constantFrom(...DEPTS) });
  return fc.array(person, { maxLength: narrow ? 20 : 14 }).chain((people) =>
    fc.record({
      people: fc.constant(people),
      atoms: people.length === 0 ? fc.constant([]) : fc.array(
        fc.record({
          person: fc.integer({ min: 0, max: people.length - 1 }),
          skill: narrow ? fc.constant('c1' as const) : fc.constantFrom('c1' as const, 'c2' as const),
          source: narrow ? fc.constant('formal' as const) : fc.constantFrom('formal' as const, 'social' as const),
          platform: narrow ? fc.constant('X' as const) : fc.constantFrom('X' as const, 'Y' as const),
          day: fc.integer({ min: 0, max: 9 }),
          weight: fc.integer({ min: 1, max: 3 }),
        }),
        { maxLength: narrow ? 40 : 50 },
      ),
    }),
  );
} // prettier-ignore

const ALL_CELLS: readonly CellKey[] = [
  { cohort: 'org', attribute: 'org' as const },
  ...TEAMS.map((cohort) => ({ cohort, attribute: 'team' as const })),
  ...DEPTS.map((cohort) => ({ cohort, attribute: 'dept' as const })),
].flatMap((c) =>
  SKILLS.flatMap((skill) =>
    SOURCES.flatMap((source) => PLATFORMS.map((platform) => ({ ...c, skill, source, platform }))),
  ),
);
const idOf = (c: CellKey): string => [c.cohort, c.skill, c.source, c.platform].join('/');
const BY_ID = new Map(ALL_CELLS.map((c) => [idOf(c), c]));

const request: fc.Arbitrary<Request> = fc.record({
  cells: fc.subarray(ALL_CELLS.map(idOf), { minLength: 1, maxLength: 40 }),
  from: fc.integer({ min: 0, max: 9 }),
  to: fc.integer({ min: 0, max: 9 }),
});

/** The evidence model: which people a cohort holds and which atoms a cell counts. */
class Model {
  constructor(readonly w: World) {}

  private readonly cohorts = new Map<string, Set<number>>();
  private readonly cellAtoms = new Map<string, Atom[]>();

  cohortPeople(c: CellKey): Set<number> {
    const cached = this.cohorts.get(c.cohort);
    if (cached !== undefined) return cached;
    const out = new Set<number>();
    this.cohorts.set(c.cohort, out);
    this.w.people.forEach((p, i) => {
      if (c.attribute === 'org' || p.team === c.cohort || p.dept === c.cohort) out.add(i);
    });
    return out;
  }

  counts(c: CellKey, a: Atom): boolean {
    const person = this.w.people[a.person];
    return (
      person !== undefined &&
      (c.attribute === 'org' || person.team === c.cohort || person.dept === c.cohort) &&
      (c.skill === a.skill || PARENT[a.skill] === c.skill) &&
      (c.source === 'any' || c.source === a.source) &&
      (c.platform === 'any' || c.platform === a.platform)
    );
  }

  atoms(c: CellKey): Atom[] {
    const cached = this.cellAtoms.get(idOf(c));
    if (cached !== undefined) return cached;
    const atoms = this.w.atoms.filter((a) => this.counts(c, a));
    this.cellAtoms.set(idOf(c), atoms);
    return atoms;
  }

  contributors(atoms: readonly Atom[]): Set<string> {
    return new Set(atoms.map((a) => `p${a.person}`));
  }

  sufficient(atoms: readonly Atom[]): Set<string> {
    const weight = new Map<number, number>();
    for (const a of atoms) weight.set(a.person, (weight.get(a.person) ?? 0) + a.weight);
    return new Set([...weight].filter(([, w]) => w >= SUFFICIENT).map(([p]) => `p${p}`));
  }

  /** Every atom of `inner` is an atom of `outer`, whatever the evidence: a relaxation. */
  relaxes(outer: CellKey, inner: CellKey): boolean {
    const cohort = this.cohortPeople(outer);
    return (
      idOf(outer) !== idOf(inner) &&
      [...this.cohortPeople(inner)].every((p) => cohort.has(p)) &&
      (outer.skill === inner.skill || PARENT[inner.skill] === outer.skill) &&
      (outer.source === 'any' || outer.source === inner.source) &&
      (outer.platform === 'any' || outer.platform === inner.platform)
    );
  }

  /** The people behind what `outer` counts and `inner` does not. */
  difference(outer: CellKey, inner: CellKey): { contributors: Set<string>; sufficient: Set<string> } {
    const extra = this.atoms(outer).filter((a) => !this.counts(inner, a));
    const changed = this.contributors(extra);
    const sufficient = this.sufficient(this.atoms(outer));
    return { contributors: changed, sufficient: new Set([...sufficient].filter((p) => changed.has(p))) };
  } // prettier-ignore

  partitionOf(c: CellKey): string | undefined {
    return c.attribute === 'org'
      ? undefined
      : [c.attribute, c.skill, c.source, c.platform].join('/');
  }
}

interface Figures {
  readonly weight: number;
  readonly people: number;
}

/** The service: the cells of a request and of their partitions, with every relaxation. */
function serve(model: Model, r: Request) {
  const wanted = new Set(r.cells);
  const partitions = new Set(r.cells.map((id) => model.partitionOf(BY_ID.get(id) as CellKey)));
  const cells: DisclosureCell<Figures, number>[] = ALL_CELLS.filter((c) => wanted.has(idOf(c)) || (model.partitionOf(c) !== undefined && partitions.has(model.partitionOf(c)))).map((c) => {
    const atoms = model.atoms(c);
    const inRange = atoms.filter((a) => a.day >= Math.min(r.from, r.to) && a.day <= Math.max(r.from, r.to));
    const relaxations: Relaxation[] = ALL_CELLS.filter((o) => model.relaxes(o, c)).map((o) => {
      const atomsO = model.atoms(o);
      return { contributors: model.contributors(atomsO), sufficient: model.sufficient(atomsO), changed: model.difference(o, c) };
    });
    const partition = model.partitionOf(c);
    return {
      id: idOf(c),
      contributors: model.contributors(atoms),
      sufficient: model.sufficient(atoms),
      relaxations,
      ...(partition === undefined ? {} : { partition }),
      volume: { weight: inRange.reduce((s, a) => s + a.weight, 0), people: model.contributors(atoms).size },
      mastery: model.sufficient(atoms).size,
    };
  }); // prettier-ignore
  const out = discloseCells({ k: K, cells });
  return { cells, out, shown: [...out.values()].filter((c) => wanted.has(c.id)) };
}

const small = (s: ReadonlySet<string>): boolean => s.size > 0 && s.size < K;
const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> =>
  new Set([...a].filter((p) => !b.has(p)));
const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean =>
  a.size === b.size && [...a].every((p) => b.has(p));

t.test(
  'two requests cannot isolate a withheld cell by the difference of published cells',
  async (t) => {
    fc.assert(
    fc.property(worldOf(false), request, request, (w, r1, r2) => {
      const model = new Model(w);
      const a = serve(model, r1);
      const b = serve(model, r2);
      // The same cell gets the same decision in both requests, whatever the range and the rest.
      for (const c of a.shown) {
        const other = b.out.get(c.id);
        if (other !== undefined && (other.volume.shown !== c.volume.shown || other.mastery.shown !== c.mastery.shown)) return false;
      }
      const published = new Map<string, { volume: boolean; mastery: boolean }>();
      for (const c of [...a.shown, ...b.shown]) published.set(c.id, { volume: c.volume.shown, mastery: c.mastery.shown });
      const sets = new Map([...a.cells, ...b.cells].map((c) => [c.id, c]));
      const withheldSmall = [...a.shown, ...b.shown].filter((c) => !c.volume.shown).map((c) => sets.get(c.id)?.contributors ?? new Set<string>()).filter(small);
      for (const [outerId, outerShown] of published) {
        for (const [innerId, innerShown] of published) {
          const outer = BY_ID.get(outerId) as CellKey;
          const inner = BY_ID.get(innerId) as CellKey;
          if (!model.relaxes(outer, inner)) continue;
          const diff = model.difference(outer, inner);
          if (outerShown.volume && innerShown.volume) {
            // The difference of the two figures is about the people behind the difference.
            if (small(diff.contributors)) return false;
            const peopleDiff = minus(sets.get(outerId)?.contributors ?? new Set(), sets.get(innerId)?.contributors ?? new Set());
            if (withheldSmall.some((s) => sameSet(s, peopleDiff))) return false;
          }
          if (outerShown.mastery && innerShown.mastery) {
            const s = union(minus(sets.get(outerId)?.sufficient ?? new Set(), sets.get(innerId)?.sufficient ?? new Set()), diff.sufficient);
            if (small(s)) return false;
          }
        }
      }
      return true;
    }),
    { numRuns: 300 },
  ); // prettier-ignore
    t.pass('no attack succeeded');
  },
);

t.test(
  'within a response, the union minus the published cells hides >= k people or none',
  async (t) => {
    fc.assert(
    fc.property(fc.oneof(worldOf(false), worldOf(true)), request, (w, r) => {
      const model = new Model(w);
      const { cells, out } = serve(model, r);
      const byPartition = new Map<string, DisclosureCell<Figures, number>[]>();
      for (const c of cells) if (c.partition !== undefined) byPartition.set(c.partition, [...(byPartition.get(c.partition) ?? []), c]);
      for (const members of byPartition.values()) {
        // With nothing shown, the union minus the shown cells is the union: a cell of its own.
        const hidden = (figure: 'volume' | 'mastery', set: 'contributors' | 'sufficient') =>
          members.every((c) => out.get(c.id)?.[figure].shown === false) ? new Set<string>() :
          union(...members.filter((c) => out.get(c.id)?.[figure].shown === false).map((c) => c[set]));
        if (small(hidden('volume', 'contributors')) || small(hidden('mastery', 'sufficient'))) return false;
      }
      return true;
    }),
    { numRuns: 300 },
  ); // prettier-ignore
    t.pass('no withheld remainder of fewer than k people');
  },
);

function union(...sets: ReadonlySet<string>[]): Set<string> {
  return new Set(sets.flatMap((s) => [...s]));
}
