/**
 * What the skill-day buckets rely on for their int64 sums (packages/store/src/skill-days.ts),
 * proven with the driver against the test server: a JS bigint is written as int64, `$inc` by
 * int64 is exact beyond 2^53 and below zero, the type stays int64 (also after an upsert and at
 * zero), and `useBigInt64` reads every int64 back as a bigint. Passes on MongoDB and on the local
 * server. An overflowing `$inc` is not refused by every server (the local server wraps it: pinned
 * in mongodb-compat.test.ts), so the buckets refuse it themselves, as the last test shows.
 */
import t from 'tap';
import { Long } from 'mongodb';
import { testResources } from '../helpers/test-resources.js';

interface SumDoc {
  _id: string;
  s?: bigint;
  z?: bigint;
}

t.test('$inc with bigint (int64) is exact beyond 2^53, negative and at zero', async (t) => {
  const r = await testResources(t);
  const col = r.mongo.db.collection<SumDoc>('int64_sums', { useBigInt64: true });
  const big = 2n ** 60n + 1n;
  await col.updateOne({ _id: 'a' }, { $inc: { s: big, z: 5n } }, { upsert: true });
  await col.updateOne({ _id: 'a' }, { $inc: { s: 3n, z: -5n } });
  await col.updateOne({ _id: 'a' }, { $inc: { s: -(2n ** 61n) } });
  t.strictSame(await col.findOne({ _id: 'a' }), { _id: 'a', s: big + 3n - 2n ** 61n, z: 0n });

  const raw = r.mongo.db.collection<{ _id: string; z?: unknown }>('int64_sums');
  t.equal(
    await raw.countDocuments({ _id: 'a', s: { $type: 'long' }, z: { $type: 'long' } }),
    1,
    'stored as int64, also where the sum is back to zero',
  );
  const promoted = await raw.findOne({ _id: 'a' }, { promoteLongs: false });
  t.ok(promoted?.z instanceof Long, 'a Long on the wire, whatever its size');
  const plain = await raw.findOne({ _id: 'a' });
  t.equal(plain?.z, 0, 'without useBigInt64 a small int64 reads as a number: hence the option');
});

t.test(
  'a bucket sum that would overflow int64 is refused by Cairn, and nothing is written',
  async (t) => {
    const r = await testResources(t);
    const days = r.store.skillDaysOf('overflow');
    const key = {
      subject: 'mbox::mailto:ada@example.org',
      skill: 'https://skills.example.com/sql',
      day: '2024-03-01',
      source: 'formal',
      kind: 'outcome',
    } as const;
    const totals = (w: bigint) => ({ statements: 1n, events: 1n, w, wy: 0n, wy2: 0n, wout: 0n });
    const max = 2n ** 63n - 1n;
    t.equal(await days.addOnce(key, totals(max - 1n), 'a'), true, 'up to the largest int64');
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => (e as { code?: string }).code,
      );
    t.equal(await refused(days.addOnce(key, totals(2n), 'b')), 'STORE_ERR_OVERFLOW');
    t.strictSame(
      await refused(days.addEachOnce([{ key, totals: totals(2n), opIds: ['c'] }])),
      'STORE_ERR_OVERFLOW',
      'batched too',
    );
    const low = { ...key, day: '2024-03-02' };
    const min = { ...totals(0n), statements: -(2n ** 63n), events: 0n };
    t.equal(await days.addOnce(low, min, 'd'), true, 'down to the smallest int64');
    t.equal(
      await refused(days.addOnce(low, { ...totals(0n), statements: -1n, events: 0n }, 'e')),
      'STORE_ERR_OVERFLOW',
      'and not below it',
    );
    t.strictSame(
      await days.list(),
      [
        { key, totals: totals(max - 1n) },
        { key: low, totals: min },
      ],
      'the sums are unchanged',
    );
  },
);
