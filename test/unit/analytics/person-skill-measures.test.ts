import t from 'tap';
import fc from 'fast-check';
import {
  betaQuantile,
  dailySums,
  growthDelta,
  masteryOf,
  personSkillMeasures,
  personSkillSummary,
  pooledDays,
  pooledGrowth,
  regularisedIncompleteBeta,
  slopeSums,
  sourcedDaySums,
  weeklySlope,
  W_SCALE,
  Y_SCALE,
  type Bucket,
  type EvidenceKind,
  type EvidenceSource,
} from '@cairn/analytics';
import { AS_OF, dayBefore, personBuckets } from './bucket-arbitraries.js';

const close = (a: number, b: number, tolerance = 1e-9): boolean =>
  Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));

/** One bucket of weight-1 outcome rows (or practice rows when y is null). */
function bucket(back: number, y: number | null, source: EvidenceSource = 'formal', kind: EvidenceKind = 'outcome', rows = 1): Bucket {
  const w = BigInt(rows * W_SCALE);
  const wy = y === null ? 0n : w * BigInt(Math.round(y * Y_SCALE));
  return {
    key: { store: 's', subject: 'p', skill: 'k', day: dayBefore(back), source, kind },
    sums: { statements: BigInt(rows), events: BigInt(rows), w, wy, wy2: 0n, wout: y === null ? 0n : w },
  };
} // prettier-ignore

t.test('a person without evidence: prior mastery, no level, empty weeks', async (t) => {
  const m = personSkillMeasures([], { asOf: AS_OF });
  t.equal(m.hasEvidence, false);
  t.equal(m.sufficient, false);
  t.equal(m.lastEvidenceDay, null);
  t.equal(m.mastery.mean, 0.5);
  t.equal(m.mastery.level, null);
  t.ok(close(m.mastery.interval80.low, 0.1) && close(m.mastery.interval80.high, 0.9));
  t.ok(close(m.mastery.interval90.low, 0.05) && close(m.mastery.interval90.high, 0.95));
  t.equal(m.weeks.length, 12);
  t.ok(m.weeks.every((w) => w.volume.statements === 0 && w.outcomeRate === null));
  t.equal(m.slope, null);
  t.same(m.bySourceKind, []);
});

t.test(
  'mastery is masteryOf of the pooled days, with its 10%-90% and 5%-95% quantiles',
  async (t) => {
    fc.assert(
      fc.property(personBuckets('p'), (buckets) => {
        const m = personSkillMeasures(sourcedDaySums(buckets), { asOf: AS_OF });
        const reference = masteryOf(dailySums(buckets), { asOf: AS_OF });
        const { alpha, beta } = m.mastery;
        return (
          close(m.mastery.mean, reference.mastery) &&
          close(m.mastery.evidence, reference.evidence) &&
          (m.mastery.level === null) === (reference.level === null) &&
          m.sufficient === (reference.level !== null) &&
          close(m.mastery.interval90.low, reference.low) &&
          close(m.mastery.interval90.high, reference.high) &&
          Math.abs(regularisedIncompleteBeta(m.mastery.interval80.low, alpha, beta) - 0.1) < 1e-8 &&
          Math.abs(regularisedIncompleteBeta(m.mastery.interval80.high, alpha, beta) - 0.9) <
            1e-8 &&
          m.mastery.interval90.low <= m.mastery.interval80.low &&
          m.mastery.interval80.high <= m.mastery.interval90.high
        );
      }),
    );
    t.pass('the property held');
  },
);

t.test('evidence by source and kind adds up to the whole, decayed and raw', async (t) => {
  fc.assert(
    fc.property(personBuckets('p'), (buckets) => {
      const m = personSkillSummary(sourcedDaySums(buckets), { asOf: AS_OF });
      const parts = m.bySourceKind;
      const seen = buckets.filter((b) => b.key.day <= AS_OF);
      const keys = new Set(seen.map((b) => `${b.key.source} ${b.key.kind}`));
      return (
        parts.length === keys.size &&
        close(
          parts.reduce((s, p) => s + p.decayed.a, 0),
          m.decayed.a,
        ) &&
        close(
          parts.reduce((s, p) => s + p.decayed.b, 0),
          m.decayed.b,
        ) &&
        close(
          parts.reduce((s, p) => s + p.decayed.w, 0),
          m.decayed.w,
        ) &&
        close(
          parts.reduce((s, p) => s + p.raw.events, 0),
          m.volume.events,
        ) &&
        m.volume.statements === seen.reduce((s, b) => s + Number(b.sums.statements), 0) &&
        m.hasEvidence === seen.length > 0 &&
        m.lastEvidenceDay ===
          (seen
            .map((b) => b.key.day)
            .sort()
            .at(-1) ?? null)
      );
    }),
  );
  t.pass('the property held');
});

