/**
 * Small-cohort suppression (docs/analytics-core.md, "Disclosure control"). A cell is a
 * (cohort, skill, filters) figure; the people behind it are plain sets of person ids. The
 * decision for a cell depends only on its own people sets, the people sets of its relaxations
 * and the cells of its partition: never on the time range or on which other cells a request
 * happens to show, so two requests see the same decision for the same cell.
 */

/** Person ids. */
export type PeopleSet = ReadonlySet<string>;

/** The default threshold k. */
export const DISCLOSURE_K = 5;

/**
 * A wider cell than the one it relaxes: a cohort containing it (any attribute, any membership
 * mode, the whole organisation), the cell with some narrowing filters dropped, or an ancestor
 * skill. A difference of the two figures is a figure of the people behind the wider cell and not
 * behind the cell, and of the people whose evidence the wider cell counts and the cell does not.
 */
export interface Relaxation {
  /** People behind the wider cell (with any evidence, and with sufficient evidence). */
  readonly contributors: PeopleSet;
  readonly sufficient: PeopleSet;
  /**
   * People behind the cell too, whose evidence the wider cell counts more of: for a dropped filter
   * or an ancestor skill, those with evidence outside the cell's filters or skill; for membership
   * at event time, those with evidence on days outside the cell's cohort. Omit for a wider cohort
   * under the current structure (nobody's evidence changes).
   */
  readonly changed?: { readonly contributors: PeopleSet; readonly sufficient: PeopleSet };
}

/** One cell with its figures: `volume` (counts and sums) and `mastery` (means, shares, intervals). */
export interface DisclosureCell<V, M> {
  readonly id: string;
  /** People with evidence in the cell at any day up to the as-of day, whatever the range shown. */
  readonly contributors: PeopleSet;
  /** Those of them with sufficient evidence as of that day. */
  readonly sufficient: PeopleSet;
  /** Every relaxation of the cell (see {@link Relaxation}), published or not. */
  readonly relaxations?: readonly Relaxation[];
  /**
   * The partition the cell belongs to (e.g. "every team, skill s, these filters"): cells with the
   * same partition id cover their union, disjointly. Pass every cell of the partition, shown or
   * not, so the complement rule does not depend on what a request shows.
   */
  readonly partition?: string;
  readonly volume: V;
  readonly mastery: M;
}

/** Why a figure is withheld. */
export type WithholdReason = 'fewer-than-k' | 'difference' | 'complement';

/** A figure either shown with its value or withheld without it: a withheld value is not there. */
export type Disclosed<T> =
  | { readonly shown: true; readonly value: T }
  | { readonly shown: false; readonly reason: WithholdReason };

export interface DisclosedCell<V, M> {
  readonly id: string;
  readonly volume: Disclosed<V>;
  readonly mastery: Disclosed<M>;
}

export interface DisclosureInput<V, M> {
  /** Threshold k (default 5), an integer >= 1. */
  readonly k?: number;
  readonly cells: readonly DisclosureCell<V, M>[];
}

type Figure = 'contributors' | 'sufficient';

/** |a \ b|, and |(a \ b) u c|. */
function differenceSizes(a: PeopleSet, b: PeopleSet, c: PeopleSet | undefined): [number, number] {
  const extra = new Set<string>();
  for (const p of a) if (!b.has(p)) extra.add(p);
  const plain = extra.size;
  if (c !== undefined) for (const p of c) extra.add(p);
  return [plain, extra.size];
}

const isSmall = (n: number, k: number): boolean => n > 0 && n < k;

/** The primary and differencing rules for one figure of one cell. */
function ownRule<V, M>(
  cell: DisclosureCell<V, M>,
  figure: Figure,
  k: number,
): WithholdReason | null {
  const people = cell[figure];
  if (people.size < k) return 'fewer-than-k';
  for (const r of cell.relaxations ?? []) {
    // |R \ C| >= |R| - |C|: a relaxation that many people wider needs no set walk.
    if (r[figure].size - people.size >= k) continue;
    const sizes = differenceSizes(r[figure], people, r.changed?.[figure]);
    if (sizes.some((n) => isSmall(n, k))) return 'difference';
  }
  return null;
}

/**
 * The complement rule: within a partition, the withheld cells together must have 0 or >= k
 * people, else the smallest shown cells (by people, then id) are withheld one by one until they
 * do, since the union's figure minus the shown cells' figures is the withheld cells' figure.
 */
function complementRule<V, M>(
  cells: readonly DisclosureCell<V, M>[],
  figure: Figure,
  k: number,
  reasons: Map<string, WithholdReason | null>,
): void {
  const partitions = new Map<string, DisclosureCell<V, M>[]>();
  for (const c of cells) {
    if (c.partition === undefined) continue;
    const members = partitions.get(c.partition);
    if (members === undefined) partitions.set(c.partition, [c]);
    else members.push(c);
  }
  for (const members of partitions.values()) {
    const hidden = new Set<string>();
    for (const c of members) if (reasons.get(c.id) !== null) for (const p of c[figure]) hidden.add(p);
    const shown = members
      .filter((c) => reasons.get(c.id) === null)
      .sort((x, y) => x[figure].size - y[figure].size || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (const c of shown) {
      if (!isSmall(hidden.size, k)) break;
      reasons.set(c.id, 'complement');
      for (const p of c[figure]) hidden.add(p);
    }
  }
} // prettier-ignore

/**
 * The decisions for one figure. `before` holds decisions that withhold a cell's figure whatever
 * its own sets (mastery after volume).
 */
function decide<V, M>(
  cells: readonly DisclosureCell<V, M>[],
  figure: Figure,
  k: number,
  before?: ReadonlyMap<string, WithholdReason | null>,
): Map<string, WithholdReason | null> {
  const reasons = new Map(
    cells.map((c) => [c.id, before?.get(c.id) ?? ownRule(c, figure, k)] as const),
  );
  complementRule(cells, figure, k, reasons);
  return reasons;
}

function disclosed<T>(value: T, reason: WithholdReason | null | undefined): Disclosed<T> {
  return reason === null
    ? { shown: true, value }
    : { shown: false, reason: reason ?? 'fewer-than-k' };
}

/**
 * Which figures of which cells may be published, with the withheld values removed. Volume
 * figures are judged on the contributors, mastery figures on the people with sufficient evidence,
 * each by the primary, differencing and complement rules; mastery figures need the volume figures
 * shown too. Throws a RangeError for a k that is not
 * an integer >= 1 or for two cells with one id.
 */
export function discloseCells<V, M>(
  input: DisclosureInput<V, M>,
): Map<string, DisclosedCell<V, M>> {
  const k = input.k ?? DISCLOSURE_K;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1: ${k}`);
  const ids = new Set(input.cells.map((c) => c.id));
  if (ids.size !== input.cells.length) throw new RangeError('two cells have the same id');
  const volume = decide(input.cells, 'contributors', k);
  // Pooled mastery, growth and slope sum every contributor's evidence, not only the sufficient
  // people's: mastery figures are shown only where the volume figures are.
  const mastery = decide(input.cells, 'sufficient', k, volume);
  return new Map(
    input.cells.map((c) => [
      c.id,
      {
        id: c.id,
        volume: disclosed(c.volume, volume.get(c.id)),
        mastery: disclosed(c.mastery, mastery.get(c.id)),
      },
    ]),
  );
}
