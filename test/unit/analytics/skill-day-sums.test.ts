import t from 'tap';
import fc from 'fast-check';
import { addSums, negateSums, ZERO_SUMS, type SkillDaySums } from '@cairn/analytics';

// Integers keep the arithmetic exact, as the pipeline's exactness tests need.
const sums: fc.Arbitrary<SkillDaySums> = fc.record({
  statements: fc.integer({ min: -1e6, max: 1e6 }),
  events: fc.integer({ min: -1e6, max: 1e6 }),
  w: fc.integer({ min: -1e6, max: 1e6 }),
  wy: fc.integer({ min: -1e6, max: 1e6 }),
  wy2: fc.integer({ min: -1e6, max: 1e6 }),
  wout: fc.integer({ min: -1e6, max: 1e6 }),
});

t.test('buckets add in any order (commutative and associative)', async (t) => {
  fc.assert(
    fc.property(sums, sums, sums, (a, b, c) => {
      t.same(addSums(a, b), addSums(b, a));
      t.same(addSums(addSums(a, b), c), addSums(a, addSums(b, c)));
    }),
  );
});

t.test('retraction is exact: adding the negation gives zero', async (t) => {
  fc.assert(
    fc.property(sums, sums, (a, b) => {
      t.same(addSums(addSums(a, b), negateSums(b)), a);
      t.same(addSums(a, negateSums(a)), ZERO_SUMS);
    }),
  );
});
