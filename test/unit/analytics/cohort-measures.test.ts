import t from 'tap';
import fc from 'fast-check';
import {
  cohortMeasures,
  dailySums,
  growthDelta,
  masteryOf,
  personSkillSummary,
  rankGrowth,
  slopeSums,
  sourcedDaySums,
  toFloatSums,
  weeklySlope,
  addSums,
  ZERO_SUMS,
  type Bucket,
  type CohortOptions,
  type GrowthTest,
  type PersonSkillSummary,
} from '@cairn/analytics';
import { AS_OF, personBuckets } from './bucket-arbitraries.js';

const OPTIONS: CohortOptions = { asOf: AS_OF, periodDays: 28, weeks: 12 };

const close = (a: number, b: number, tolerance = 1e-9): boolean =>
  Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

/** A cohort of up to 7 people, each with their own buckets of one skill. */
const cohort: fc.Arbitrary<Bucket[][]> = fc
  .integer({ min: 0, max: 7 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => personBuckets(`p${i}`, 12))));

const summaries = (people: readonly Bucket[][]): PersonSkillSummary[] =>
  people.map((b) => personSkillSummary(sourcedDaySums(b), OPTIONS));

t.test('cohort figures do not depend on the order of the members', async (t) => {
  fc.assert(
    fc.property(
      cohort.chain((people) => fc.tuple(fc.constant(people), fc.shuffledSubarray(people, { minLength: people.length }))),
      ([people, shuffled]) => {
        t.same(cohortMeasures(summaries(shuffled), OPTIONS), cohortMeasures(summaries(people), OPTIONS));
      },
    ),
    { numRuns: 60 },
  ); // prettier-ignore
});

t.test('a cohort of one is that person', async (t) => {
  fc.assert(
    fc.property(personBuckets('p'), (buckets) => {
      const [person] = summaries([buckets]);
      if (person === undefined) return false;
      const c = cohortMeasures([person], OPTIONS);
      const level = person.mastery.level;
      return (
        c.people === (person.hasEvidence ? 1 : 0) &&
        c.sufficient === (level === null ? 0 : 1) &&
        (level === null
          ? c.meanMastery === null && c.spread === null && c.shareProficient === null
          : c.meanMastery?.mean === level &&
            c.meanMastery.sd === Math.sqrt(person.mastery.variance) &&
            c.spread?.median === level && c.spread.iqr === 0 &&
            c.shareProficient === (level >= 0.7 ? 1 : 0) &&
            c.shareGrowing === (person.growth.growing ? 1 : 0)) &&
        c.pooled.alpha === person.mastery.alpha &&
        c.pooled.beta === person.mastery.beta &&
        c.pooled.level === person.mastery.level &&
        close(c.growth.z, person.growth.z) && c.growth.growing === person.growth.growing &&
        c.slope === weeklySlope(person.slopeSums) &&
        c.volume.statements === person.volume.statements
      );
    }),
  ); // prettier-ignore
  t.pass('the property held');
});

t.test('pooled figures are those of the summed buckets', async (t) => {
  fc.assert(
    fc.property(cohort, (people) => {
      const c = cohortMeasures(summaries(people), OPTIONS);
      const all = people.flat();
      const days = dailySums(all);
      const pooled = masteryOf(days, OPTIONS);
      const growth = growthDelta(days, 28, OPTIONS);
      const slope = weeklySlope(slopeSums(days, AS_OF, 12));
      const seen = all.filter((b) => b.key.day <= AS_OF);
      const total = toFloatSums(seen.reduce((s, b) => addSums(s, b.sums), ZERO_SUMS));
      const social = toFloatSums(seen.filter((b) => b.key.source === 'social').reduce((s, b) => addSums(s, b.sums), ZERO_SUMS));
      return (
        close(c.pooled.mean, pooled.mastery) && close(c.pooled.evidence, pooled.evidence) &&
        close(c.pooled.interval90.low, pooled.low, 1e-7) && close(c.pooled.interval90.high, pooled.high, 1e-7) &&
        close(c.growth.delta, growth.delta) && close(c.growth.z, growth.z) &&
        (c.growth.growing === growth.growing || Math.abs(growth.z - 1.64) < 1e-9) &&
        ((slope === null) === (c.slope === null) || Math.abs(c.slopeSums.sw * c.slopeSums.sxx - c.slopeSums.sx ** 2) < 1e-6) &&
        (slope === null || c.slope === null || close(slope, c.slope, 1e-6)) &&
        close(c.volume.w, total.w) && c.volume.statements === total.statements &&
        close(c.volumeBySource.social.wy, social.wy) && c.volumeBySource.social.events === social.events &&
        close(c.decayedBySource.formal.evidence + c.decayedBySource.social.evidence, c.pooled.evidence)
      );
    }),
    { numRuns: 60 },
  ); // prettier-ignore
  t.pass('the property held');
});

