// A batch is all or nothing to readers and to the pipeline, even if the LRS dies half-way through
// writing it (issue 20, item 2; docs/pipeline.md, "All or nothing"), on any server: no
// transactions are used. The death is simulated on the database handle the LRS writes through:
// the statements' insert stores the first half of the batch and then fails, as a process killed
// mid-command would leave it; or the batch's commit or its publication fails. Then: nothing of
// the batch is readable or owed to the pipeline, the sweeper settles it (removes an uncommitted
// batch, publishes a committed one), and the client's retry stores it whole.
//
// And a client that sends no ids retries safely with an `Idempotency-Key`.
import t from 'tap';
import type { Collection, Db } from 'mongodb';
import { sweepOutbox } from '@cairn/aggregator';
import {
  BATCH_LEASE_MS,
  COLLECTIONS,
  createMongoStore,
  IDEMPOTENCY_RETENTION_MS,
  type Store,
} from '@cairn/store';
import { lrsAppOn } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { testResources } from '../../helpers/test-resources.js';

const uuid = (n: number): string => `a11a0000-0000-4000-9000-${String(n).padStart(12, '0')}`;
const learning = (n: number, id = true) => ({
  ...(id ? { id: uuid(n) } : {}),
  actor: { mbox: `mailto:p${n}@example.com` },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { id: `https://example.com/activities/${n}` },
});

type Fault = 'half insert' | 'commit' | 'publish' | 'after insert';

/** A Db whose next write of the armed kind fails, after doing what a killed process would. */
function faultyDb(db: Db): { db: Db; arm: (fault: Fault | null) => void } {
  let armed: Fault | null = null;
  const fire = (fault: Fault): boolean => {
    if (armed !== fault) return false;
    armed = null;
    return true;
  };
  const wrapCollection = (name: string, col: Collection): Collection =>
    new Proxy(col, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        // Writes only: reads return cursors, not promises.
        if (prop !== 'insertMany' && prop !== 'updateOne' && prop !== 'updateMany')
          return method.bind(target);
        return async (...args: unknown[]) => {
          if (name === COLLECTIONS.statements && prop === 'insertMany') {
            const docs = args[0] as unknown[];
            if (docs.length > 1 && fire('half insert')) {
              await method.call(target, docs.slice(0, Math.ceil(docs.length / 2)), args[1]);
              throw new Error('killed in the middle of the insert');
            }
            const result = await method.apply(target, args);
            if (fire('after insert')) throw new Error('killed after the insert');
            return result;
          }
          if (name === COLLECTIONS.statementBatches && prop === 'updateOne' && fire('commit'))
            throw new Error('killed before the commit');
          if (name === COLLECTIONS.statements && prop === 'updateMany') {
            const update = args[1] as { $unset?: unknown };
            if (update.$unset !== undefined && fire('publish'))
              throw new Error('killed after the commit, before publishing');
          }
          return method.apply(target, args);
        };
      },
    });
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'collection')
        return (name: string) => wrapCollection(name, target.collection(name));
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { db: proxy, arm: (fault) => (armed = fault) };
}

async function setup(t: Teardown) {
  const r = await testResources(t);
  const faulty = faultyDb(r.mongo.db);
  const store: Store = createMongoStore(faulty.db);
  const app = await lrsAppOn(t, r, {}, () => store);
  const headers = {
    authorization: await basicAuth(r.store, 'default', ['all']),
    'x-experience-api-version': '2.0.0',
  };
  const post = (payload: object[], extra: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...headers, ...extra },
      payload,
    });
  const readable = async (): Promise<string[]> =>
    (await app.inject({ method: 'GET', url: '/xapi/statements?ascending=true', headers }))
      .json<{ statements: { id: string }[] }>()
      .statements.map((s) => s.id);
  const owed = async (): Promise<string[]> =>
    (await r.store.outbox.owedSince(new Date(Date.now() + 3_600_000), 100)).map(
      (o) => o.statementId,
    );
  const sweep = (afterLease: boolean) =>
    sweepOutbox({
      store: r.store,
      queue: { enqueue: () => Promise.resolve() },
      afterMs: 0,
      now: () => new Date(Date.now() + (afterLease ? BATCH_LEASE_MS + 60_000 : 1000)),
    });
  return { r, arm: faulty.arm, post, readable, owed, sweep };
}

const batch = [1, 2, 3, 4].map((n) => learning(n));
const ids = batch.map((s) => s.id);

t.test(
  'a batch cut short by a crash is invisible, removed, and stored whole on retry',
  async (t) => {
    for (const fault of ['half insert', 'commit'] as const) {
      const { r, arm, post, readable, owed, sweep } = await setup(t);
      arm(fault);
      t.not((await post(batch)).statusCode, 200, `${fault}: the dying write gets no 200`);
      t.strictSame(await readable(), [], `${fault}: no statement of the batch is readable`);
      const single = await post([]); // a request that reads nothing but proves the app is alive
      t.equal(single.statusCode, 200);
      t.strictSame(await owed(), [], `${fault}: none is owed to the pipeline`);

      await sweep(true);
      const left = await r.mongo.db
        .collection(COLLECTIONS.statements)
        .countDocuments({ statementId: { $in: ids } });
      t.equal(left, 0, `${fault}: the sweeper removed the uncommitted batch after its lease`);

      const retry = await post(batch);
      t.equal(retry.statusCode, 200, `${fault}: the retry is stored`);
      t.strictSame(await readable(), ids, `${fault}: whole`);
      t.strictSame((await owed()).sort(), [...ids].sort(), `${fault}: and owed once each`);
    }
  },
);

