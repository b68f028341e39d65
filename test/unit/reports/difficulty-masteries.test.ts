// How the reports feed the difficulty model: a person's rows are the union of their identifiers'
// rows, a person's ability with the store's calibration is what the population fit gives them,
// a cohort member's mastery and variance come from the model, and calibrations are reused only
// while they are exact for the rows read (cohort reports) or younger than the TTL (person ones).
import t from 'tap';
import { fitDifficultyModel, personSkillSummary, type ActivityDaySums } from '@cairn/analytics';
import type { ActivityOutcome } from '@cairn/store';
import {
  CalibrationCache,
  calibrate,
  columnMastery,
  columnRows,
  fingerprintOf,
  personRows,
  withDifficultyMastery,
} from '@cairn/reports';

const outcome = (
  subject: string,
  activityId: string,
  day: string,
  concept: string,
  w: bigint,
  wy: bigint,
): ActivityOutcome => ({
  key: { subject, skill: 'sql', activityId, day, concept },
  totals: { statements: 1n, w, wy, wy2: 0n, bins: [] },
});

t.test("a person's rows sum their identifiers' rows per activity and day", async (t) => {
  const rows = personRows(
    [
      outcome('mbox::a', 'quiz', '2025-01-01', 'passed', 10_000n, 10_000_000n),
      outcome('account::x::a', 'quiz', '2025-01-01', 'failed', 10_000n, 0n),
      outcome('mbox::b', 'quiz', '2025-01-01', 'passed', 10_000n, 10_000_000n),
      outcome('mbox::a', 'forum', '2025-01-02', 'liked', 20_000n, 20_000_000n),
    ],
    { personOf: (key) => (key === 'mbox::b' ? 'p2' : 'p1') },
  );
  t.same(rows.get('p1'), [
    { subject: 'p1', skill: 'sql', activityId: 'quiz', day: '2025-01-01', statements: 2, wout: 2, wy: 1 }, // prettier-ignore
    { subject: 'p1', skill: 'sql', activityId: 'forum', day: '2025-01-02', statements: 1, wout: 2, wy: 2 }, // prettier-ignore
  ]);
  t.equal(rows.get('p2')?.length, 1);
  const social = personRows(
    [
      outcome('mbox::a', 'quiz', '2025-01-01', 'passed', 10_000n, 10_000_000n),
      outcome('mbox::a', 'forum', '2025-01-02', 'liked', 20_000n, 20_000_000n),
    ],
    { personOf: () => 'p1' },
    { source: 'social' },
  );
  t.same(
    social.get('p1')?.map((r) => r.activityId),
    ['forum'],
    'source=social keeps the rows of social verb concepts',
  );
});

/** Ten people of rising ability on three activities of rising difficulty, over 30 days. */
function population(): Map<string, ActivityDaySums[]> {
  const out = new Map<string, ActivityDaySums[]>();
  for (let p = 0; p < 10; p++) {
    const rows: ActivityDaySums[] = [];
    for (let d = 1; d <= 30; d++) {
      const activity = ['easy', 'mid', 'hard'][d % 3] ?? 'mid';
      const y = Math.min(1, Math.max(0, 0.2 + p * 0.07 - (d % 3) * 0.15));
      rows.push({ subject: `p${p}`, skill: 'sql', activityId: activity, day: `2025-01-${String(d).padStart(2, '0')}`, statements: 1, wout: 1, wy: y }); // prettier-ignore
    }
    out.set(`p${p}`, rows);
  }
  return out;
}

t.test("a person's ability with the calibration is the population fit's", async (t) => {
  const rows = population();
  const asOf = '2025-01-30';
  const calibration = calibrate(rows, asOf);
  const fit = fitDifficultyModel([...rows.values()].flat(), { asOf });
  const column = { skill: 'sql', covers: new Set(['sql']) };
  for (const [person, own] of rows) {
    const alone = columnMastery(calibration, columnRows(own, column, calibration), asOf);
    const inFit = fit.masteries.find((m) => m.subject === person);
    t.ok(Math.abs((alone?.mastery ?? 0) - (inFit?.mastery ?? 1)) < 1e-6, `${person}`);
  }
  const parent = { skill: 'data', covers: new Set(['sql', 'etl']) };
  const relabelled = columnRows(rows.get('p3') ?? [], parent, calibration);
  t.ok(
    relabelled.every((r) => r.skill === 'data'),
    "a parent's column relabels its children's rows",
  );
  t.equal(columnMastery(calibration, [], asOf), null, 'no rows, no mastery');
});

t.test(
  "a cohort member's mastery and variance are the model's, the rest the summary's",
  async (t) => {
    const summary = personSkillSummary([], { asOf: '2025-01-30' });
    const m = { subject: 'p', skill: 's', ability: 1, se: 0.5, trend: 0, trendSe: 0, mastery: 0.7310585786300049, low: 0.6, high: 0.8, evidence: 5, statements: 5, level: 0.7310585786300049 }; // prettier-ignore
    const sufficient = { ...summary, sufficient: true };
    const mixed = withDifficultyMastery(sufficient, m);
    t.equal(mixed.mastery.mean, m.mastery);
    t.equal(mixed.mastery.level, m.mastery);
    t.ok(Math.abs(mixed.mastery.variance - (m.mastery * (1 - m.mastery)) ** 2 * 0.25) < 1e-15, 'delta method'); // prettier-ignore
    t.equal(mixed.volume, summary.volume);
    t.equal(mixed.growth, summary.growth, "the growth test is the summary's");
    t.equal(
      withDifficultyMastery(summary, m).mastery.level,
      null,
      'insufficient evidence, no level',
    );
  },
);

t.test('calibrations are reused only while exact, or younger than the TTL', async (t) => {
  let now = 0;
  const cache = new CalibrationCache(1000, () => now);
  const at = { storeId: 's', asOf: '2025-01-30', generation: 1 };
  let fits = 0;
  const fit = () => {
    fits++;
    return calibrate(population(), at.asOf);
  };
  const a = await cache.exact(at, 'rows-1', fit);
  t.equal(await cache.exact(at, 'rows-1', fit), a, 'the same rows: the same calibration');
  t.equal(fits, 1);
  await cache.exact(at, 'rows-2', fit);
  t.equal(fits, 2, 'other rows: refitted');
  await cache.exact({ ...at, generation: 2 }, 'rows-2', fit);
  t.equal(fits, 3, 'a new settings generation: refitted');
  const load = async () => ({ fingerprint: 'rows-3', calibration: fit() });
  now = 500;
  await cache.recent(at, load);
  t.equal(fits, 3, 'a person report reuses a calibration younger than the TTL');
  now = 2000;
  await cache.recent(at, load);
  t.equal(fits, 4, 'older: it reloads and refits');
  await cache.exact(at, 'rows-3', fit);
  t.equal(fits, 4, 'a cohort report reading the same rows reuses that fit');
  t.equal(
    fingerprintOf([outcome('a', 'q', '2025-01-01', 'passed', 1n, 1n)]),
    fingerprintOf([outcome('a', 'q', '2025-01-01', 'passed', 1n, 1n)]),
  );
  t.not(
    fingerprintOf([outcome('a', 'q', '2025-01-01', 'passed', 1n, 1n)]),
    fingerprintOf([outcome('a', 'q', '2025-01-01', 'passed', 2n, 1n)]),
  );
});
