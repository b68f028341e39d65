// A filtered GET /statements also returns the StatementRefs whose chain reaches a statement that
// matches (xAPI Communication 2.1.3), so its one pass reads the StatementRefs of the store in
// page order beside the matches. Its cost is bounded by the page (issue 20, item 4): a page reads
// at most FILTERED_READS_PER_RESULT statements per statement it may return (at least a round's
// worth), then ends early with a position to continue from, even with fewer statements than its
// limit. Paging on finds every match, once.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { MongoClient } from 'mongodb';
import {
  COLLECTIONS,
  createMongoStore,
  FILTERED_READS_PER_RESULT,
  type NewStatement,
  type StatementIndexFields,
  type StatementRepository,
} from '@cairn/store';
import { testServers, type Teardown } from '../../helpers/env.js';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const LIKED = 'https://example.com/verbs/liked';
const REFS = 1200;

function statement(id: string, n: number, fields: Partial<StatementIndexFields>): NewStatement {
  return {
    statementId: id,
    json: JSON.stringify({ id }),
    stored: new Date(Date.UTC(2026, 0, 1) + n),
    fields: {
      verbId: LIKED,
      agentKeys: ['mbox::mailto:ann@example.com'],
      relatedAgentKeys: ['mbox::mailto:ann@example.com'],
      objectActivityId: null,
      relatedActivityIds: [],
      registration: null,
      voidsStatementId: null,
      refStatementId: null,
      authorityKey: 'account::https://lrs.example::authority',
      ...fields,
    },
    attachmentHashes: [],
  };
}

/** Statements the store sends back for the pass (find and getMore on statements, not by key). */
async function watched(t: Teardown): Promise<{ repo: StatementRepository; read: () => number }> {
  const client = new MongoClient(testServers().mongoUri, { monitorCommands: true });
  await client.connect();
  const db = client.db(`cairn_test_${randomBytes(5).toString('hex')}`);
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  const passCursors = new Set<string>();
  let read = 0;
  const started = new Map<number, string>();
  client.on('commandStarted', (e) => {
    const c = e.command;
    const isPass =
      (e.commandName === 'find' && c['find'] === COLLECTIONS.statements && '$or' in c['filter']) ||
      (e.commandName === 'getMore' && passCursors.has(String(c['getMore'])));
    if (isPass) started.set(e.requestId, e.commandName);
  });
  client.on('commandSucceeded', (e) => {
    if (!started.has(e.requestId)) return;
    started.delete(e.requestId);
    const cursor = (e.reply as { cursor: { id: unknown; firstBatch?: []; nextBatch?: [] } }).cursor;
    passCursors.add(String(cursor.id));
    read += (cursor.firstBatch ?? cursor.nextBatch ?? []).length;
  });
  const store = createMongoStore(db);
  await store.ensureIndexes();
  const repo = store.statementsOf('s');
  // The oldest statement matches; after it, many StatementRefs to statements never stored.
  await repo.insertMany([
    statement('match', 0, { verbId: COMPLETED }),
    ...Array.from({ length: REFS }, (_, i) =>
      statement(`ref-${i}`, i + 1, { refStatementId: `missing-${i}` }),
    ),
  ]);
  return {
    repo,
    read: () => {
      const r = read;
      read = 0;
      return r;
    },
  };
}

t.test('a sparse filtered page reads a bounded number of StatementRefs', async (t) => {
  const { repo, read } = await watched(t);
  const budget = Math.max(500, 2 * FILTERED_READS_PER_RESULT);
  const first = await repo.query({ verbId: COMPLETED, ascending: false, limit: 1 });
  t.strictSame(first.statements, [], 'no match within the budget');
  t.not(first.next, null, 'a position to continue from');
  t.ok(read() <= budget, `the page read at most ${budget} statements, not the ${REFS} refs`);

  const found: string[] = [];
  let after = first.next;
  let pages = 1;
  while (after !== null) {
    const page = await repo.query({ verbId: COMPLETED, ascending: false, limit: 1, after });
    t.ok(read() <= budget, `page ${++pages} within its budget`);
    found.push(...page.statements.map((s) => s.statementId));
    after = page.next;
  }
  t.strictSame(found, ['match'], 'paging on finds the match, once');
  t.ok(pages <= Math.ceil((REFS + 1) / budget) + 1, 'in as many pages as the budget implies');
});

t.test('a page whose matches are dense is not cut short', async (t) => {
  const { repo } = await watched(t);
  const page = await repo.query({ verbId: LIKED, ascending: true, limit: 3 });
  t.strictSame(
    page.statements.map((s) => s.statementId),
    ['ref-0', 'ref-1', 'ref-2'],
  );
  t.equal(page.next?.endsWith('|ref-2'), true);
});
