import t from 'tap';
import type { NewStatement, StatementIndexFields } from '@cairn/store';
import { testResources } from '../../helpers/test-resources.js';

const base: StatementIndexFields = {
  verbId: 'http://adlnet.gov/expapi/verbs/completed',
  agentKeys: ['mbox::mailto:ann@example.com'],
  relatedAgentKeys: ['mbox::mailto:ann@example.com', 'account::https://lrs.example::authority'],
  objectActivityId: 'https://example.com/course/1',
  relatedActivityIds: ['https://example.com/course/1', 'https://example.com/programme'],
  registration: null,
  voidsStatementId: null,
  authorityKey: 'account::https://lrs.example::authority',
};

function statement(
  id: string,
  storedMs: number,
  fields: Partial<StatementIndexFields> = {},
): NewStatement {
  return {
    statementId: id,
    json: JSON.stringify({ id }),
    stored: new Date(Date.UTC(2026, 0, 1) + storedMs),
    fields: { ...base, ...fields },
    attachmentHashes: [],
  };
}

t.test('a statement id is stored once per store; a second insert reports it exists', async (t) => {
  const { store } = await testResources(t);
  const repo = store.statementsOf('s1');
  t.same(await repo.insertMany([statement('a', 1), statement('b', 2)]), ['inserted', 'inserted']);
  t.same(await repo.insertMany([statement('b', 3), statement('c', 4)]), ['exists', 'inserted']);
  t.equal((await repo.get('b'))?.json, JSON.stringify({ id: 'b' }));
  t.same(
    (await repo.get('b'))?.stored,
    new Date(Date.UTC(2026, 0, 1) + 2),
    'the first copy is kept',
  );
});

t.test('stores never see each other: same id in two stores, gets and queries scoped', async (t) => {
  const { store } = await testResources(t);
  const one = store.statementsOf('one');
  const two = store.statementsOf('two');
  t.same(await one.insertMany([statement('same-id', 1)]), ['inserted']);
  t.same(
    await two.insertMany([statement('same-id', 2)]),
    ['inserted'],
    'ids are unique per store only',
  );
  await one.insertMany([statement('only-in-one', 3)]);
  t.equal(await two.get('only-in-one'), null);
  const page = await two.query({ ascending: true, limit: 10 });
  t.same(
    page.statements.map((s) => s.statementId),
    ['same-id'],
  );
  t.same(await two.lastStored(), new Date(Date.UTC(2026, 0, 1) + 2));
});

t.test('queries filter on each index field and page in stored order', async (t) => {
  const { store } = await testResources(t);
  const repo = store.statementsOf('s');
  await repo.insertMany([
    statement('1', 1),
    statement('2', 2, { verbId: 'http://adlnet.gov/expapi/verbs/passed' }),
    statement('3', 3, {
      agentKeys: ['mbox::mailto:bob@example.com'],
      relatedAgentKeys: ['mbox::mailto:bob@example.com'],
    }),
    statement('4', 4, {
      objectActivityId: 'https://example.com/course/2',
      relatedActivityIds: ['https://example.com/course/2'],
    }),
    statement('5', 5, { registration: '9a0bd3f4-2d6c-4c35-a4d5-1d2a7d4fb3e1' }),
  ]);
  const ids = async (q: Parameters<typeof repo.query>[0]) =>
    (await repo.query(q)).statements.map((s) => s.statementId);
  t.same(
    await ids({ ascending: false, limit: 10 }),
    ['5', '4', '3', '2', '1'],
    'newest first by default',
  );
  t.same(
    await ids({ ascending: true, limit: 10, verbId: 'http://adlnet.gov/expapi/verbs/passed' }),
    ['2'],
  );
  t.same(await ids({ ascending: true, limit: 10, agentKey: 'mbox::mailto:bob@example.com' }), [
    '3',
  ]);
  t.same(
    await ids({
      ascending: true,
      limit: 10,
      agentKey: 'account::https://lrs.example::authority',
      relatedAgents: true,
    }),
    ['1', '2', '4', '5'],
  );
  t.same(
    await ids({ ascending: true, limit: 10, agentKey: 'account::https://lrs.example::authority' }),
    [],
  );
  t.same(
    await ids({ ascending: true, limit: 10, activityId: 'https://example.com/programme' }),
    [],
  );
  t.same(
    await ids({
      ascending: true,
      limit: 10,
      activityId: 'https://example.com/programme',
      relatedActivities: true,
    }),
    ['1', '2', '3', '5'],
  );
  t.same(
    await ids({ ascending: true, limit: 10, registration: '9a0bd3f4-2d6c-4c35-a4d5-1d2a7d4fb3e1' }),
    ['5'],
  );
  t.same(
    await ids({
      ascending: true,
      limit: 10,
      since: new Date(Date.UTC(2026, 0, 1) + 2),
      until: new Date(Date.UTC(2026, 0, 1) + 4),
    }),
    ['3', '4'],
    'since is exclusive, until inclusive',
  );
});

t.test('pages continue where they stopped, even while new statements arrive', async (t) => {
  const { store } = await testResources(t);
  const repo = store.statementsOf('s');
  await repo.insertMany(['1', '2', '3', '4', '5'].map((id, i) => statement(id, i)));
  const first = await repo.query({ ascending: false, limit: 2 });
  t.same(
    first.statements.map((s) => s.statementId),
    ['5', '4'],
  );
  await repo.insertMany([statement('6', 10)]);
  const second = await repo.query({ ascending: false, limit: 2, after: first.next ?? '' });
  t.same(
    second.statements.map((s) => s.statementId),
    ['3', '2'],
  );
  const third = await repo.query({ ascending: false, limit: 2, after: second.next ?? '' });
  t.same(
    third.statements.map((s) => s.statementId),
    ['1'],
  );
  t.equal(third.next, null, 'the last page says so');
});

t.test(
  'voiding hides a statement from queries but not from get; a voiding statement cannot be voided',
  async (t) => {
    const { store } = await testResources(t);
    const repo = store.statementsOf('s');
    await repo.insertMany([
      statement('target', 1),
      statement('voider', 2, {
        verbId: 'http://adlnet.gov/expapi/verbs/voided',
        voidsStatementId: 'target',
      }),
    ]);
    await repo.markVoided('target');
    await repo.markVoided('voider');
    t.equal((await repo.get('target'))?.voided, true);
    t.equal((await repo.get('voider'))?.voided, false);
    t.same(
      (await repo.query({ ascending: true, limit: 10 })).statements.map((s) => s.statementId),
      ['voider'],
    );
    t.equal(await repo.isVoidedByStored('target'), true);
    t.equal(await repo.isVoidedByStored('voider'), false);
  },
);
