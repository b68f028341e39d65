import t from 'tap';
import fc from 'fast-check';
import {
  abilitiesWithDifficulties,
  dayNumber,
  dayOfNumber,
  difficultyGrowth,
  difficultyOf,
  fitDifficultyModel,
  MASTERY_MODELS,
  subjectSkillKey,
  type ActivityDaySums,
  type DifficultyFit,
  type DifficultyMastery,
} from '@cairn/analytics';

const AS_OF = '2025-06-30';
const T = dayNumber(AS_OF);
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

function row(
  subject: string,
  activityId: string,
  daysBefore: number,
  wout: number,
  y: number,
  skill = 'k',
): ActivityDaySums {
  return { subject, skill, activityId, day: dayOfNumber(T - daysBefore), statements: 1, wout, wy: wout * y }; // prettier-ignore
}

function masteryOf(fit: DifficultyFit, subject: string, skill = 'k'): DifficultyMastery {
  const m = fit.masteries.find((x) => x.subject === subject && x.skill === skill);
  if (m === undefined) throw new Error(`no mastery for ${subject}`);
  return m;
}

t.test('recovers the difficulties and abilities behind expected outcomes', async (t) => {
  // Every person meets every activity on the day, with the exact expected outcome as a
  // fractional y of large weight: with flat priors the fit must find the generating values,
  // up to the one shift the Rasch model cannot see (differences are compared).
  const abilities = [-2, -1, -0.5, 0, 0.5, 1, 2];
  const difficulties = [-1.5, -0.3, 0.4, 1.2];
  const rows = abilities.flatMap((theta, p) =>
    difficulties.map((b, a) => row(`p${p}`, `a${a}`, 0, 200, sigmoid(theta - b))),
  );
  const fit = fitDifficultyModel(rows, { asOf: AS_OF, abilitySd: 100, difficultySd: 100, trendSd: 0 }); // prettier-ignore
  t.ok(fit.converged, `converged in ${fit.iterations} iterations`);
  const b = difficulties.map((_, a) => fit.difficulties.get(`a${a}`) ?? Number.NaN);
  difficulties.forEach((truth, a) =>
    t.ok(Math.abs((b[a] ?? 0) - (b[0] ?? 0) - (truth - (difficulties[0] ?? 0))) < 0.01, `a${a}`),
  );
  abilities.forEach((truth, p) => {
    const m = masteryOf(fit, `p${p}`);
    t.ok(Math.abs(m.ability - (b[0] ?? 0) - (truth - (difficulties[0] ?? 0))) < 0.01, `p${p}`);
  });
});

t.test('a pass on a hard activity counts for more than a pass on an easy one', async (t) => {
  // Calibration: a crowd takes both activities, the hard one is mostly failed, the easy one
  // mostly passed. Two newcomers then have the same record (2 passes, 1 failure), one on the
  // hard activity, one on the easy one: the Beta model cannot tell them apart, this one can.
  const crowd = Array.from({ length: 30 }, (_, i) => [
    row(`c${i}`, 'hard', 10, 1, i % 5 === 0 ? 1 : 0),
    row(`c${i}`, 'easy', 10, 1, i % 5 === 0 ? 0 : 1),
  ]).flat();
  const newcomers = [
    row('h', 'hard', 1, 2, 1),
    row('h', 'hard', 2, 1, 0),
    row('e', 'easy', 1, 2, 1),
    row('e', 'easy', 2, 1, 0),
  ];
  const rows = [...crowd, ...newcomers];
  const fit = fitDifficultyModel(rows, { asOf: AS_OF });
  t.ok((fit.difficulties.get('hard') ?? 0) > (fit.difficulties.get('easy') ?? 0) + 1);
  t.ok(masteryOf(fit, 'h').mastery > masteryOf(fit, 'e').mastery + 0.1, 'hard beats easy');
  const beta = MASTERY_MODELS.beta.assess(rows, { asOf: AS_OF });
  const betaOf = (s: string) => beta.find((a) => a.subject === s)?.mastery;
  t.equal(betaOf('h'), betaOf('e'), 'the Beta model gives both the same mastery');
});

