// The pipeline's central test (docs/analytics-core.md, section 4): whatever the arrival order,
// duplicates, voids and retries, the live skill-day buckets equal a full recomputation exactly.
import t from 'tap';
import {
  bucketKeyString,
  contributionOf,
  DEFAULT_VERB_TABLE,
  EMPTY_RULE_SET,
  EvidenceLedger,
  negateSums,
  SKILL_ALIGNMENT_EXTENSION,
  statementEvidence,
  type SkillDaySums,
} from '@cairn/analytics';
import { recomputeSkillDays, verifySkillDays } from '@cairn/aggregator';
import { STATEMENT_BATCH_JOB } from '@cairn/jobs';
import { COLLECTIONS, type SkillDay, type Store } from '@cairn/store';
import type { Statement as XapiStatement } from '@cairn/xapi';
import { batchAggregated, startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import { pollUntil } from '../../helpers/poll.js';
import { shuffled } from '../../helpers/shuffle.js';
import { statementQueue } from '../../helpers/queues.js';

type Statement = XapiStatement & { id: string };

const uuid = (n: number): string => `5e1f0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const SKILLS = ['https://skills.example.com/safety', 'https://skills.example.com/welding'];
const PEOPLE = ['mailto:ann@example.com', 'mailto:bob@Example.com', 'mailto:cy@example.com'];

function learning(n: number): Statement {
  const verbs = [
    'http://adlnet.gov/expapi/verbs/passed',
    'http://adlnet.gov/expapi/verbs/completed',
    'http://adlnet.gov/expapi/verbs/scored',
    'http://adlnet.gov/expapi/verbs/answered',
  ];
  return {
    id: uuid(n),
    actor: { mbox: PEOPLE[n % PEOPLE.length] ?? '' },
    verb: { id: verbs[n % verbs.length] ?? '' },
    object: {
      id: `https://example.com/activities/${n % 5}`,
      definition: {
        extensions: {
          [SKILL_ALIGNMENT_EXTENSION]:
            n % 3 === 0 ? [SKILLS[0], { skill: SKILLS[1], weight: 0.5 }] : [SKILLS[n % 2]],
        },
      },
    },
    result: { success: n % 2 === 0, score: { scaled: ((n * 37) % 100) / 100 } },
    // Spread over days; some "late" statements land weeks back, in the day of their timestamp.
    timestamp: new Date(Date.UTC(2024, 2, 1 + ((n * 7) % 40), n % 24, 5)).toISOString(),
  };
}

