// GET /statements' `since` and `until` bound the indexed order (issue 20, item 3): every page is
// read in `order` (stored time, then id) from an index that starts with the store, so the time
// bounds must be bounds of `order`, or a "what is new since T" poll that finds fewer than its
// limit walks the rest of the store's index. The commands sent are watched here: no page filters
// on `stored`, and the bounds are on `order`. The local server has no `explain`, so the shape of
// the command is what can be checked; the query catalogue says which index serves it.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { MongoClient, type Document } from 'mongodb';
import {
  COLLECTIONS,
  createMongoStore,
  type NewStatement,
  type StatementQuery,
  type StatementRepository,
} from '@cairn/store';
import { testServers } from '../../helpers/env.js';
import type { Teardown } from '../../helpers/env.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (s: number): Date => new Date(T0 + s * 1000);

function statement(id: string, seconds: number): NewStatement {
  return {
    statementId: id,
    json: JSON.stringify({ id }),
    stored: at(seconds),
    fields: {
      verbId: 'http://adlnet.gov/expapi/verbs/completed',
      agentKeys: ['mbox::mailto:ann@example.com'],
      relatedAgentKeys: ['mbox::mailto:ann@example.com'],
      objectActivityId: 'https://example.com/course/1',
      relatedActivityIds: ['https://example.com/course/1'],
      registration: null,
      voidsStatementId: null,
      refStatementId: null,
      authorityKey: 'account::https://lrs.example::authority',
    },
    attachmentHashes: [],
  };
}

/** A statement repository on a client whose `find` filters on the statements are recorded. */
async function watched(t: Teardown): Promise<{ repo: StatementRepository; finds: Document[] }> {
  const client = new MongoClient(testServers().mongoUri, { monitorCommands: true });
  await client.connect();
  const db = client.db(`cairn_test_${randomBytes(5).toString('hex')}`);
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  const finds: Document[] = [];
  client.on('commandStarted', (e) => {
    const command = e.command;
    if (e.commandName === 'find' && command['find'] === COLLECTIONS.statements)
      finds.push(command['filter'] as Document);
  });
  const store = createMongoStore(db);
  await store.ensureIndexes();
  const repo = store.statementsOf('s');
  // Two statements a second apart, and two stored at the same instant (ties broken by id).
  await repo.insertMany([
    statement('a', 1),
    statement('b', 2),
    statement('c1', 3),
    statement('c2', 3),
    statement('d', 4),
  ]);
  return { repo, finds };
}

const ids = async (repo: StatementRepository, q: Partial<StatementQuery>): Promise<string[]> =>
  (await repo.query({ ascending: true, limit: 10, ...q })).statements.map((s) => s.statementId);

t.test('since and until are bounds of the indexed order, not filters on stored', async (t) => {
  const { repo, finds } = await watched(t);
  finds.length = 0;
  t.strictSame(await ids(repo, { since: at(2), until: at(3) }), ['c1', 'c2']);
  t.strictSame(
    await ids(repo, {
      since: at(2),
      until: at(3),
      verbId: 'http://adlnet.gov/expapi/verbs/completed',
    }),
    ['c1', 'c2'],
    'a filtered page too',
  );
  t.equal(finds.length, 2);
  for (const filter of finds) {
    t.notOk('stored' in filter, 'no filter on stored');
    t.strictSame(filter['order'], {
      $gt: `${at(2).toISOString()}|\uffff`,
      $lt: `${at(3).toISOString()}|\uffff`,
    });
  }
});

t.test('since is exclusive, until inclusive, whatever the direction and the page', async (t) => {
  const { repo } = await watched(t);
  t.strictSame(
    await ids(repo, { since: at(1) }),
    ['b', 'c1', 'c2', 'd'],
    'since excludes its instant',
  );
  t.strictSame(await ids(repo, { until: at(3) }), ['a', 'b', 'c1', 'c2'], 'until includes it');
  t.strictSame(
    await ids(repo, { since: at(3) }),
    ['d'],
    'since past both statements of an instant',
  );
  t.strictSame(await ids(repo, { since: at(1), until: at(3), ascending: false }), [
    'c2',
    'c1',
    'b',
  ]);

  // Paging inside the bounds: the previous page's position is the tighter bound in its direction.
  const first = await repo.query({ since: at(1), until: at(3), ascending: false, limit: 2 });
  t.strictSame(
    first.statements.map((s) => s.statementId),
    ['c2', 'c1'],
  );
  if (first.next === null) throw new Error('expected a next page');
  t.strictSame(
    await ids(repo, { since: at(1), until: at(3), ascending: false, after: first.next }),
    ['b'],
  );
  const up = await repo.query({ since: at(1), ascending: true, limit: 2 });
  if (up.next === null) throw new Error('expected a next page');
  t.strictSame(await ids(repo, { since: at(1), after: up.next }), ['c2', 'd']);
});

t.test('times outside four-digit years: no bound, or nothing', async (t) => {
  const { repo } = await watched(t);
  const all = ['a', 'b', 'c1', 'c2', 'd'];
  // GET /statements passes the largest date as `until` when none is given.
  t.strictSame(await ids(repo, { until: new Date(8.64e15) }), all);
  t.strictSame(await ids(repo, { since: new Date(-8.64e15) }), all);
  t.strictSame(await ids(repo, { since: new Date(8.64e15) }), []);
  t.strictSame(await ids(repo, { until: new Date(-8.64e15) }), []);
  t.strictSame(await ids(repo, { since: at(3), until: at(2) }), [], 'an empty range');
});