t.test(
  'all successes or all failures stay finite, with an interval around the mastery',
  async (t) => {
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => row('top', `a${i % 3}`, i, 1, 1)),
      ...Array.from({ length: 10 }, (_, i) => row('bottom', `a${i % 3}`, i, 1, 0)),
      row('thin', 'a0', 3, 0.5, 1),
    ];
    const fit = fitDifficultyModel(rows, { asOf: AS_OF });
    for (const subject of ['top', 'bottom', 'thin']) {
      const m = masteryOf(fit, subject);
      t.ok(Number.isFinite(m.ability) && Number.isFinite(m.se), `${subject} is finite`);
      t.ok(m.low < m.mastery && m.mastery < m.high, `${subject}: low < mastery < high`);
      t.ok(m.low > 0 && m.high < 1);
    }
    t.ok(masteryOf(fit, 'top').mastery > 0.8 && masteryOf(fit, 'bottom').mastery < 0.2);
    t.equal(masteryOf(fit, 'thin').level, null, 'half a unit of evidence shows no level');
    t.equal(masteryOf(fit, 'top').statements, 10);
  },
);

t.test('evidence decays as in the Beta model and the future is ignored', async (t) => {
  const rows = [row('p', 'a', 0, 1, 1), row('p', 'a', 90, 2, 0), row('p', 'a', -5, 7, 1)];
  const m = masteryOf(fitDifficultyModel(rows, { asOf: AS_OF }), 'p');
  t.ok(Math.abs(m.evidence - 2) < 1e-12, '1 today + 2 a half-life ago; the row after T is ignored');
  t.equal(m.statements, 2);
  const beta = MASTERY_MODELS.beta.assess(rows, { asOf: AS_OF })[0];
  t.ok(Math.abs((beta?.evidence ?? 0) - m.evidence) < 1e-12, 'the same evidence as the Beta model');
});

t.test('a person who learns is placed where they are now, not at their average', async (t) => {
  // Outcomes on one average activity rising from 0.2 to 0.9 over 180 days.
  const crowd = Array.from({ length: 20 }, (_, i) => row(`c${i}`, 'a', i, 1, 0.5));
  const learner = Array.from({ length: 60 }, (_, i) => {
    const daysBefore = 180 - 3 * i;
    return row('learner', 'a', daysBefore, 1, 0.2 + (0.7 * (180 - daysBefore)) / 180);
  });
  const rows = [...crowd, ...learner];
  const withTrend = masteryOf(fitDifficultyModel(rows, { asOf: AS_OF }), 'learner');
  const without = masteryOf(fitDifficultyModel(rows, { asOf: AS_OF, trendSd: 0 }), 'learner');
  t.ok(withTrend.trend > 0.5, `trend ${withTrend.trend.toFixed(2)} logits per 90 days`);
  t.ok(withTrend.mastery > without.mastery + 0.1, 'the trend lifts mastery towards today');
  t.ok(withTrend.mastery > 0.75, `mastery ${withTrend.mastery.toFixed(3)} near today's 0.9`);
  t.equal(without.trend, 0);
});

t.test('growing: recent window against the one before, with enough evidence in both', async (t) => {
  const calibration = Array.from({ length: 20 }, (_, i) => row(`c${i}`, 'a', 100, 1, 0.5));
  const window = (subject: string, from: number, y: number, w = 1) =>
    Array.from({ length: 20 }, (_, i) => row(subject, 'a', from + i, w, y));
  const rows = [
    ...calibration,
    ...window('grower', 100, 0.2),
    ...window('grower', 5, 0.8),
    ...window('steady', 100, 0.5),
    ...window('steady', 5, 0.5),
    ...window('thin', 100, 0.1, 0.1),
    ...window('thin', 5, 1, 0.1),
  ];
  const fit = fitDifficultyModel(rows, { asOf: AS_OF });
  const growth = new Map(difficultyGrowth(fit, rows, 90).map((g) => [g.subject, g]));
  t.ok(growth.get('grower')?.growing, `grower: z ${growth.get('grower')?.z.toFixed(2)}`);
  t.notOk(growth.get('steady')?.growing, `steady: z ${growth.get('steady')?.z.toFixed(2)}`);
  t.notOk(growth.get('thin')?.growing, 'two units of evidence per window are not enough');
  t.equal(growth.get('grower')?.recent.evidence, 20);
});

