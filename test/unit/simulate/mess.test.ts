import t from 'tap';
import { MESS_KINDS } from '@cairn/simulate';
import { HIGH_RATES, run } from './generate-run.js';
import { recount } from './recount.js';

t.test('every kind of mess counted in the summary is what the data shows', async (t) => {
  for (const seed of [1, 2, 3]) {
    const { world, lines, summary } = run({ people: 24, days: 21, seed, messRates: HIGH_RATES });
    const counted = recount(lines, world.framework);
    t.same(counted.mess, summary.mess, `seed ${seed}`);
    for (const kind of MESS_KINDS) t.ok(summary.mess[kind] > 0, `seed ${seed}: some ${kind}`);
  }
});

t.test('the per-verb and per-platform counts and the line count match the data', async (t) => {
  const { world, lines, summary } = run({ people: 20, days: 14, messRates: HIGH_RATES });
  const counted = recount(lines, world.framework);
  t.equal(summary.lines, lines.length);
  t.same(counted.byVerb, summary.byVerb);
  t.same(counted.byPlatform, summary.byPlatform);
});

t.test('each kind of mess can be switched on alone', async (t) => {
  for (const kind of MESS_KINDS) {
    const { world, lines, summary } = run({
      people: 16,
      days: 21,
      seed: 5,
      mess: new Set([kind]),
      messRates: HIGH_RATES,
    });
    const counted = recount(lines, world.framework);
    t.same(counted.mess, summary.mess, kind);
    t.ok(summary.mess[kind] > 0, `${kind} happens`);
    // A voiding statement before its target makes the target late, by design.
    const alsoLate = kind === 'voiding-before-target' ? ['late-arrivals'] : [];
    for (const other of MESS_KINDS.filter((k) => k !== kind && !alsoLate.includes(k))) {
      t.equal(summary.mess[other], 0, `${kind} alone: no ${other}`);
    }
  }
});

t.test('without mess, every statement is valid, aligned, in order and unique', async (t) => {
  const { world, lines, summary } = run({ people: 20, days: 14, mess: new Set() });
  const counted = recount(lines, world.framework);
  for (const kind of MESS_KINDS) t.equal(counted.mess[kind], 0, kind);
  t.equal(counted.valid.length, lines.length);
  t.same(summary.messEnabled, []);
});
