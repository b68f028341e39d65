// X-Experience-API-Consistent-Through: every statement whose `stored` is at or before it is
// readable. The header is held back by this process's writes in flight (per store), and by a lag
// for other processes' writes.
import fc from 'fast-check';
import t from 'tap';
import { consistentThrough } from '@cairn/lrs';

const T = Date.UTC(2026, 10, 29, 12);
const at = (ms: number) => new Date(T + ms);

t.test('with nothing in flight: now minus the lag, and never now itself', async (t) => {
  t.same(consistentThrough(0).at('s', at(0)), at(-1), 'a write in this millisecond may follow');
  t.same(consistentThrough(1).at('s', at(0)), at(-1));
  t.same(consistentThrough(1000).at('s', at(0)), at(-1000));
  t.same(consistentThrough().at('s', at(0)), at(-1000), 'the default lag is a second');
});

t.test('a write in flight holds its store back to just before its stored', async (t) => {
  const c = consistentThrough(0);
  const first = c.begin('s', at(0));
  const second = c.begin('s', at(5));
  t.same(c.at('s', at(60_000)), at(-1), 'the oldest write in flight decides');
  t.same(c.at('other', at(60_000)), at(59_999), "another store's writes are not its business");
  first();
  t.same(c.at('s', at(60_000)), at(4));
  first();
  t.same(c.at('s', at(60_000)), at(4), 'finishing twice is finishing once');
  second();
  t.same(c.at('s', at(60_000)), at(59_999), 'all finished: back to now');
});

t.test('two writes with the same stored: held until both finish', async (t) => {
  const c = consistentThrough(0);
  const a = c.begin('s', at(7));
  const b = c.begin('s', at(7));
  a();
  t.same(c.at('s', at(100)), at(6));
  b();
  t.same(c.at('s', at(100)), at(99));
});

t.test(
  'any interleaving: the header is before every unfinished write, after none needlessly',
  async () => {
    type Op = { kind: 'begin'; store: number; ms: number } | { kind: 'finish'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('begin' as const), store: fc.nat(2), ms: fc.nat(1000) }),
      fc.record({ kind: fc.constant('finish' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.nat(2000), fc.nat(2), (ops, lag, store) => {
        const c = consistentThrough(lag);
        const open: { store: number; ms: number; finish: () => void }[] = [];
        for (const o of ops) {
          if (o.kind === 'begin') {
            open.push({ store: o.store, ms: o.ms, finish: c.begin(`s${o.store}`, at(o.ms)) });
          } else if (open.length > 0) {
            const [done] = open.splice(o.pick % open.length, 1);
            done?.finish();
          }
        }
        const now = 1000;
        const header = c.at(`s${store}`, at(now)).getTime() - T;
        const mine = open.filter((w) => w.store === store).map((w) => w.ms);
        const expected = Math.min(now - Math.max(1, lag), ...mine.map((ms) => ms - 1));
        return header === expected;
      }),
    );
  },
);