t.test('activities with one person share a pooled difficulty per skill', async (t) => {
  const rows = [
    ...Array.from({ length: 5 }, (_, i) => row(`p${i}`, 'course', 1, 1, 0.6)),
    row('p0', 'p0-post', 1, 0.1, 1),
    row('p1', 'p1-post', 1, 0.1, 1),
  ];
  const fit = fitDifficultyModel(rows, { asOf: AS_OF });
  t.same([...fit.difficulties.keys()], ['course']);
  t.same([...fit.pooledDifficulties.keys()], ['k']);
  t.equal(difficultyOf(fit, 'p0-post', 'k'), fit.pooledDifficulties.get('k'));
  t.ok((fit.pooledDifficulties.get('k') ?? 0) < 0, 'always liked: easier than average');
});

t.test(
  "a person's abilities can be read later against the population's difficulties",
  async (t) => {
    const rows = [
      ...Array.from({ length: 12 }, (_, i) => row(`c${i}`, 'hard', i * 7, 1, i % 4 === 0 ? 1 : 0)),
      ...Array.from({ length: 12 }, (_, i) => row(`c${i}`, 'easy', i * 5, 1, i % 4 === 0 ? 0 : 1)),
      row('p', 'hard', 3, 1, 1),
      row('p', 'easy', 40, 1, 0.5, 'k2'),
    ];
    const fit = fitDifficultyModel(rows, { asOf: AS_OF });
    const mine = rows.filter((r) => r.subject === 'p');
    const read = abilitiesWithDifficulties(fit, mine, { asOf: AS_OF });
    t.equal(read.length, 2);
    for (const m of read) {
      const joint = masteryOf(fit, 'p', m.skill);
      t.ok(Math.abs(m.ability - joint.ability) < 1e-7, `${m.skill}: the joint fit's ability`);
      t.ok(Math.abs(m.se - joint.se) < 1e-7 && Math.abs(m.trend - joint.trend) < 1e-7);
    }
  },
);

t.test('bad settings are refused', async (t) => {
  t.throws(() => fitDifficultyModel([], { asOf: AS_OF, abilitySd: 0 }), {
    name: 'RangeError',
    message: 'abilitySd must be a positive number',
  });
  t.throws(() => fitDifficultyModel([], { asOf: 'June' }), { name: 'RangeError' });
  t.same(fitDifficultyModel([], { asOf: AS_OF }).masteries, []);
});

const rowArbitrary = fc.record({
  subject: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
  skill: fc.constantFrom('k1', 'k2'),
  activityId: fc.constantFrom('a1', 'a2', 'a3', 'solo'),
  day: fc.integer({ min: 0, max: 200 }).map((d) => dayOfNumber(T - d)),
  statements: fc.integer({ min: 1, max: 5 }),
  wout: fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 5, noNaN: true })),
  y: fc.double({ min: 0, max: 1, noNaN: true }),
});

t.test('the fit does not depend on the order of its inputs', async () => {
  fc.assert(
    fc.property(
      fc.array(rowArbitrary, { minLength: 1, maxLength: 40 }).chain((raw) => {
        const rows = raw.map(({ y, ...r }): ActivityDaySums => ({ ...r, wy: r.wout * y }));
        return fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length }));
      }),
      ([rows, shuffled]) => {
        const a = fitDifficultyModel(rows, { asOf: AS_OF });
        const b = fitDifficultyModel(shuffled, { asOf: AS_OF });
        if (a.masteries.length !== b.masteries.length) return false;
        const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9;
        const sameMastery = a.masteries.every((m, i) => {
          const n = b.masteries[i];
          return (
            n !== undefined &&
            subjectSkillKey(m.subject, m.skill) === subjectSkillKey(n.subject, n.skill) &&
            close(m.ability, n.ability) &&
            close(m.se, n.se) &&
            close(m.trend, n.trend) &&
            close(m.evidence, n.evidence) &&
            m.statements === n.statements
          );
        });
        const sameDifficulty = [...a.difficulties].every(([id, d]) =>
          close(d, b.difficulties.get(id) ?? Number.NaN),
        );
        const ga = difficultyGrowth(a, rows, 28);
        const gb = difficultyGrowth(b, shuffled, 28);
        const sameGrowth = ga.every((g, i) => close(g.z, gb[i]?.z ?? Number.NaN));
        return sameMastery && sameDifficulty && sameGrowth && a.masteries.every((m) => Number.isFinite(m.ability)); // prettier-ignore
      },
    ),
    { numRuns: 60 },
  );
});