t.test('a whole batch whose writer died before the commit is committed by the retry', async (t) => {
  const { arm, post, readable, owed } = await setup(t);
  arm('commit');
  t.not((await post(batch)).statusCode, 200);
  t.strictSame(await readable(), [], 'not readable: never committed');
  t.equal((await post(batch)).statusCode, 200, 'the retry commits the whole staged batch');
  t.strictSame(await readable(), ids);
  t.strictSame((await owed()).sort(), [...ids].sort());
});

t.test('a batch committed but not yet published is published by the sweeper', async (t) => {
  const { arm, post, readable, owed, sweep } = await setup(t);
  arm('publish');
  t.not((await post(batch)).statusCode, 200);
  t.strictSame(await readable(), [], 'not readable before it is published');
  await sweep(false);
  t.strictSame(await readable(), ids, 'published whole by the next sweep');
  t.strictSame((await owed()).sort(), [...ids].sort());
  t.equal((await post(batch)).statusCode, 200, "and the client's retry finds it stored");
  t.strictSame(await readable(), ids, 'once');
});

t.test(
  'a retry while an earlier delivery is half-written gets 503 until its lease ends',
  async (t) => {
    const { arm, post, readable, sweep } = await setup(t);
    arm('half insert');
    t.not((await post(batch)).statusCode, 200);
    const early = await post(batch);
    t.equal(early.statusCode, 503, 'within its lease the writer may be alive: retry later');
    t.equal(early.headers['retry-after'], '5');
    t.match(early.json(), { code: 'CAIRN_ERR_UNAVAILABLE' });
    await sweep(true);
    t.equal((await post(batch)).statusCode, 200);
    t.strictSame(await readable(), ids);
  },
);

t.test(
  'Idempotency-Key: a retry without ids answers the first ids and stores nothing again',
  async (t) => {
    const { arm, post, readable } = await setup(t);
    const anonymous = [5, 6, 7].map((n) => learning(n, false));
    const key = { 'idempotency-key': 'upload-2026-12-07-0001' };

    // The LRS stores the batch and dies before answering; the client retries with the same key.
    arm('after insert');
    t.not((await post(anonymous, key)).statusCode, 200);
    const retry = await post(anonymous, key);
    t.equal(retry.statusCode, 200);
    const first = retry.json<string[]>();
    t.equal(first.length, 3);
    // Read in stored order, then id: the ids are random, so compare as sets.
    t.strictSame(
      (await readable()).sort(),
      [...first].sort(),
      'stored once, under the ids given the first time',
    );

    const again = await post(anonymous, key);
    t.strictSame(again.json(), first, 'the same key and body: the same ids');
    t.strictSame((await readable()).sort(), [...first].sort(), 'nothing stored again');

    const other = await post([learning(8, false)], key);
    t.equal(other.statusCode, 422);
    t.strictSame(other.json(), {
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'CAIRN_ERR_IDEMPOTENCY_KEY_REUSED',
      message:
        'Idempotency-Key upload-2026-12-07-0001 was first sent with a different body; a new request needs a new key',
    });

    const bad = await post(anonymous, { 'idempotency-key': 'with space' });
    t.equal(bad.statusCode, 400);
    t.match(bad.json(), { code: 'CAIRN_ERR_IDEMPOTENCY_KEY' });

    // Without a key, a statement without an id is a new statement at every delivery.
    const a = (await post([learning(9, false)])).json<string[]>();
    const b = (await post([learning(9, false)])).json<string[]>();
    t.not(a[0], b[0], 'without the header, each delivery gets new ids');
  },
);

t.test('an Idempotency-Key is forgotten after its retention window', async (t) => {
  const { r } = await setup(t);
  const keys = r.store.idempotencyOf('default');
  const then = new Date();
  t.strictSame(await keys.claim('k', 'body-1', ['a'], then), {
    statementIds: ['a'],
    sameBody: true,
  });
  t.strictSame(await keys.claim('k', 'body-2', ['b'], then), {
    statementIds: ['a'],
    sameBody: false,
  });
  const later = new Date(then.getTime() + IDEMPOTENCY_RETENTION_MS + 1000);
  await sweepOutbox({
    store: r.store,
    queue: { enqueue: () => Promise.resolve() },
    afterMs: 0,
    now: () => later,
  });
  t.equal(
    await r.mongo.db.collection(COLLECTIONS.idempotencyKeys).countDocuments(),
    0,
    'the sweeper purged it',
  );
  t.strictSame(await keys.claim('k', 'body-2', ['b'], later), {
    statementIds: ['b'],
    sameBody: true,
  });
});
