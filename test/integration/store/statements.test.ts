import t from 'tap';
import { COLLECTIONS, type NewStatement, type StatementIndexFields } from '@cairn/store';
import { testResources } from '../../helpers/test-resources.js';

const base: StatementIndexFields = {
  verbId: 'http://adlnet.gov/expapi/verbs/completed',
  agentKeys: ['mbox::mailto:ann@example.com'],
  relatedAgentKeys: ['mbox::mailto:ann@example.com', 'account::https://lrs.example::authority'],
  objectActivityId: 'https://example.com/course/1',
  relatedActivityIds: ['https://example.com/course/1', 'https://example.com/programme'],
  registration: null,
  voidsStatementId: null,
  refStatementId: null,
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
    t.same(await repo.voidedAmong(['target']), [], 'no void is recorded by the insert alone');
    await repo.recordVoids([{ targetStatementId: 'target', voidingStatementId: 'voider' }]);
    await repo.recordVoids([{ targetStatementId: 'target', voidingStatementId: 'voider' }]);
    await repo.markVoided(['target', 'voider', 'never-stored']);
    t.equal((await repo.get('target'))?.voided, true);
    t.equal((await repo.get('voider'))?.voided, false);
    t.same(
      (await repo.query({ ascending: true, limit: 10 })).statements.map((s) => s.statementId),
      ['voider'],
    );
    t.same(await repo.voidedAmong(['target', 'voider', 'unknown']), ['target']);
    t.same(await store.statementsOf('other').voidedAmong(['target']), [], 'scoped by store');
  },
);

/** A statement whose object is a StatementRef to `target`, by someone no filter below asks for. */
function refTo(id: string, storedMs: number, target: string, authorityKey?: string): NewStatement {
  return statement(id, storedMs, {
    verbId: 'https://example.com/verbs/confirmed',
    agentKeys: ['mbox::mailto:andrew@example.com'],
    relatedAgentKeys: ['mbox::mailto:andrew@example.com'],
    objectActivityId: null,
    relatedActivityIds: [],
    refStatementId: target,
    ...(authorityKey !== undefined ? { authorityKey } : {}),
  });
}

const BEN = 'mbox::mailto:ben@example.com';
const ben = { agentKeys: [BEN], relatedAgentKeys: [BEN] };

t.test(
  'StatementRefs: the ref pass reads past its first batches and stops once the page is full',
  async (t) => {
    const { store } = await testResources(t);
    const repo = store.statementsOf('s');
    // 1200 StatementRefs after the only direct match; every 300th targets it.
    await repo.insertMany([statement('match', 0, ben), statement('other', 1)]);
    const refs = Array.from({ length: 1200 }, (_, i) =>
      refTo(`r${String(i).padStart(4, '0')}`, 10 + i, i % 300 === 0 ? 'match' : 'other'),
    );
    t.same(new Set(await repo.insertMany(refs)), new Set(['inserted']));
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await repo.query({
        agentKey: BEN,
        ascending: false,
        limit: 2,
        ...(after !== undefined ? { after } : {}),
      });
      seen.push(...page.statements.map((s) => s.statementId));
      if (page.next === null) break;
      after = page.next;
    }
    t.same(seen, ['r0900', 'r0600', 'r0300', 'r0000', 'match']);
  },
);

t.test('StatementRefs: cycles and missing targets end a chain without a match', async (t) => {
  const { store } = await testResources(t);
  const repo = store.statementsOf('s');
  await repo.insertMany([
    refTo('a', 1, 'b'),
    refTo('b', 2, 'a'),
    refTo('c', 3, 'a'),
    refTo('d', 4, 'never-stored'),
    statement('e', 5, ben),
    refTo('f', 6, 'e'),
  ]);
  t.same(
    (await repo.query({ agentKey: BEN, ascending: true, limit: 10 })).statements.map(
      (s) => s.statementId,
    ),
    ['e', 'f'],
  );
});

t.test(
  'StatementRefs: with an authority filter, only statements of that authority make others match',
  async (t) => {
    const { store } = await testResources(t);
    const repo = store.statementsOf('s');
    const mine = 'account::https://lrs.example::mine';
    await repo.insertMany([
      statement('theirs', 1, ben),
      refTo('mine-to-theirs', 2, 'theirs', mine),
      statement('mine-ben', 3, { ...ben, authorityKey: mine }),
      refTo('mine-to-mine', 4, 'mine-ben', mine),
    ]);
    const ids = async (authorityKey?: string) =>
      (
        await repo.query({
          agentKey: BEN,
          ascending: true,
          limit: 10,
          ...(authorityKey !== undefined ? { authorityKey } : {}),
        })
      ).statements.map((s) => s.statementId);
    t.same(await ids(mine), ['mine-ben', 'mine-to-mine']);
    t.same(await ids(), ['theirs', 'mine-to-theirs', 'mine-ben', 'mine-to-mine']);
  },
);

t.test(
  'StatementRefs: statements stored without the reference fields are queried without error',
  async (t) => {
    const { store, mongo } = await testResources(t);
    const repo = store.statementsOf('s');
    await repo.insertMany([
      statement('old-ben', 1, ben),
      refTo('old-ref', 2, 'old-ben'),
      statement('old-other', 3),
    ]);
    // As stored before StatementRef filtering existed.
    await mongo.db
      .collection(COLLECTIONS.statements)
      .updateMany({}, { $unset: { refStatementId: '', isStatementRef: '' } });
    await repo.insertMany([
      refTo('new-to-old-ben', 4, 'old-ben'),
      refTo('new-to-old-ref', 5, 'old-ref'),
    ]);
    t.same(
      (await repo.query({ agentKey: BEN, ascending: true, limit: 10 })).statements.map(
        (s) => s.statementId,
      ),
      ['old-ben', 'new-to-old-ben'],
      'an old StatementRef neither matches nor passes a match on',
    );
  },
);
