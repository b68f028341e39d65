import t from 'tap';
import { discloseCells, type DisclosureCell, type Relaxation } from '@cairn/analytics';

const people = (n: number, prefix = 'p'): Set<string> =>
  new Set(Array.from({ length: n }, (_, i) => `${prefix}${i}`));
const union = (...sets: ReadonlySet<string>[]): Set<string> => new Set(sets.flatMap((s) => [...s]));

type Cell = DisclosureCell<string, string>;

function cell(id: string, contributors: Set<string>, more: Partial<Cell> = {}): Cell {
  return { id, contributors, sufficient: contributors, volume: `volume of ${id}`, mastery: `mastery of ${id}`, ...more };
} // prettier-ignore

function decisions(cells: readonly Cell[], k?: number): Record<string, [string, string]> {
  const out: Record<string, [string, string]> = {};
  for (const [id, c] of discloseCells(k === undefined ? { cells } : { k, cells }))
    out[id] = [c.volume.shown ? 'shown' : c.volume.reason, c.mastery.shown ? 'shown' : c.mastery.reason];
  return out;
} // prettier-ignore

t.test('primary rule: k - 1 people are withheld, k are shown, per figure', async (t) => {
  const cells = [
    cell('empty', people(0)),
    cell('four', people(4)),
    cell('five', people(5)),
    cell('few sufficient', people(9), { sufficient: people(4) }),
  ];
  t.same(decisions(cells), {
    empty: ['fewer-than-k', 'fewer-than-k'],
    four: ['fewer-than-k', 'fewer-than-k'],
    five: ['shown', 'shown'],
    'few sufficient': ['shown', 'fewer-than-k'],
  });
  t.same(
    decisions([cell('three', people(3))], 3),
    { three: ['shown', 'shown'] },
    'k is set per call',
  );
});

t.test('a withheld figure is absent from the output, not hidden in it', async (t) => {
  const out = discloseCells({ cells: [cell('small', people(2)), cell('big', people(6))] });
  t.same(out.get('small'), { id: 'small', volume: { shown: false, reason: 'fewer-than-k' }, mastery: { shown: false, reason: 'fewer-than-k' } });
  t.same(out.get('big'), { id: 'big', volume: { shown: true, value: 'volume of big' }, mastery: { shown: true, value: 'mastery of big' } });
  t.notMatch(JSON.stringify([...out.values()]), /of small/u);
}); // prettier-ignore

t.test(
  'differencing: a relaxation adding 1..k-1 people withholds the cell; 0 or k do not',
  async (t) => {
    const team = people(8);
    const wider = (extra: number): Relaxation => {
      const all = union(team, people(extra, 'q'));
      return { contributors: all, sufficient: all };
    };
    t.same(
      decisions([
        cell('same people', team, { relaxations: [wider(0)] }),
        cell('one more', team, { relaxations: [wider(5), wider(1)] }),
        cell('k - 1 more', team, { relaxations: [wider(4)] }),
        cell('k more', team, { relaxations: [wider(5)] }),
      ]),
      {
        'same people': ['shown', 'shown'],
        'one more': ['difference', 'difference'],
        'k - 1 more': ['difference', 'difference'],
        'k more': ['shown', 'shown'],
      },
    );
  },
);

t.test('differencing on the sufficient sets withholds mastery figures only', async (t) => {
  const team = people(8);
  const relaxation = { contributors: union(team, people(6, 'q')), sufficient: union(people(6), people(2, 'q')) };
  t.same(decisions([cell('c', team, { sufficient: people(6), relaxations: [relaxation] })]), { c: ['shown', 'difference'] });
}); // prettier-ignore

t.test('mastery figures are withheld wherever the volume figures are', async (t) => {
  const relaxation = { contributors: union(people(8), people(1, 'q')), sufficient: people(8) };
  t.same(decisions([cell('c', people(8), { relaxations: [relaxation] })]), { c: ['difference', 'difference'] });
}); // prettier-ignore