t.test('member figures give the cohort figures', async (t) => {
  fc.assert(
    fc.property(cohort, fc.double({ min: 0.3, max: 0.9, noNaN: true }), (people, proficientAt) => {
      const members = summaries(people);
      const c = cohortMeasures(members, { ...OPTIONS, proficientAt });
      const levels = members.flatMap((m) => (m.mastery.level === null ? [] : [m.mastery.level]));
      const n = levels.length;
      const mean = levels.reduce((s, l) => s + l, 0) / n;
      return (
        c.people === members.filter((m) => m.hasEvidence).length &&
        c.sufficient === n &&
        c.proficient === levels.filter((l) => l >= proficientAt).length &&
        c.growing === members.filter((m) => m.sufficient && m.growth.growing).length &&
        (n === 0 ? c.meanMastery === null : close(c.meanMastery?.mean ?? NaN, mean)) &&
        (n === 0 || ((c.spread?.q1 ?? NaN) <= (c.spread?.median ?? NaN) && (c.spread?.median ?? NaN) <= (c.spread?.q3 ?? NaN))) &&
        (n === 0 || ((c.meanMastery?.interval90.low ?? NaN) <= (c.meanMastery?.interval80.low ?? NaN) && (c.meanMastery?.interval80.high ?? NaN) <= (c.meanMastery?.interval90.high ?? NaN)))
      );
    }),
    { numRuns: 60 },
  ); // prettier-ignore
  t.pass('the property held');
});

t.test('the cohort mean interval is mean +- z sqrt(sum var) / n, clamped to [0, 1]', async (t) => {
  const member = (mean: number, variance: number): PersonSkillSummary => ({
    ...personSkillSummary([], OPTIONS),
    hasEvidence: true,
    sufficient: true,
    mastery: { mean, variance, evidence: 10, level: mean, alpha: 1, beta: 1 },
  });
  const c = cohortMeasures([member(0.6, 0.01), member(0.8, 0.03), member(0.4, 0.02), member(0.9, 0.04)], OPTIONS);
  t.ok(close(c.meanMastery?.mean ?? NaN, 0.675));
  t.ok(close(c.meanMastery?.sd ?? NaN, Math.sqrt(0.1) / 4));
  t.ok(close(c.meanMastery?.interval80.low ?? NaN, 0.675 - 1.2815515655446004 * (Math.sqrt(0.1) / 4)));
  t.ok(close(c.meanMastery?.interval90.high ?? NaN, 0.675 + 1.6448536269514722 * (Math.sqrt(0.1) / 4)));
  const spread = c.spread ?? { median: NaN, q1: NaN, q3: NaN, iqr: NaN };
  t.ok(close(spread.median, 0.7) && close(spread.q1, 0.55) && close(spread.q3, 0.825) && close(spread.iqr, 0.275), 'type 7 quartiles');
  t.equal(c.shareProficient, 0.5);
  const wide = cohortMeasures([member(0.95, 0.2)], OPTIONS);
  t.equal(wide.meanMastery?.interval90.high, 1, 'clamped');
}); // prettier-ignore

t.test('a cohort with nobody sufficient has volumes and pooled mastery, no shares', async (t) => {
  const c = cohortMeasures([], OPTIONS);
  t.same([c.people, c.sufficient, c.meanMastery, c.shareProficient, c.shareGrowing, c.spread], [0, 0, null, null, null, null]);
  t.equal(c.pooled.mean, 0.5);
  t.equal(c.pooled.level, null);
}); // prettier-ignore

function growth(z: number, delta: number, growing: boolean): GrowthTest {
  const window = { mean: 0.5, variance: 0.01, evidence: 4 };
  const sums = { a: 2, b: 2 };
  return { recent: window, prior: window, delta, z, growing, periodDays: 28, threshold: 1.64, nMin: 3, recentSums: sums, priorSums: sums };
} // prettier-ignore

t.test('growth ranking: growing first, then z, delta and id, whatever the input order', async (t) => {
  const candidates = [
    { id: 'c', growth: growth(3, 0.2, false) },
    { id: 'a', growth: growth(2, 0.1, true) },
    { id: 'b', growth: growth(2, 0.3, true) },
    { id: 'd', growth: growth(2, 0.3, true) },
    { id: 'e', growth: growth(-1, -0.1, false) },
  ];
  const ranked = rankGrowth(candidates);
  t.same(ranked.map((r) => [r.rank, r.id]), [[1, 'b'], [2, 'd'], [3, 'a'], [4, 'c'], [5, 'e']]);
  t.same(ranked[0]?.test, { periodDays: 28, threshold: 1.64, nMin: 3, recent: candidates[0]?.growth.recent, prior: candidates[0]?.growth.prior });
  fc.assert(
    fc.property(fc.shuffledSubarray(candidates, { minLength: candidates.length }), (shuffled) => {
      t.same(rankGrowth(shuffled), ranked);
    }),
    { numRuns: 30 },
  );
}); // prettier-ignore
