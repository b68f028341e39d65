import t from 'tap';
import type { EvidenceRecord, SkillDayKey } from '@cairn/store';
import { testResources } from '../../helpers/test-resources.js';

const record = (statementId: string, skill: string, store = 'a'): EvidenceRecord => ({
  key: JSON.stringify([store, statementId, skill, 'mbox::a@example.com', 'actor']),
  statementId,
  skill,
  subject: 'mbox::a@example.com',
  role: 'actor',
  day: '2024-03-01',
  source: 'formal',
  kind: 'outcome',
  concept: 'passed',
  verb: 'http://adlnet.gov/expapi/verbs/passed',
  platform: null,
  activityId: 'https://example.com/a',
  yUnits: 800,
  wUnits: 10_000,
  n: 1,
});

const bucket: SkillDayKey = {
  subject: 'mbox::a@example.com',
  skill: 'https://skills.example.com/x',
  day: '2024-03-01',
  source: 'formal',
  kind: 'outcome',
};
const totals = (k: bigint) => ({ statements: k, events: k, w: k, wy: k, wy2: k, wout: k });

t.test('evidence rows: inserted once, moved between states once, scoped by store', async (t) => {
  const { store } = await testResources(t);
  const a = store.evidenceOf('a');
  const rows = [record('s1', 'x'), record('s1', 'y'), record('s2', 'x')];
  t.strictSame((await a.insertMany(rows)).sort(), rows.map((r) => r.key).sort());
  t.strictSame(await a.insertMany([record('s1', 'x'), record('s3', 'x')]), [record('s3', 'x').key]);
  t.equal(await a.count('pending'), 4);
  t.strictSame(
    (await a.ofStatements(['s1'])).map((r) => [r.skill, r.state]),
    [
      ['x', 'pending'],
      ['y', 'pending'],
    ],
  );
  const key = record('s1', 'x').key;
  t.equal(await a.transition(key, 'pending', 'counted'), true);
  t.equal(await a.transition(key, 'pending', 'counted'), false, 'a second move finds nothing');
  t.strictSame(
    (await a.page('counted', null, 10)).map((r) => r.key),
    [key],
  );

  const b = store.evidenceOf('b');
  t.strictSame(await b.ofStatements(['s1', 's2']), [], 'another store sees none of them');
  t.equal(await b.transition(key, 'counted', 'retracted'), false, 'nor can move them');
  await t.rejects(b.insertMany([record('s1', 'x')]), { code: 'STORE_ERR_FAILED' }, 'a foreign key');
  t.strictSame(
    await b.insertMany([record('s1', 'x', 'b')]),
    [record('s1', 'x', 'b').key],
    'its own row of the same statement',
  );
});

t.test('skill days: an addition counts once per op id, until settled', async (t) => {
  const { store } = await testResources(t);
  const days = store.skillDaysOf('a');
  const big = 2n ** 55n + 3n;
  t.equal(await days.addOnce(bucket, totals(big), '+r1'), true, 'creates the bucket');
  t.equal(await days.addOnce(bucket, totals(big), '+r1'), false, 'a retry adds nothing');
  t.equal(await days.addOnce(bucket, totals(5n), '+r2'), true);
  t.equal(await days.addOnce(bucket, totals(-big), '-r1'), true, 'retraction');
  await days.settle(bucket, '+r1');
  await days.settle(bucket, '+r2');
  await days.settle(bucket, '-r1');
  t.strictSame(await days.list(), [{ key: bucket, totals: totals(5n) }]);
  t.strictSame(await store.skillDaysOf('b').list(), [], 'another store sees none');

  const other = { ...bucket, day: '2024-03-02' };
  await days.replaceAll([{ key: other, totals: totals(7n) }]);
  t.strictSame(await days.list(), [{ key: other, totals: totals(7n) }], 'a rebuild replaces all');

  // More than 100 buckets replaced at once, in one bulk write.
  const many = Array.from({ length: 150 }, (_, i) => ({
    key: {
      ...bucket,
      day: `2024-0${1 + (i % 9)}-${String(10 + (i % 19)).padStart(2, '0')}`,
      skill: `https://skills.example.com/s${i}`,
    },
    totals: totals(BigInt(i + 1)),
  }));
  await days.replaceAll(many);
  await days.replaceAll(many.map((d) => ({ ...d, totals: totals(d.totals.w * 2n) })));
  const replaced = await days.list();
  t.equal(replaced.length, 150, 'every bucket replaced');
  t.equal(
    replaced.reduce((sum, d) => sum + d.totals.w, 0n),
    many.reduce((sum, d) => sum + d.totals.w * 2n, 0n),
    'with the new sums',
  );
});

t.test('skill days in bulk: the additions of a bucket land whole, once', async (t) => {
  const { store } = await testResources(t);
  const days = store.skillDaysOf('a');
  const second = { ...bucket, skill: 'https://skills.example.com/y' };
  // A crash after '+r2' reached the first bucket on its own: that bucket comes back unsure.
  await days.addOnce(bucket, totals(2n), '+r2');
  const first = { key: bucket, totals: totals(3n), opIds: ['+r1', '+r2'] };
  const unsure = await days.addEachOnce([
    first,
    { key: second, totals: totals(4n), opIds: ['+r3'] },
  ]);
  t.ok(unsure.includes(first), 'the bucket that held one of the op ids is handed back');
  for (const a of unsure) {
    // What the caller then does: op by op, and the op that landed is skipped.
    if (a === first) {
      t.equal(await days.addOnce(bucket, totals(1n), '+r1'), true);
      t.equal(await days.addOnce(bucket, totals(2n), '+r2'), false);
    } else {
      await days.addOnce(second, totals(4n), '+r3');
    }
  }
  t.strictSame(
    await days.addEachOnce([{ key: second, totals: totals(4n), opIds: ['+r3'] }]),
    [{ key: second, totals: totals(4n), opIds: ['+r3'] }],
    'an addition already on its bucket is never applied twice',
  );
  await days.settleAll([first, { key: second, opIds: ['+r3'] }]);
  t.strictSame(
    (await days.list()).map((d) => [d.key.skill, d.totals.w]),
    [
      [bucket.skill, 3n],
      [second.skill, 4n],
    ],
  );
  // Settled: the op ids are forgotten, so the same ids add again (a new row would not reuse them).
  t.strictSame(await days.addEachOnce([{ key: second, totals: totals(1n), opIds: ['+r3'] }]), []);

  const evidence = store.evidenceOf('a');
  const rows = Array.from({ length: 120 }, (_, i) => record(`s${i}`, 'x'));
  await evidence.insertMany(rows);
  const keys = rows.map((r) => r.key);
  t.equal(await evidence.transitionAll(keys, 'pending', 'counted'), 120, 'over 100 rows move');
  t.equal(await evidence.transitionAll(keys, 'pending', 'counted'), 0, 'and only once');
  t.equal(await store.evidenceOf('b').transitionAll(keys, 'counted', 'retracted'), 0);
});

t.test('tombstones: recorded once, found by target, scoped by store', async (t) => {
  const { store } = await testResources(t);
  const tomb = { targetStatementId: 't1', voidingStatementId: 'v1' };
  await store.tombstonesOf('a').record([tomb, tomb]);
  await store.tombstonesOf('a').record([tomb]);
  t.strictSame(await store.tombstonesOf('a').voidedAmong(['t1', 't2']), ['t1']);
  t.strictSame(await store.tombstonesOf('b').voidedAmong(['t1']), []);
});
