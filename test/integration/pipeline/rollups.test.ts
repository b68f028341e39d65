// The roll-ups beside the skill-day buckets (docs/pipeline.md, "Roll-ups"), through the real
// aggregator: each family equals a rebuild from the counted evidence rows, the reports' read ports
// return what the statements said, a void takes its rows out of every family exactly, and
// `verify` checks them all. Then the simulator's data, rules and all.
import t, { type Test } from 'tap';
import {
  addToRollups,
  familyContribution,
  isZeroRollup,
  rebuildRollups,
  rollupKeyString,
  ROLLUP_FAMILIES,
  SKILL_ALIGNMENT_EXTENSION,
  type EvidenceRow,
  type Rollup,
  type RollupFamily,
} from '@cairn/analytics';
import { rebuildFromStatements, verifyRollups } from '@cairn/aggregator';
import { sendStatements } from '@cairn/simulate';
import { COLLECTIONS, type StoredEvidence, type Store } from '@cairn/store';
import { run } from '../../unit/simulate/generate-run.js';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp, reportsAppOn, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import { pollUntil } from '../../helpers/poll.js';

t.setTimeout(300_000);

const STORE = 'default';
const SAFETY = 'https://skills.example.com/safety';
const BY_WHOM = 'https://w3id.org/xapi/acrossx/extensions/by-whom';
const ANN = { mbox: 'mailto:ann@example.com' };
const BOB = { account: { homePage: 'https://chat.example.com', name: 'bob' } };
const CID = { account: { homePage: 'https://forum.example.com', name: 'cid' } };
const ANN_KEY = 'mbox::mailto:ann@example.com';
const BOB_KEY = 'account::https://chat.example.com::bob';
const CID_KEY = 'account::https://forum.example.com::cid';
const COURSE = 'https://lms.example.com/courses/safety-1';
const uuid = (n: number): string => `9b0c0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const aligned = (id: string, type?: string) => ({
  id,
  definition: {
    ...(type === undefined ? {} : { type }),
    extensions: { [SKILL_ALIGNMENT_EXTENSION]: [SAFETY] },
  },
});
const FORUM_REPLY = 'http://id.tincanapi.com/activitytype/forum-reply';

/** What a learning platform and the social tools send (the simulator's shapes, by hand). */
const STATEMENTS = [
  // Formal outcomes on one course: scores, a pass without one, and no platform sent.
  { n: 1, actor: ANN, verb: 'http://adlnet.gov/expapi/verbs/passed', object: aligned(COURSE), result: { score: { scaled: 0.85 } }, platform: 'Moodle' },
  { n: 2, actor: ANN, verb: 'http://adlnet.gov/expapi/verbs/failed', object: aligned(COURSE), result: { score: { scaled: 0.3 } }, platform: 'Moodle' },
  { n: 3, actor: BOB, verb: 'http://adlnet.gov/expapi/verbs/passed', object: aligned(COURSE) },
  { n: 4, actor: BOB, verb: 'http://adlnet.gov/expapi/verbs/completed', object: aligned('https://lms.example.com/courses/safety-2') },
  // Social: Ann posts, Bob likes it (Ann helped Bob), Cid down-votes Ann's answer (helped nobody).
  { n: 5, actor: ANN, verb: 'https://w3id.org/xapi/acrossx/verbs/posted', object: aligned('https://chat.example.com/c/safety/p1'), platform: 'Slack' },
  { n: 6, actor: BOB, verb: 'https://w3id.org/xapi/acrossx/verbs/liked', object: aligned('https://chat.example.com/c/safety/p1'), platform: 'Slack', author: ANN },
  { n: 7, actor: CID, verb: 'http://id.tincanapi.com/verb/voted-down', object: aligned('https://forum.example.com/t/1/2', FORUM_REPLY), platform: 'Forum', author: ANN },
  // Bob's answer to Ann's question, accepted; Cid replies to Bob.
  { n: 8, actor: BOB, verb: 'http://adlnet.gov/expapi/verbs/answered', object: aligned('https://forum.example.com/t/2/3', FORUM_REPLY), result: { success: true }, platform: 'Forum', author: ANN },
  { n: 9, actor: CID, verb: 'http://id.tincanapi.com/verb/replied', object: aligned('https://forum.example.com/t/2/4', FORUM_REPLY), platform: 'Forum', author: BOB },
].map((s) => ({
  id: uuid(s.n),
  actor: s.actor,
  verb: { id: s.verb },
  object: s.object,
  ...(s.result === undefined ? {} : { result: s.result }),
  context: {
    ...(s.platform === undefined ? {} : { platform: s.platform }),
    ...(s.author === undefined ? {} : { extensions: { [BY_WHOM]: s.author } }),
  },
  timestamp: `2025-03-0${1 + (s.n % 3)}T10:00:00.000Z`,
})); // prettier-ignore

const rowOf = (record: StoredEvidence): EvidenceRow => {
  const { key: _key, state: _state, generation: _generation, counterpart, ...fields } = record;
  return { store: STORE, ...fields, counterpart: counterpart ?? null };
};

async function countedRows(store: Store): Promise<EvidenceRow[]> {
  const rows: EvidenceRow[] = [];
  for (let after: string | null = null; ;) {
    const page = await store.evidenceOf(STORE).page('counted', after, 500);
    rows.push(...page.map(rowOf));
    const last = page.at(-1);
    if (last === undefined) return rows;
    after = last.key;
  }
}

/** One family's live roll-ups (zero ones left out) as the analytics core keys them. */
async function liveRollups(store: Store, family: RollupFamily): Promise<Map<string, Rollup>> {
  const live = new Map<string, Rollup>();
  for (const r of await store.rollupsOf(STORE, family.name).list()) {
    if (isZeroRollup(family, r.totals)) continue;
    const key = { store: STORE, ...r.key };
    live.set(rollupKeyString(family, key), { key, sums: { ...r.totals } });
  }
  return live;
}

async function drain(r: TestApp): Promise<void> {
  const statements = r.mongo.db.collection(COLLECTIONS.statements);
  await pollUntil(
    'the pipeline to drain',
    async () => {
      const pending = await statements.countDocuments({ 'pipeline.state': 'pending' });
      const rows = await r.store.evidenceOf(STORE).count('pending');
      return pending === 0 && rows === 0 ? true : undefined;
    },
    240_000,
  );
}

async function everyFamilyIsItsRebuild(t: Test, store: Store): Promise<void> {
  const rows = await countedRows(store);
  for (const family of ROLLUP_FAMILIES) {
    t.strictSame(
      await liveRollups(store, family),
      rebuildRollups(family, rows),
      `${family.name}: the live roll-ups are the rebuild of the counted rows`,
    );
  }
  t.strictSame(await verifyRollups(store, STORE), [], 'verify finds no difference in any family');
}

t.test(
  'each roll-up is the rebuild of the evidence rows; the reads; a void leaves every family',
  async (t) => {
    const r = await buildTestApp(t);
    await startTestAggregator(t, r);
    const headers = {
      authorization: await basicAuth(r.store, STORE, ['all']),
      'x-experience-api-version': '2.0.0',
    };
    const post = async (payload: object): Promise<void> => {
      const res = await r.app.inject({ method: 'POST', url: '/xapi/statements', headers, payload });
      t.equal(res.statusCode, 200, res.body);
    };
    await post(STATEMENTS);
    await drain(r);
    await everyFamilyIsItsRebuild(t, r.store);

    // The reports' reads.
    const sharing = r.store.knowledgeSharingOf(STORE);
    const shares = (await sharing.query({})).map((s) => [
      s.key.helper,
      s.key.helped,
      s.key.concept,
    ]);
    t.strictSame(
      shares,
      [
        [BOB_KEY, ANN_KEY, 'accepted-answer'],
        [ANN_KEY, BOB_KEY, 'liked'],
        [CID_KEY, BOB_KEY, 'replied'],
      ].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      'who helped whom; the down-vote helped nobody',
    );
    t.strictSame(
      (await sharing.query({ helped: [BOB_KEY], from: '2025-03-01', to: '2025-03-03' })).map(
        (s) => s.key.helper,
      ),
      [CID_KEY, ANN_KEY],
      'by the helped',
    );
    const [liked] = await sharing.query({ helpers: [ANN_KEY], skills: [SAFETY] });
    t.strictSame(liked?.totals, { statements: 1n, events: 1n, w: 1_000n }, 'a like weighs 0.1');
    t.strictSame(await sharing.query({ helpers: [] }), [], 'an empty list selects nothing');

    const outcomes = r.store.activityOutcomesOf(STORE);
    const onCourse = await outcomes.query({ activities: [COURSE] });
    t.strictSame(
      onCourse.map((o) => [o.key.subject, o.key.concept, o.totals.statements, o.totals.bins]),
      [
        [BOB_KEY, 'passed', 1n, [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 1n]],
        [ANN_KEY, 'passed', 1n, [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 1n, 0n]],
        [ANN_KEY, 'failed', 1n, [0n, 0n, 0n, 1n, 0n, 0n, 0n, 0n, 0n, 0n]],
      ],
      'score histograms per person and concept',
    );
    const [annPassed] = await outcomes.query({ subjects: [ANN_KEY], concepts: ['passed'] });
    t.strictSame(
      annPassed?.totals,
      {
        statements: 1n,
        w: 10_000n,
        wy: 8_500_000n,
        wy2: 7_225_000_000n,
        bins: annPassed?.totals.bins,
      },
      'w, wy and wy2 in fixed point',
    );

    const platforms = r.store.platformDaysOf(STORE);
    t.strictSame(
      (await platforms.query({ platforms: [null] })).map((p) => [p.key.subject, p.key.concept]),
      [
        [BOB_KEY, 'passed'],
        [BOB_KEY, 'completed'],
      ],
      'no platform is a platform of its own',
    );
    const slack = await platforms.query({ subjects: [ANN_KEY, BOB_KEY], platforms: ['Slack'] });
    t.strictSame(
      slack.map((p) => [p.key.subject, p.key.kind, p.key.concept, p.totals.statements]),
      [
        [ANN_KEY, 'recognition', 'liked', 1n],
        [ANN_KEY, 'practice', 'posted', 1n],
      ],
      "the like is Ann's evidence (her content was liked), on Slack",
    );

    // Void the like and Ann's failed attempt: their rows leave every family, exactly.
    const voided = [uuid(6), uuid(2)];
    const before = new Map(
      await Promise.all(
        ROLLUP_FAMILIES.map(async (f) => [f.name, await liveRollups(r.store, f)] as const),
      ),
    );
    const voidedRows = (await r.store.evidenceOf(STORE).ofStatements(voided)).map(rowOf);
    t.equal(voidedRows.length, 2, 'one row each');
    await post(
      voided.map((target, i) => ({
        id: uuid(100 + i),
        actor: { mbox: 'mailto:admin@example.com' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
        object: { objectType: 'StatementRef', id: target },
      })),
    );
    await drain(r);
    t.equal(await r.store.evidenceOf(STORE).count('retracted'), 2, 'both rows retracted');
    for (const family of ROLLUP_FAMILIES) {
      const expected = new Map(before.get(family.name));
      for (const row of voidedRows) {
        const c = familyContribution(family, row, -1);
        if (c !== null) addToRollups(expected, family, c);
      }
      t.strictSame(
        await liveRollups(r.store, family),
        expected,
        `${family.name}: minus exactly the voided rows`,
      );
    }
    t.strictSame(
      (await sharing.query({ helpers: [ANN_KEY] })).map((s) => s.key.concept),
      [],
      'Ann helped nobody any more',
    );
    t.strictSame(
      (await outcomes.query({ activities: [COURSE], subjects: [ANN_KEY] })).map(
        (o) => o.key.concept,
      ),
      ['passed'],
      "Ann's failed attempt is gone",
    );
    await everyFamilyIsItsRebuild(t, r.store);

    // A rebuild from the statements writes the same roll-ups.
    const rebuilt = await rebuildFromStatements(r.store, STORE);
    t.equal(rebuilt.rollups.knowledgeSharing, 2, 'two sharing roll-ups rebuilt');
    await everyFamilyIsItsRebuild(t, r.store);
  },
);

t.test(
  "the simulator's statements: every family equals its rebuild after the rules change",
  async (t) => {
    const r = await buildTestApp(t);
    const reports = await reportsAppOn(t, r);
    await startTestAggregator(t, r, { watchSettingsMs: 500 });
    const auth = await basicAuth(r.store, STORE, ['all']);
    const admin = await basicAuth(r.store, STORE, ['admin']);
    const [key, secret] = Buffer.from(auth.slice('Basic '.length), 'base64')
      .toString()
      .split(':') as [string, string];
    const base = await r.app.listen({ host: '127.0.0.1', port: 0 });
    const simulation = run({ people: 4, days: 4, seed: 7 });
    const send = (lines: readonly string[]) =>
      sendStatements(lines, {
        url: `${base}/xapi`,
        key,
        secret,
        batch: 25,
        concurrency: 2,
        rate: 0,
        maxRetries: 6,
        backoffMs: 100,
      });
    const half = Math.floor(simulation.lines.length / 2);
    await send(simulation.lines.slice(0, half));
    // The simulator's rules replace the store's mid-stream: what is stored is re-derived.
    const imported = await reports.inject({
      method: 'POST',
      url: '/api/v1/frameworks/import?rules=replace',
      headers: { authorization: admin },
      payload: simulation.world.framework,
    });
    t.equal(imported.statusCode, 201, imported.body);
    await send(simulation.lines.slice(half));
    await drain(r);
    await pollUntil(
      'the re-derivation under the new rules',
      async () => {
        const res = await reports.inject({
          method: 'GET',
          url: '/api/v1/rules/rederivation',
          headers: { authorization: admin },
        });
        const status = res.json<{
          generation: number;
          derived: { generation: number; state: string } | null;
        }>();
        return status.derived?.generation === status.generation && status.derived.state === 'done'
          ? true
          : undefined;
      },
      240_000,
    );
    await drain(r);
    const rows = await countedRows(r.store);
    t.ok(
      rows.some((row) => row.counterpart !== null),
      'likes and votes of the simulator name who liked',
    );
    await everyFamilyIsItsRebuild(t, r.store);
  },
);
