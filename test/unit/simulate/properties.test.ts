import fc from 'fast-check';
import t from 'tap';
import { isUuid } from '@cairn/xapi';
import { MESS_KINDS, Rng, type MessKind } from '@cairn/simulate';
import { HIGH_RATES, run } from './generate-run.js';
import { recount } from './recount.js';

t.test('for any small run, the summary counts what the data holds', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.subarray([...MESS_KINDS]),
      (people, days, seed, kinds) => {
        const { world, lines, summary } = run({
          people,
          days,
          seed,
          mess: new Set<MessKind>(kinds),
          messRates: HIGH_RATES,
        });
        const counted = recount(lines, world.framework);
        return (
          JSON.stringify(counted.mess) === JSON.stringify(summary.mess) &&
          counted.lines === summary.lines &&
          kinds.every((k) => k === 'invalid' || counted.rejected.length === summary.mess.invalid)
        );
      },
    ),
    { numRuns: 40 },
  );
  t.pass();
});

t.test('the random source stays in range and forks independently', async (t) => {
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.nat(100), (seed, min, span) => {
      const rng = new Rng(seed);
      const n = rng.int(min, min + span);
      const x = rng.float();
      return n >= min && n <= min + span && x >= 0 && x < 1 && isUuid(rng.uuid());
    }),
  );
  const a = new Rng(1).fork('x');
  const b = new Rng(1).fork('x');
  t.equal(a.uuid(), b.uuid(), 'same seed and label, same stream');
  t.not(new Rng(1).fork('y').uuid(), new Rng(1).fork('x').uuid(), 'another label, another stream');
  const rng = new Rng(5);
  t.throws(() => rng.pick([]), RangeError);
  t.equal(rng.sample([1, 2, 3], 5).length, 3);
  t.equal(rng.poisson(0), 0);
  t.ok(rng.poisson(100) > 50, 'large means use the normal approximation');
  t.equal(
    rng.weighted(['a', 'b'], (x) => (x === 'a' ? 0 : 1)),
    'b',
  );
});
