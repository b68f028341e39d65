// A change of a store's rules re-derives the evidence it affects, exactly
// (docs/analytics-core.md, section 3, rule 3): subtract the old rows, add the new, in the
// background, with progress visible; and statements that keep arriving meanwhile end up derived
// under the new rules.
import t from 'tap';
import { verifySkillDays } from '@cairn/aggregator';
import { SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import type { SkillDay } from '@cairn/store';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp, reportsAppOn } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import { pollUntil } from '../../helpers/poll.js';

const SAFETY = 'https://skills.example.com/safety';
const WELDING = 'https://skills.example.com/welding';
const COURSES = 'https://lms.example.com/courses/safety/';
const PEOPLE = ['mailto:ann@example.com', 'mailto:bob@example.com', 'mailto:cy@example.com'];
const uuid = (n: number): string => `7a1e0000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A course statement that names no skill itself: only a rule can align it. */
const course = (n: number) => ({
  id: uuid(n),
  actor: { mbox: PEOPLE[n % PEOPLE.length] },
  verb: {
    id:
      n % 2 === 0
        ? 'http://adlnet.gov/expapi/verbs/passed'
        : 'http://adlnet.gov/expapi/verbs/scored',
  },
  object: { id: `${COURSES}${n % 4}` },
  result: { score: { scaled: ((n * 29) % 100) / 100 } },
  timestamp: new Date(Date.UTC(2025, 0, 1 + (n % 20))).toISOString(),
});

/** A statement aligned by its own extension (way C): no rule change touches it. */
const aligned = (n: number) => ({
  ...course(n),
  id: uuid(1000 + n),
  object: {
    id: `https://wiki.example.com/pages/${n}`,
    definition: { extensions: { [SKILL_ALIGNMENT_EXTENSION]: [WELDING] } },
  },
});

const skillTotal = (days: readonly SkillDay[], skill: string): bigint =>
  days.filter((d) => d.key.skill === skill).reduce((sum, d) => sum + d.totals.w, 0n);

t.test('a rule change re-derives exactly, also while statements keep arriving', async (t) => {
  const r = await buildTestApp(t);
  // The rules are the reports service's (/api/v1), on the same database.
  const reports = await reportsAppOn(t, r);
  const storeId = 'default';
  const auth = await basicAuth(r.store, storeId, ['all', 'admin']);
  const xapi = { authorization: auth, 'x-experience-api-version': '2.0.0' };
  const post = async (statements: readonly object[]) => {
    const res = await r.app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: xapi,
      payload: [...statements],
    });
    t.equal(res.statusCode, 200, `stored ${statements.length}`);
  };
  const putRules = async (rules: readonly object[]) => {
    const res = await reports.inject({
      method: 'PUT',
      url: '/api/v1/rules',
      headers: { authorization: auth },
      payload: { rules, tags: [] },
    });
    t.equal(res.statusCode, 200, 'the rules are replaced');
    return res.json<{ generation: number }>().generation;
  };
  const rederivation = async () =>
    (
      await reports.inject({
        method: 'GET',
        url: '/api/v1/rules/rederivation',
        headers: { authorization: auth },
      })
    ).json<{ generation: number; derived: { state: string; generation: number } | null }>();
  /** Until the live buckets equal a recomputation under the current rules, and nothing is owed. */
  const settled = async (what: string, generation: number) =>
    pollUntil(
      what,
      async () => {
        const status = await rederivation();
        if (generation > 0 && (status.derived?.generation ?? 0) < generation) return undefined;
        if (status.derived !== null && status.derived.state !== 'done') return undefined;
        if ((await r.store.evidenceOf(storeId).count('pending')) > 0) return undefined;
        return (await verifySkillDays(r.store, storeId)).length === 0 ? true : undefined;
      },
      60_000,
    ).catch(async (error: unknown) => {
      t.comment(JSON.stringify(await rederivation()));
      t.comment(`pending rows: ${await r.store.evidenceOf(storeId).count('pending')}`);
      t.comment(`differences: ${(await verifySkillDays(r.store, storeId)).length}`);
      throw error;
    });

  await startTestAggregator(t, r, {
    watchSettingsMs: 100,
    onFailed: (job, error) => t.comment(`job ${job?.id ?? '?'} failed: ${error.message}`),
  });
  await post([...Array.from({ length: 12 }, (_, i) => course(i)), aligned(1), aligned(2)]);
  await settled('the first statements', 0);
  const before = await r.store.skillDaysOf(storeId).list();
  t.equal(skillTotal(before, SAFETY), 0n, 'no rule yet: the courses are evidence of nothing');
  const welding = skillTotal(before, WELDING);
  t.ok(welding > 0n, 'statements that align themselves are counted');

  const g1 = await putRules([
    { id: 'safety', activityIdPrefix: COURSES, skills: [{ skill: SAFETY, weight: 1 }] },
  ]);
  await settled('the re-derivation after the rule was added', g1);
  const added = await r.store.skillDaysOf(storeId).list();
  const full = skillTotal(added, SAFETY);
  t.ok(full > 0n, 'the courses are now evidence of safety');
  t.equal(skillTotal(added, WELDING), welding, 'statements the rule does not touch are unchanged');
  const status = await rederivation();
  t.match(status, { generation: g1, derived: { generation: g1, state: 'done', changed: 12 } });

  // Halve the weight while more statements arrive: some are derived before the change, some
  // after, some by the re-derivation; all end under the new rule.
  const more = Array.from({ length: 12 }, (_, i) => course(100 + i));
  const posting = (async () => {
    for (let i = 0; i < more.length; i += 2) await post(more.slice(i, i + 2));
  })();
  const g2 = await putRules([
    { id: 'safety', activityIdPrefix: COURSES, skills: [{ skill: SAFETY, weight: 0.5 }] },
  ]);
  await posting;
  await settled('the re-derivation after the weight changed', g2);
  const halved = skillTotal(await r.store.skillDaysOf(storeId).list(), SAFETY);
  t.equal(halved, full, 'twice the courses at half the weight: the same total');

  // Remove the rule: the courses' rows are retracted, nothing else changes.
  const g3 = await putRules([]);
  await settled('the re-derivation after the rule was removed', g3);
  const after = await r.store.skillDaysOf(storeId).list();
  t.equal(skillTotal(after, SAFETY), 0n, 'no evidence of safety is left');
  t.equal(skillTotal(after, WELDING), welding, 'and welding is as it was');
});
