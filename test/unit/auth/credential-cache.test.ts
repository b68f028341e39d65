import t from 'tap';
import { createCredentialCache, type VerifyCredential } from '@cairn/auth';
import type { CredentialRecord } from '@cairn/store';

const SECRET = 'right-secret';

function record(key: string): CredentialRecord {
  return {
    key,
    storeId: 'store-a',
    secretHash: 'scrypt$hash-of-right-secret',
    scopes: ['statements/write'],
    label: `credential ${key}`,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    revokedAt: null,
  };
}

/** A verify that accepts SECRET for any key and counts its calls. */
function countingVerify(): { verify: VerifyCredential; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    verify: async (key, secret) => {
      calls.push(`${key}:${secret}`);
      return secret === SECRET ? record(key) : null;
    },
  };
}

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => void (time += ms) };
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

t.test('a verified key and secret are answered from memory until the TTL is over', async (t) => {
  const { verify, calls } = countingVerify();
  const c = clock();
  const cache = createCredentialCache({ verify, ttlMs: 5_000, now: c.now });
  t.same(await cache.resolve('k1', SECRET), record('k1'));
  c.advance(4_999);
  t.same(await cache.resolve('k1', SECRET), record('k1'));
  t.same(calls, ['k1:right-secret'], 'one verification within the TTL');
  c.advance(1);
  t.same(await cache.resolve('k1', SECRET), record('k1'));
  t.same(calls, ['k1:right-secret', 'k1:right-secret'], 'verified again once expired');
});

t.test('the default TTL is 5 s', async (t) => {
  const { verify, calls } = countingVerify();
  const c = clock();
  const cache = createCredentialCache({ verify, now: c.now });
  await cache.resolve('k1', SECRET);
  c.advance(4_999);
  await cache.resolve('k1', SECRET);
  t.equal(calls.length, 1);
  c.advance(1);
  await cache.resolve('k1', SECRET);
  t.equal(calls.length, 2);
});

t.test(
  'a wrong secret is always verified, is never cached, and leaves the good entry',
  async (t) => {
    const { verify, calls } = countingVerify();
    const cache = createCredentialCache({ verify, now: clock().now });
    await cache.resolve('k1', SECRET);
    t.equal(await cache.resolve('k1', 'wrong'), null);
    t.equal(await cache.resolve('k1', 'wrong'), null);
    t.same(await cache.resolve('k1', SECRET), record('k1'));
    t.same(calls, ['k1:right-secret', 'k1:wrong', 'k1:wrong']);
  },
);

t.test('a cached secret does not open the same key with another secret', async (t) => {
  const { verify } = countingVerify();
  const cache = createCredentialCache({ verify, now: clock().now });
  await cache.resolve('k1', SECRET);
  t.equal(await cache.resolve('k1', `${SECRET} `), null);
  t.equal(await cache.resolve('k2', SECRET.slice(0, -1)), null);
});

t.test('concurrent first requests for one key and secret share one verification', async (t) => {
  const pending = deferred<CredentialRecord | null>();
  let calls = 0;
  const cache = createCredentialCache({
    verify: () => {
      calls += 1;
      return pending.promise;
    },
    now: clock().now,
  });
  const answers = Promise.all([
    cache.resolve('k1', SECRET),
    cache.resolve('k1', SECRET),
    cache.resolve('k1', SECRET),
  ]);
  pending.resolve(record('k1'));
  t.same(await answers, [record('k1'), record('k1'), record('k1')]);
  t.equal(calls, 1);
  await cache.resolve('k1', SECRET);
  t.equal(calls, 1, 'and the result is cached');
});

t.test('concurrent requests with different secrets are verified separately', async (t) => {
  const { verify, calls } = countingVerify();
  const cache = createCredentialCache({ verify, now: clock().now });
  const [good, bad] = await Promise.all([
    cache.resolve('k1', SECRET),
    cache.resolve('k1', 'guess'),
  ]);
  t.same(good, record('k1'));
  t.equal(bad, null, 'a guess does not ride on the right secret’s verification');
  t.same(calls.sort(), ['k1:guess', 'k1:right-secret']);
});

t.test('a failed verification is shared by its waiters and then forgotten', async (t) => {
  const pending = deferred<CredentialRecord | null>();
  let calls = 0;
  const cache = createCredentialCache({
    verify: () => {
      calls += 1;
      return calls === 1 ? pending.promise : Promise.resolve(record('k1'));
    },
    now: clock().now,
  });
  const first = cache.resolve('k1', SECRET);
  const second = cache.resolve('k1', SECRET);
  pending.reject(new Error('store unreachable'));
  await t.rejects(first, { message: 'store unreachable' });
  await t.rejects(second, { message: 'store unreachable' });
  t.same(await cache.resolve('k1', SECRET), record('k1'), 'the next request tries again');
  t.equal(calls, 2);
});