const voiding = (n: number, target: string): Statement => ({
  id: uuid(n),
  actor: { mbox: 'mailto:admin@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
  object: { objectType: 'StatementRef', id: target },
});

/** The expected buckets from the statements as sent, through the in-memory reference. */
function expectedFrom(statements: readonly Statement[], storeId: string): SkillDay[] {
  const ledger = new EvidenceLedger();
  for (const statement of shuffled(statements, 7)) {
    const ev = statementEvidence({
      store: storeId,
      statement,
      stored: '2030-01-01T00:00:00.000Z',
      verbs: DEFAULT_VERB_TABLE,
      rules: EMPTY_RULE_SET,
    });
    if (ev.type === 'void') ledger.void(ev.tombstone);
    else ledger.insert(ev.rows);
  }
  return sortDays(
    [...ledger.buckets.values()].map(({ key: { store: _s, ...key }, sums }) => ({
      key,
      totals: sums,
    })),
  );
}

/** Minus what the row `key` adds to its bucket (read back from the evidence collection). */
async function recomputeDelta(store: Store, storeId: string, key: string): Promise<SkillDaySums> {
  const [row] = (await store.evidenceOf(storeId).page('pending', null, 1000)).filter(
    (r) => r.key === key,
  );
  if (row === undefined) throw new Error(`no pending row ${key}`);
  const { key: _key, state: _state, ...fields } = row;
  return negateSums(contributionOf({ store: storeId, ...fields }));
}

function sortDays(days: readonly SkillDay[]): SkillDay[] {
  const id = (d: SkillDay): string => bucketKeyString({ store: '', ...d.key });
  return [...days].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

async function liveDays(store: Store, storeId: string): Promise<SkillDay[]> {
  const days = await store.skillDaysOf(storeId).list();
  return sortDays(days.filter((d) => Object.values(d.totals).some((v) => v !== 0n)));
}

t.test(
  'shuffled, duplicated and voided statements give exactly the recomputed buckets',
  async (t) => {
    const r = await buildTestApp(t);
    const storeId = 'default';
    const auth = await basicAuth(r.store, storeId, ['all']);
    const headers = { authorization: auth, 'x-experience-api-version': '2.0.0' };
    const post = async (payload: unknown): Promise<void> => {
      const res = await r.app.inject({
        method: 'POST',
        url: '/xapi/statements',
        headers,
        payload: payload as object,
      });
      t.equal(res.statusCode, 200, 'stored (or already stored)');
    };
    await startTestAggregator(t, r);

    const learningStatements = Array.from({ length: 24 }, (_, i) => learning(i + 1));
    const [first, second] = learningStatements;
    if (first === undefined || second === undefined) throw new Error('no statements');
    const unknownVerb: Statement = {
      ...learning(90),
      verb: { id: 'https://example.com/verbs/juggled' },
    };
    const voidBefore = voiding(100, first.id); // arrives before its target
    const voidAfter = voiding(101, second.id); // arrives after its target
    const rest = shuffled(
      [...learningStatements.filter((s) => s !== first && s !== second), unknownVerb],
      42,
    );
    const order = [voidBefore, ...rest.slice(0, 8), first, second, ...rest.slice(8), voidAfter];

    const statements = r.mongo.db.collection(COLLECTIONS.statements);
    const drained = () =>
      pollUntil('the pipeline to drain', async () =>
        (await statements.countDocuments({ 'pipeline.state': 'pending' })) === 0 ? true : undefined,
      );
    // Each statement delivered twice, alone and then in a batch with its neighbour. The late
    // void waits until its target is counted: stored before the target's job ran, it would
    // (rightly) keep the target from ever being counted, and there would be nothing to retract.
    for (const s of order) {
      if (s === voidAfter) await drained();
      await post(s);
    }
    for (let i = 0; i < order.length; i += 2) await post(order.slice(i, i + 2));
    await drained();

    const all = [...order];
    const expected = expectedFrom(all, storeId);
    const live = await liveDays(r.store, storeId);
    t.ok(expected.length > 5, 'the statements make several buckets');
    t.strictSame(live, expected, 'live buckets equal the reference, bigint for bigint');
    t.strictSame(
      sortDays(await recomputeSkillDays(r.store, storeId)),
      expected,
      'the recomputation from stored statements agrees',
    );
    t.strictSame(await verifySkillDays(r.store, storeId), [], 'verify finds no difference');

    const rowsOf = (s: Statement): number => {
      const ev = statementEvidence({
        store: storeId,
        statement: s,
        verbs: DEFAULT_VERB_TABLE,
        rules: EMPTY_RULE_SET,
      });
      return ev.type === 'evidence' ? ev.rows.length : 0;
    };
    const evidence = r.store.evidenceOf(storeId);
    const counted = learningStatements.filter((s) => s !== first && s !== second);
    t.equal(
      await evidence.count('counted'),
      counted.reduce((n, s) => n + rowsOf(s), 0),
      'a row for each (skill, person) of each unvoided statement, once',
    );
    t.equal(
      await evidence.count('retracted'),
      rowsOf(second),
      'the late void retracted its target',
    );
    t.equal(await evidence.count('pending'), 0);
    t.same(
      (await r.store.unknownVerbsOf(storeId).list()).map((u) => [u.verb, u.statements]),
      [['https://example.com/verbs/juggled', 1]],
      'the unknown verb is counted, once per statement stored',
    );

    // A job retried (the same batch processed twice more): nothing changes.
    const evidenceBefore = await evidence.page('counted', null, 1000);
    const intake = statementQueue(t, r, 'intake');
    const rerun = async (jobId: string) => {
      await intake.add(
        STATEMENT_BATCH_JOB,
        { storeId, statementIds: shuffled(order, 3).map((s) => s.id) },
        { jobId },
      );
      return batchAggregated(t, r, jobId);
    };
    for (const jobId of ['retry-1', 'retry-2']) {
      t.match(await rerun(jobId), { evidence: 0 }, 'a retry inserts nothing');
    }
    t.strictSame(await liveDays(r.store, storeId), expected, 'retries leave the buckets exact');
    t.strictSame(await evidence.page('counted', null, 1000), evidenceBefore);

    // Crashes between the writes of one row, recreated by hand, then the job retried.
    const [added, lost] = evidenceBefore;
    if (added === undefined || lost === undefined) throw new Error('too few rows');
    const skillDays = r.store.skillDaysOf(storeId);
    const bucketOf = (row: typeof added) => ({
      subject: row.subject,
      skill: row.skill,
      day: row.day,
      source: row.source,
      kind: row.kind,
    });
    const zero = { statements: 0n, events: 0n, w: 0n, wy: 0n, wy2: 0n, wout: 0n };
    // `added`: its bucket got the addition, the worker died before marking the row counted.
    t.ok(await evidence.transition(added.key, 'counted', 'pending'));
    t.ok(await skillDays.addOnce(bucketOf(added), zero, `+${added.key}`));
    // `lost`: the row was inserted, the worker died before adding it to its bucket.
    t.ok(await evidence.transition(lost.key, 'counted', 'pending'));
    const undo = await recomputeDelta(r.store, storeId, lost.key);
    t.ok(await skillDays.addOnce(bucketOf(lost), undo, 'test-undo'));
    await skillDays.settle(bucketOf(lost), 'test-undo');
    t.not((await verifySkillDays(r.store, storeId)).length, 0, 'the lost addition shows in verify');

    t.match(await rerun('after-crash'), { evidence: 0 }, 'the retry inserts nothing');
    t.equal(await evidence.count('pending'), 0, 'and finishes both rows');
    t.strictSame(await liveDays(r.store, storeId), expected, 'each row counted exactly once');
  },
);
