// The activities and people repositories, and `latestAbout`, against the real server.
import t from 'tap';
import { COLLECTIONS, MAX_DEFINITIONS_PER_ACTIVITY, type NewStatement } from '@cairn/store';
import { testResources } from '../../helpers/test-resources.js';

const ACTIVITY = 'https://example.com/courses/safety';
const EXT = 'https://example.com/extensions/level';

t.test('activity definitions: one record per distinct definition, widened', async (t) => {
  const { store, mongo } = await testResources(t);
  const repo = store.activitiesOf('s1');
  const a = { name: { en: 'Safety' }, extensions: { [EXT]: 1 } };
  // Key order does not make another definition.
  const sameAsA = { extensions: { [EXT]: 1 }, name: { en: 'Safety' } };
  await repo.record([
    { activityId: ACTIVITY, definition: a, first: 's3', last: 's3' },
    { activityId: ACTIVITY, definition: sameAsA, first: 's2', last: 's5' },
  ]);
  await repo.record([
    { activityId: ACTIVITY, definition: a, first: 's4', last: 's4' },
    { activityId: ACTIVITY, definition: { name: { en: 'Other' } }, first: 's1', last: 's1' },
    { activityId: 'https://example.com/other', definition: a, first: 's9', last: 's9' },
  ]);
  t.same(await repo.definitionsOf(ACTIVITY), [
    { activityId: ACTIVITY, definition: a, first: 's2', last: 's5' },
    { activityId: ACTIVITY, definition: { name: { en: 'Other' } }, first: 's1', last: 's1' },
  ]);
  t.same(await store.activitiesOf('s2').definitionsOf(ACTIVITY), [], 'scoped by store');
  t.same(
    await repo.definitionsOfMany([
      ACTIVITY,
      'https://example.com/other',
      'https://example.com/none',
    ]),
    [
      { activityId: 'https://example.com/other', definition: a, first: 's9', last: 's9' },
      { activityId: ACTIVITY, definition: a, first: 's2', last: 's5' },
      { activityId: ACTIVITY, definition: { name: { en: 'Other' } }, first: 's1', last: 's1' },
    ],
    'many activities in one read, each latest first',
  );
  t.same(await repo.definitionsOfMany([]), []);
  t.same(await store.activitiesOf('s2').definitionsOfMany([ACTIVITY]), [], 'scoped by store');
  const stored = await mongo.db.collection(COLLECTIONS.activities).findOne({ first: 's2' });
  t.equal(typeof stored?.['definition'], 'string', 'stored as JSON: extension keys have dots');
  t.equal(MAX_DEFINITIONS_PER_ACTIVITY, 200);
});

t.test('concurrent records of one new definition make one document', async (t) => {
  const { store, mongo } = await testResources(t);
  const record = {
    activityId: ACTIVITY,
    definition: { type: 'https://t/a' },
    first: 's',
    last: 's',
  };
  // Concurrent upserts of one new _id clash with 11000 now and then; the clash is retried.
  await Promise.all(Array.from({ length: 40 }, () => store.activitiesOf('s1').record([record])));
  t.equal(await mongo.db.collection(COLLECTIONS.activities).countDocuments(), 1);
  t.same(await store.activitiesOf('s1').definitionsOf(ACTIVITY), [record]);
});

t.test('people: an mbox and its hash are one person, names added, found by any key', async (t) => {
  const { store } = await testResources(t);
  const repo = store.peopleOf('s1');
  const ann = {
    key: 'mbox::mailto:ann@example.com',
    lookupKeys: ['mbox::mailto:ann@example.com', 'sha1::abc'],
    ifi: { mbox: 'mailto:ann@example.com' },
  };
  const hashOnly = { key: 'sha1::abc', lookupKeys: ['sha1::abc'], ifi: { mbox_sha1sum: 'abc' } };
  await repo.record([
    { ...ann, names: [] },
    { ...ann, names: ['Ann'] },
    { ...hashOnly, names: [] },
  ]);
  await repo.record([{ ...ann, names: ['Ann B.', 'Ann'] }]);
  const byKey = (people: Awaited<ReturnType<typeof repo.findByIdentifiers>>) =>
    people
      .map(({ personId: _id, ...rest }) => rest)
      .sort((x, y) => x.names.length - y.names.length);
  // The hash-only source joins the person of the mbox (docs/identity.md).
  const joined = {
    identifiers: ann.lookupKeys,
    ifis: [ann.ifi, hashOnly.ifi],
    names: ['Ann', 'Ann B.'],
  };
  t.same(byKey(await repo.findByIdentifiers(['sha1::abc'])), [joined]);
  t.same(byKey(await repo.findByIdentifiers(['mbox::mailto:ann@example.com'])), [joined]);
  t.same(await repo.findByIdentifiers([]), []);
  t.same(await store.peopleOf('s2').findByIdentifiers(['sha1::abc']), [], 'scoped by store');
});

t.test('latestAbout: the latest statements about an activity or agents', async (t) => {
  const { store } = await testResources(t);
  const statement = (id: string, ms: number, activity: string, agent: string): NewStatement => ({
    statementId: id,
    json: JSON.stringify({ id }),
    stored: new Date(Date.UTC(2026, 0, 1) + ms),
    fields: {
      verbId: 'http://adlnet.gov/expapi/verbs/completed',
      agentKeys: [agent],
      relatedAgentKeys: [agent],
      objectActivityId: null,
      relatedActivityIds: [activity],
      registration: null,
      voidsStatementId: null,
      refStatementId: null,
      authorityKey: 'account::https://lrs.example::authority',
    },
    attachmentHashes: [],
    ...(ms % 2 === 0 ? { mayDefine: true } : {}),
  });
  const repo = store.statementsOf('s1');
  await repo.insertMany([
    statement('a', 1, ACTIVITY, 'mbox::a'),
    statement('b', 2, ACTIVITY, 'mbox::b'),
    statement('c', 3, 'https://example.com/other', 'mbox::a'),
    statement('d', 4, ACTIVITY, 'sha1::a'),
  ]);
  await store.statementsOf('s2').insertMany([statement('x', 9, ACTIVITY, 'mbox::a')]);
  const ids = (list: { statementId: string }[]) => list.map((s) => s.statementId);
  t.same(ids(await repo.latestAbout({ activityId: ACTIVITY }, 2)), ['d', 'b']);
  t.same(ids(await repo.latestAbout({ agentKeys: ['mbox::a', 'sha1::a'] }, 10)), ['d', 'c', 'a']);
  t.same(await repo.latestAbout({ activityId: ACTIVITY }, 0), []);
  t.same(
    (await repo.latestAbout({ activityId: ACTIVITY }, 10)).map((s) => s.mayDefine),
    [true, true, false],
    'whether each was stored with define',
  );
});
