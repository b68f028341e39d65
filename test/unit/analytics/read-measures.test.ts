import t from 'tap';
import fc from 'fast-check';
import {
  betaQuantile,
  dailySums,
  dayNumber,
  growthDelta,
  masteryOf,
  rebuildBuckets,
  regularisedIncompleteBeta,
  slopeSums,
  weeklySlope,
  type DaySums,
  type EvidenceRow,
} from '@cairn/analytics';

const AS_OF = '2025-06-30';

/** Outcome rows of one person and skill: (day, y) with weight 1. */
function days(outcomes: readonly [string, number][]): DaySums[] {
  const rows: EvidenceRow[] = outcomes.map(([day, y], i) => ({
    store: 's',
    statementId: `${i}`,
    skill: 'k',
    subject: 'p',
    role: 'actor',
    day,
    source: 'formal',
    kind: 'outcome',
    concept: 'passed',
    verb: 'v',
    platform: null,
    activityId: 'a',
    yUnits: Math.round(y * 1000),
    wUnits: 10_000,
    n: 1,
    counterpart: null,
  }));
  return dailySums(rebuildBuckets(rows).values());
}

t.test('Beta functions agree with closed forms', async (t) => {
  // Beta(2, 1) has CDF x^2; Beta(1, 1) is uniform; Beta(a, a) is symmetric about 1/2.
  t.ok(Math.abs(regularisedIncompleteBeta(0.3, 2, 1) - 0.09) < 1e-12);
  t.ok(Math.abs(betaQuantile(0.25, 2, 1) - 0.5) < 1e-9);
  t.ok(Math.abs(betaQuantile(0.05, 1, 1) - 0.05) < 1e-9);
  t.ok(Math.abs(betaQuantile(0.5, 7.5, 7.5) - 0.5) < 1e-9);
  // Beta(1, b) has CDF 1 - (1 - x)^b.
  t.ok(Math.abs(regularisedIncompleteBeta(0.2, 1, 30) - (1 - 0.8 ** 30)) < 1e-12);
  // Found by the property below: a quantile far below 1e-6, where the CDF is steep.
  const q = betaQuantile(0.01, 0.5, 446.32151669443783);
  t.ok(Math.abs(regularisedIncompleteBeta(q, 0.5, 446.32151669443783) - 0.01) < 1e-8);
  fc.assert(
    fc.property(fc.double({ min: 0.5, max: 500, noNaN: true }), fc.double({ min: 0.5, max: 500, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (a, b, p) =>
      Math.abs(regularisedIncompleteBeta(betaQuantile(p, a, b), a, b) - p) < 1e-8,
    ),
  );
}); // prettier-ignore

t.test('with no evidence, mastery is the prior mean and no level is shown', async (t) => {
  const m = masteryOf([], { asOf: AS_OF });
  t.equal(m.mastery, 0.5);
  t.equal(m.evidence, 0);
  t.equal(m.level, null);
  t.ok(Math.abs(m.low - 0.05) < 1e-9 && Math.abs(m.high - 0.95) < 1e-9);
});

t.test('the interval holds the mean; more positive evidence raises mastery', async (t) => {
  const outcome = fc.tuple(
    fc.integer({ min: 0, max: 200 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );
  fc.assert(
    fc.property(fc.array(outcome, { maxLength: 30 }), (list) => {
      const history = list.map(([back, y]): [string, number] => [dayBefore(back), y]);
      const m = masteryOf(days(history), { asOf: AS_OF });
      const more = masteryOf(days([...history, [AS_OF, 1]]), { asOf: AS_OF });
      return m.low <= m.mastery && m.mastery <= m.high && more.mastery > m.mastery;
    }),
  );
  t.pass('the property held');
});

t.test('evidence decays with its half-life; later days are not seen', async (t) => {
  const old = masteryOf(days([[dayBefore(90), 1]]), { asOf: AS_OF });
  t.ok(Math.abs(old.evidence - 0.5) < 1e-9, 'one half-life halves evidence');
  const future = masteryOf(days([['2025-07-01', 1]]), { asOf: AS_OF });
  t.equal(future.evidence, 0);
  const enough = masteryOf(
    days([
      [AS_OF, 1],
      [AS_OF, 1],
      [AS_OF, 0],
    ]),
    { asOf: AS_OF },
  );
  t.ok(Math.abs((enough.level ?? 0) - 3 / 5) < 1e-9, 'level (1 + 2) / (2 + 3)');
});

t.test('growth over disjoint windows, with the z rule', async (t) => {
  const rising: [string, number][] = [];
  for (let i = 0; i < 20; i++) rising.push([dayBefore(29 + i), 0.2], [dayBefore(i), 0.9]);
  const g = growthDelta(days(rising), 28, { asOf: AS_OF });
  t.ok(g.delta > 0.5 && g.z > 1.64 && g.growing, 'clear growth is growing');
  const flat = growthDelta(days(rising.map(([d]) => [d, 0.6])), 28, { asOf: AS_OF });
  t.ok(Math.abs(flat.delta) < 1e-9 && !flat.growing, 'no change, no growth');
  const thin = growthDelta(days([[dayBefore(40), 0], [AS_OF, 1]]), 28, { asOf: AS_OF });
  t.notOk(thin.growing, 'too little evidence in each window');
}); // prettier-ignore

t.test('the weekly slope recovers a linear trend and pools by addition', async (t) => {
  const trend: [string, number][] = [];
  for (let week = 0; week < 8; week++) trend.push([dayBefore(7 * week), 0.9 - 0.1 * week]);
  const s = slopeSums(days(trend), AS_OF);
  t.ok(Math.abs((weeklySlope(s) ?? 0) - 0.1) < 1e-9, 'slope 0.1 per week');
  t.equal(weeklySlope(slopeSums(days([[AS_OF, 1]]), AS_OF)), null, 'one week has no slope');
  const a = slopeSums(days(trend.slice(0, 4)), AS_OF);
  const b = slopeSums(days(trend.slice(4)), AS_OF);
  const pooled = { sw: a.sw + b.sw, sx: a.sx + b.sx, sy: a.sy + b.sy, sxx: a.sxx + b.sxx, sxy: a.sxy + b.sxy };
  t.ok(Math.abs((weeklySlope(pooled) ?? 0) - 0.1) < 1e-9, 'sums of parts give the whole');
}); // prettier-ignore

function dayBefore(n: number): string {
  return new Date((dayNumber(AS_OF) - n) * 86_400_000).toISOString().slice(0, 10);
}