t.test('differencing counts people whose evidence a dropped filter adds', async (t) => {
  // Dropping "source = formal": nobody new, but 2 of the team have social evidence, which the
  // difference of the two figures would be about.
  const team = people(8);
  const changed = (n: number) => ({ contributors: people(n), sufficient: people(n) });
  t.same(
    decisions([
      cell('two changed', team, { relaxations: [{ contributors: team, sufficient: team, changed: changed(2) }] }),
      cell('five changed', team, { relaxations: [{ contributors: team, sufficient: team, changed: changed(5) }] }),
      cell('none changed', team, { relaxations: [{ contributors: team, sufficient: team, changed: changed(0) }] }),
    ]),
    { 'two changed': ['difference', 'difference'], 'five changed': ['shown', 'shown'], 'none changed': ['shown', 'shown'] },
  );
  // 3 new people and 2 changed: the changed make the whole difference 5, but the 3 new people
  // alone are the difference of the two cells' people sets, which is withheld too.
  const wider = union(team, people(3, 'q'));
  t.same(decisions([cell('c', team, { relaxations: [{ contributors: wider, sufficient: wider, changed: changed(2) }] })]), { c: ['difference', 'difference'] });
}); // prettier-ignore

t.test('complement: the withheld cells of a partition hold 0 or >= k people', async (t) => {
  const part = (id: string, n: number): Cell => cell(id, people(n, id), { partition: 'teams' });
  t.same(decisions([part('a', 10), part('b', 6), part('c', 3), part('d', 0), part('e', 7)]), {
    a: ['shown', 'shown'],
    b: ['complement', 'complement'],
    c: ['fewer-than-k', 'fewer-than-k'],
    d: ['fewer-than-k', 'fewer-than-k'],
    e: ['shown', 'shown'],
  }, 'c alone would be the union minus the rest: b, the smallest shown, goes too');
  t.same(decisions([part('a', 10), part('b', 6), part('c', 3), part('d', 2)]), {
    a: ['shown', 'shown'],
    b: ['shown', 'shown'],
    c: ['fewer-than-k', 'fewer-than-k'],
    d: ['fewer-than-k', 'fewer-than-k'],
  }, 'withheld together: 5 people, k');
  t.same(decisions([part('a', 6), part('b', 6), part('c', 4)]), {
    a: ['complement', 'complement'],
    b: ['shown', 'shown'],
    c: ['fewer-than-k', 'fewer-than-k'],
  }, 'ties go by id');
  t.same(decisions([part('a', 6), part('b', 9)]), { a: ['shown', 'shown'], b: ['shown', 'shown'] }, 'nothing withheld: 0');
  t.same(decisions([part('a', 6), part('b', 2), cell('c', people(2, 'c'), { partition: 'other' })]), {
    a: ['complement', 'complement'],
    b: ['fewer-than-k', 'fewer-than-k'],
    c: ['fewer-than-k', 'fewer-than-k'],
  }, 'each partition on its own; when every cell is withheld there is nothing more to do');
}); // prettier-ignore

t.test('complement on the sufficient sets withholds mastery figures only', async (t) => {
  const part = (id: string, n: number, s: number): Cell => cell(id, people(n, id), { sufficient: people(s, id), partition: 'teams' });
  t.same(decisions([part('a', 9, 9), part('b', 8, 6), part('c', 7, 2)]), {
    a: ['shown', 'shown'],
    b: ['shown', 'complement'],
    c: ['shown', 'fewer-than-k'],
  });
}); // prettier-ignore

t.test('a k that is not an integer >= 1, or two cells with one id, are refused', async (t) => {
  t.throws(() => discloseCells({ k: 0, cells: [] }), new RangeError('k must be an integer >= 1: 0'));
  t.throws(() => discloseCells({ k: 2.5, cells: [] }), new RangeError('k must be an integer >= 1: 2.5'));
  t.throws(() => discloseCells({ cells: [cell('a', people(5)), cell('a', people(6))] }), new RangeError('two cells have the same id'));
}); // prettier-ignore