t.test('a verify that throws synchronously does not leave its slot taken', async (t) => {
  let calls = 0;
  const cache = createCredentialCache({
    verify: (key) => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return Promise.resolve(record(key));
    },
    now: clock().now,
  });
  await t.rejects(cache.resolve('k1', SECRET), { message: 'boom' });
  t.same(await cache.resolve('k1', SECRET), record('k1'));
  t.equal(calls, 2);
});

t.test('the number of entries is bounded, the oldest evicted first', async (t) => {
  const { verify, calls } = countingVerify();
  const cache = createCredentialCache({ verify, maxEntries: 2, now: clock().now });
  await cache.resolve('a', SECRET);
  await cache.resolve('b', SECRET);
  await cache.resolve('c', SECRET);
  t.equal(cache.size, 2);
  await cache.resolve('c', SECRET);
  await cache.resolve('b', SECRET);
  t.same(calls, ['a:right-secret', 'b:right-secret', 'c:right-secret'], 'b and c still cached');
  await cache.resolve('a', SECRET);
  t.equal(calls.length, 4, 'a was evicted');
  t.equal(cache.size, 2);
});

t.test('forget drops a key at once', async (t) => {
  const { verify, calls } = countingVerify();
  const cache = createCredentialCache({ verify, now: clock().now });
  await cache.resolve('k1', SECRET);
  cache.forget('k1');
  t.equal(cache.size, 0);
  await cache.resolve('k1', SECRET);
  t.equal(calls.length, 2);
});

t.test('a TTL of 0 caches nothing', async (t) => {
  const { verify, calls } = countingVerify();
  const cache = createCredentialCache({ verify, ttlMs: 0, now: clock().now });
  await cache.resolve('k1', SECRET);
  await cache.resolve('k1', SECRET);
  t.equal(calls.length, 2);
  t.equal(cache.size, 0);
});

t.test('nonsensical limits are refused', async (t) => {
  const { verify } = countingVerify();
  t.throws(() => createCredentialCache({ verify, ttlMs: -1 }), {
    name: 'RangeError',
    message: 'ttlMs must be a finite number >= 0, got -1',
  });
  t.throws(() => createCredentialCache({ verify, ttlMs: Number.NaN }), RangeError);
  t.throws(() => createCredentialCache({ verify, maxEntries: 0 }), {
    name: 'RangeError',
    message: 'maxEntries must be an integer >= 1, got 0',
  });
  t.throws(() => createCredentialCache({ verify, maxEntries: 1.5 }), RangeError);
});

t.test('after the TTL, a known secret is checked by reading the credential again', async (t) => {
  // scrypt costs ~150 ms of CPU; reading the stored credential costs one lookup. While the
  // stored secret hash is the one the secret was verified against, the secret still matches.
  const { verify, calls } = countingVerify();
  const reads: string[] = [];
  let stored: CredentialRecord | null = record('k1');
  const c = clock();
  const cache = createCredentialCache({
    verify,
    refresh: async (key) => {
      reads.push(key);
      return stored;
    },
    ttlMs: 5_000,
    now: c.now,
  });
  t.same(await cache.resolve('k1', SECRET), record('k1'));
  c.advance(5_000);
  t.same(await cache.resolve('k1', SECRET), record('k1'));
  t.same([calls.length, reads], [1, ['k1']], 'read again, not verified again');
  t.same(await cache.resolve('k1', SECRET), record('k1'), 'and fresh again for a TTL');
  t.same(reads, ['k1']);

  // A revocation arrives with the fresh record.
  const revokedAt = new Date('2026-02-01T00:00:00Z');
  stored = { ...record('k1'), revokedAt };
  c.advance(5_000);
  t.same((await cache.resolve('k1', SECRET))?.revokedAt, revokedAt);
  t.equal(calls.length, 1);

  // Another secret is never let in by the cached one, stale or not.
  c.advance(5_000);
  t.equal(await cache.resolve('k1', 'wrong-secret'), null);
  t.same(calls.slice(1), ['k1:wrong-secret']);
});

t.test('a changed secret hash or a vanished key costs a full verification', async (t) => {
  const { verify, calls } = countingVerify();
  let stored: CredentialRecord | null = { ...record('k1'), secretHash: 'scrypt$another-hash' };
  const c = clock();
  const cache = createCredentialCache({
    verify,
    refresh: async () => stored,
    ttlMs: 1,
    now: c.now,
  });
  await cache.resolve('k1', SECRET);
  c.advance(1);
  t.same(await cache.resolve('k1', SECRET), record('k1'), 'the verifier decides');
  t.equal(calls.length, 2);
  stored = null;
  c.advance(1);
  await cache.resolve('k1', SECRET);
  t.equal(calls.length, 3, 'no stored credential: back to the verifier');
});