t.test('a range narrows the volumes shown, never who has evidence or enough of it', async (t) => {
  const days = sourcedDaySums([bucket(100, 1), bucket(100, 0), bucket(99, 1), bucket(3, null, 'social', 'practice')]);
  const all = personSkillSummary(days, { asOf: AS_OF });
  const recent = personSkillSummary(days, { asOf: AS_OF, from: dayBefore(10) });
  t.equal(all.volume.statements, 4);
  t.equal(recent.volume.statements, 1, 'only the social practice row is in the range');
  t.same(recent.bySourceKind.map((e) => [e.source, e.kind, e.raw.statements, e.lastDay]), [
    ['formal', 'outcome', 0, dayBefore(99)],
    ['social', 'practice', 1, dayBefore(3)],
  ]);
  t.equal(recent.hasEvidence, all.hasEvidence);
  t.equal(recent.sufficient, all.sufficient);
  t.same(recent.mastery, all.mastery, 'mastery is as of T over every day');
  t.same(recent.decayed, all.decayed);
}); // prettier-ignore

t.test('decayed weight counts practice too; A + B counts outcomes only', async (t) => {
  const m = personSkillSummary(sourcedDaySums([bucket(90, null, 'social', 'practice'), bucket(0, 1)]), { asOf: AS_OF });
  t.ok(close(m.decayed.w, 1.5), 'a practice row one half-life old weighs 0.5');
  t.ok(close(m.decayed.evidence, 1));
  const practice = m.bySourceKind.find((e) => e.kind === 'practice');
  t.ok(practice !== undefined && close(practice.decayed.w, 0.5) && practice.decayed.evidence === 0);
}); // prettier-ignore

t.test('growth is growthDelta of the pooled days, with its windows and test inputs', async (t) => {
  fc.assert(
    fc.property(personBuckets('p'), fc.constantFrom(28, 90), (buckets, periodDays) => {
      const m = personSkillSummary(sourcedDaySums(buckets), { asOf: AS_OF, periodDays });
      const g = growthDelta(dailySums(buckets), periodDays, { asOf: AS_OF });
      const again = pooledGrowth(m.growth.recentSums, m.growth.priorSums, { asOf: AS_OF, periodDays });
      return (
        close(m.growth.delta, g.delta) && close(m.growth.z, g.z) && m.growth.growing === g.growing &&
        close(m.growth.recentSums.a + m.growth.recentSums.b, g.recent.evidence) &&
        close(m.growth.priorSums.a + m.growth.priorSums.b, g.prior.evidence) &&
        m.growth.periodDays === periodDays && m.growth.threshold === 1.64 && m.growth.nMin === 3 &&
        close(again.z, g.z) && again.growing === g.growing
      );
    }),
  ); // prettier-ignore
  t.pass('the property held');
});

t.test('weekly series: mastery as of each week end, volumes of the week, the slope', async (t) => {
  const buckets = [bucket(0, 1), bucket(6, 0), bucket(7, 1, 'social', 'recognition'), bucket(8, null, 'social', 'practice', 3), bucket(40, 0.5)];
  const m = personSkillMeasures(sourcedDaySums(buckets), { asOf: AS_OF, weeks: 5 });
  t.same(m.weeks.map((w) => [w.index, w.end]), [[-4, dayBefore(28)], [-3, dayBefore(21)], [-2, dayBefore(14)], [-1, dayBefore(7)], [0, AS_OF]]);
  const [w4, , , w1, w0] = m.weeks;
  t.same([w0?.volume.statements, w0?.outcomeRate], [2, 0.5], 'days T-6..T');
  t.same([w1?.volume.statements, w1?.volumeBySource.social.statements, w1?.volumeBySource.social.events, w1?.outcomeRate], [4, 4, 4, 1]);
  t.equal(w4?.volume.statements, 0, 'T-40 is before week -4 (T-34..T-28)');
  t.ok(close(w4?.mastery.evidence ?? 0, 2 ** (-12 / 90)), 'but its mastery sees T-40, decayed 12 days');
  for (const w of m.weeks) {
    const reference = masteryOf(dailySums(buckets), { asOf: w.end });
    t.ok(close(w.mastery.mean, reference.mastery) && close(w.mastery.evidence, reference.evidence), `week ${w.index}`);
  }
  const reference = weeklySlope(slopeSums(dailySums(buckets), AS_OF, 5));
  t.ok(reference !== null && m.slope !== null && close(m.slope, reference));
}); // prettier-ignore

t.test('the weekly series adds up to the volume of its weeks', async (t) => {
  fc.assert(
    fc.property(personBuckets('p'), (buckets) => {
      const days = sourcedDaySums(buckets);
      const m = personSkillMeasures(days, { asOf: AS_OF, weeks: 30, from: dayBefore(209) });
      const weeks = m.weeks.reduce((s, w) => s + w.volume.statements, 0);
      return weeks === m.volume.statements && pooledDays(days).length === dailySums(buckets).length;
    }),
  );
  t.pass('the property held');
});

t.test('the 80% interval is narrower than the 90% one and both hold the mean', async (t) => {
  const m = personSkillMeasures(sourcedDaySums([bucket(0, 1, 'formal', 'outcome', 8), bucket(0, 0, 'formal', 'outcome', 2)]), { asOf: AS_OF });
  t.ok(close(m.mastery.interval80.low, betaQuantile(0.1, 9, 3)) && close(m.mastery.interval80.high, betaQuantile(0.9, 9, 3)));
  t.ok(m.mastery.interval90.low < m.mastery.interval80.low && m.mastery.interval80.low < m.mastery.mean);
  t.ok(m.mastery.mean < m.mastery.interval80.high && m.mastery.interval80.high < m.mastery.interval90.high);
}); // prettier-ignore
