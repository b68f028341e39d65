/**
 * What the skill-day buckets rely on for their int64 sums (packages/store/src/skill-days.ts),
 * proven with the driver against the test server: a JS bigint is written as int64, `$inc` by
 * int64 is exact beyond 2^53 and below zero, the type stays int64 (also after an upsert and at
 * zero), and `useBigInt64` reads every int64 back as a bigint. Passes on MongoDB and FerretDB 1.24.
 */
import t from 'tap';
import { Long, MongoServerError } from 'mongodb';
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
  'an $inc that overflows int64 is refused, not wrapped or turned into a double',
  async (t) => {
    const r = await testResources(t);
    const col = r.mongo.db.collection<SumDoc>('int64_overflow', { useBigInt64: true });
    await col.insertOne({ _id: 'o', s: 2n ** 62n });
    const error = await col.updateOne({ _id: 'o' }, { $inc: { s: 2n ** 62n } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(error instanceof MongoServerError, 'a server error');
    t.strictSame(
      await col.findOne({ _id: 'o' }),
      { _id: 'o', s: 2n ** 62n },
      'the sum is unchanged',
    );
  },
);
