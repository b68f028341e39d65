// The query catalogue is complete (issue 17, item 5): a workload through the LRS, the aggregator
// and the store's public API runs on a client with command monitoring, and every query the store
// sends (find, aggregate, count, distinct, update, delete, findAndModify) must match an entry of
// QUERY_CATALOGUE. Observed ⊆ catalogue: entries for code not exercised here are fine. Where the
// server has `explain` (a real MongoDB), each entry is also explained with sample values.
// DUMP_SHAPES=1 prints every shape seen, to write or correct entries.
import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { MongoClient, MongoServerError, type Db, type Document } from 'mongodb';
import { rebuildFromStatements, verifyRollups, verifySkillDays } from '@cairn/aggregator';
import { SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import {
  COLLECTIONS,
  createMongoStore,
  DEFAULT_SKILL_SETTINGS,
  identifierGroup,
  importDirectory,
  indexSpecsOf,
  judgeIndex,
  QUERY_CATALOGUE,
  shapeVariants,
  type QueryShape,
  type QueryVariant,
  type Store,
} from '@cairn/store';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import {
  describeShape,
  matchesShape,
  sampleFilter,
  shapesOfCommand,
  winningStages,
  type ObservedShape,
} from '../../helpers/command-shapes.js';
import { basicAuth } from '../../helpers/credentials.js';
import { testServers } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';

const STORE = 'default';
const VERSION = { 'x-experience-api-version': '2.0.0' };
const uuid = (n: number): string => `c0a10000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ANN = { mbox: 'mailto:ann@example.com' };
const BOB = { account: { homePage: 'https://lms.example.com', name: 'bob' } };
const COURSE = 'https://example.com/courses/safety';
const PROGRAMME = 'https://example.com/programmes/induction';
const REGISTRATION = 'a1b2c3d4-0000-4000-8000-000000000001';
const SKILL = 'https://skills.example.com/safety';
const VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  passed: 'http://adlnet.gov/expapi/verbs/passed',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
  juggled: 'https://example.com/verbs/juggled',
};

function learning(n: number, actor: object, verb: string): object {
  return {
    id: uuid(n),
    actor,
    verb: { id: verb },
    object: {
      id: COURSE,
      definition: {
        name: { en: 'Safety' },
        extensions: { [SKILL_ALIGNMENT_EXTENSION]: [SKILL] },
      },
    },
    result: { success: true, score: { scaled: 0.8 } },
    context: {
      registration: REGISTRATION,
      instructor: BOB,
      contextActivities: { parent: [{ id: PROGRAMME }] },
    },
    timestamp: new Date(Date.UTC(2024, 2, n)).toISOString(),
  };
}

const reference = (n: number, target: number, verb = VERBS.completed): object => ({
  id: uuid(n),
  actor: ANN,
  verb: { id: verb },
  object: { objectType: 'StatementRef', id: uuid(target) },
});

/** A store on a client of our own, whose commands are recorded. */
async function monitoredStore(
  t: Test,
): Promise<{ store: Store; db: Db; commands: { name: string; command: Document }[] }> {
  const client = new MongoClient(testServers().mongoUri, {
    monitorCommands: true,
    serverSelectionTimeoutMS: 5000,
    appName: 'cairn-test-query-shapes',
  });
  await client.connect();
  const db = client.db(`cairn_test_${randomBytes(5).toString('hex')}`);
  // Registered first, so run last (teardowns run in reverse): after the app and the aggregator.
  t.teardown(async () => {
    await db.dropDatabase();
    await client.close();
  });
  const commands: { name: string; command: Document }[] = [];
  client.on('commandStarted', (e) => {
    if (e.databaseName === db.databaseName) {
      commands.push({ name: e.commandName, command: e.command });
    }
  });
  const store = createMongoStore(db);
  await store.ensureIndexes();
  return { store, db, commands };
}

/** The LRS requests of the workload: statements with voids and refs, every filter, documents. */
async function throughTheLrs(t: Test, lrs: TestApp, store: Store): Promise<void> {
  const auth = await basicAuth(store, STORE, ['all']);
  const mine = await basicAuth(store, STORE, ['statements/write', 'statements/read/mine']);
  const request = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object | string,
    authorization = auth,
  ) => {
    const res = await lrs.app.inject({
      method,
      url,
      headers: { ...VERSION, authorization, 'content-type': 'application/json' },
      ...(payload === undefined
        ? {}
        : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res;
  };

  // Statements: a batch; a StatementRef; a void after its target; a void before its target.
  await request('POST', '/xapi/statements', [
    learning(1, ANN, VERBS.completed),
    learning(2, BOB, VERBS.passed),
    learning(3, ANN, VERBS.juggled),
    reference(4, 1),
  ]);
  await request('POST', '/xapi/statements', reference(5, 2, VERBS.voided));
  await request('POST', '/xapi/statements', reference(6, 7, VERBS.voided));
  await request('PUT', `/xapi/statements?statementId=${uuid(7)}`, learning(7, ANN, VERBS.passed));
  await request('POST', '/xapi/statements', learning(1, ANN, VERBS.completed)); // again: exists
  await request('POST', '/xapi/statements', learning(8, ANN, VERBS.completed), mine);

  // Every filter of GET /statements, paging, and the canonical format.
  const agent = encodeURIComponent(JSON.stringify(ANN));
  const queries = [
    `statementId=${uuid(1)}`,
    `voidedStatementId=${uuid(2)}`,
    '',
    `agent=${agent}`,
    `agent=${agent}&related_agents=true`,
    `verb=${encodeURIComponent(VERBS.completed)}`,
    `activity=${encodeURIComponent(COURSE)}`,
    `activity=${encodeURIComponent(PROGRAMME)}&related_activities=true`,
    `registration=${REGISTRATION}`,
    `verb=${encodeURIComponent(VERBS.completed)}&agent=${agent}&ascending=true`,
    'since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z',
    'format=canonical',
    'attachments=true',
  ];
  for (const q of queries) await request('GET', `/xapi/statements?${q}`);
  let more = (await request('GET', '/xapi/statements?limit=1&ascending=true')).json<{
    more: string;
  }>().more;
  for (let page = 0; more !== '' && page < 3; page++) {
    more = (await request('GET', more)).json<{ more: string }>().more;
  }
  await request('GET', `/xapi/statements?verb=${encodeURIComponent(VERBS.completed)}&limit=1`);
  await request('GET', '/xapi/statements', undefined, mine);
  await request('GET', `/xapi/statements?agent=${agent}`, undefined, mine);
  await request('GET', `/xapi/activities?activityId=${encodeURIComponent(COURSE)}`);
  await request('GET', `/xapi/agents?agent=${agent}`);

  // Documents: state (one, a set, with and without a registration), both profiles.
  const state = (extra: string) =>
    `/xapi/activities/state?activityId=${encodeURIComponent(COURSE)}&agent=${agent}${extra}`;
  await request('PUT', state('&stateId=s1'), { a: 1 });
  await request('POST', state('&stateId=s1'), { b: 2 });
  await request('PUT', state(`&stateId=s2&registration=${REGISTRATION}`), { c: 3 });
  await request('GET', state('&stateId=s1'));
  await request('GET', state(''));
  await request('GET', state('&since=2000-01-01T00:00:00Z'));
  await request('GET', state(`&registration=${REGISTRATION}`));
  await request('DELETE', state('&stateId=s1'));
  await request('DELETE', state(`&registration=${REGISTRATION}`));
  await request('DELETE', state(''));
  const activityProfile = `/xapi/activities/profile?activityId=${encodeURIComponent(COURSE)}`;
  await request('PUT', `${activityProfile}&profileId=p1`, { d: 4 });
  await request('GET', `${activityProfile}&profileId=p1`);
  await request('GET', activityProfile);
  const agentProfile = `/xapi/agents/profile?agent=${agent}`;
  await request('PUT', `${agentProfile}&profileId=p1`, { e: 5 });
  await request('GET', agentProfile);
  t.pass('the LRS workload ran');
}

/** What services and workers ask of the store besides the xAPI requests, called directly. */
async function throughTheStore(t: Test, store: Store): Promise<void> {
  const actor = { credential: 'key-1', label: 'test' };
  const now = new Date();

  const created = await store.tenants.create('second', now);
  await store.tenants.list();
  await store.tenants.update(created.id, { name: 'renamed', corsOrigins: null });
  await store.tenants.update(created.id, {});
  await store.credentials.listByStore(STORE);
  const [credential] = await store.credentials.listByStore(STORE);
  if (credential !== undefined) await store.credentials.revoke(STORE, credential.key, now);
  await store.statisticsOf(STORE);

  // The outbox: the sweeper, the metrics, the failed-job view.
  const owed = await store.outbox.owedSince(new Date(now.getTime() + 3_600_000), 10);
  const ids = owed.map((o) => o.statementId);
  await store.outbox.restamp(STORE, ids, now);
  await store.outbox.giveUp(STORE, ids, now);
  await store.outbox.reset(STORE, [...ids, uuid(1)], now); // a done one stays done
  await store.outbox.summary();

  await store.attachmentsOf(STORE).put('ab'.repeat(32), 'text/plain', Buffer.from('x'));
  await store.attachmentsOf(STORE).getMany(['ab'.repeat(32)]);

  // People: identity, merges, splits, audit, directory, person-level buckets.
  const people = store.peopleOf(STORE);
  const ann = identifierGroup('mbox::mailto:ann@example.com');
  const bob = 'account::https://lms.example.com::bob';
  const resolved = await people.resolve([...ann, bob]);
  const annId = resolved.get('mbox::mailto:ann@example.com');
  const bobId = resolved.get(bob);
  if (annId === undefined || bobId === undefined) throw new Error('the pipeline made no people');
  await people.list({ limit: 1 });
  await people.list({ after: annId, limit: 10 });
  await people.findByIdentifiers(ann);
  await people.personSkillDays(annId);
  await people.personSkillDays(annId, { from: '2024-01-01', to: '2024-12-31', skill: SKILL });
  const merged = await people.merge([annId, bobId], actor);
  await people.split(merged.plan.to, [bob], actor);
  await people.audit(annId);
  // A change while another holds the store's identity lock: refused after reading the lock.
  await people.exclusive(() => people.merge([annId, bobId], actor).catch(() => undefined));
  await importDirectory(
    people,
    store.membershipsOf(STORE),
    {
      people: [
        {
          id: 'e1',
          name: 'Ann',
          identifiers: ['mbox::mailto:ann@example.com'],
          identifierPeriods: [],
          periods: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
        },
      ],
    },
    actor,
  );

  // Evidence, buckets, settings, re-derivation, unknown verbs; the audit and the rebuild.
  const evidence = store.evidenceOf(STORE);
  const [row] = await evidence.page('counted', null, 10);
  await evidence.count('counted');
  if (row !== undefined) {
    await evidence.page('counted', row.key, 10);
    await evidence.transition(row.key, 'counted', 'counted');
  }
  await store.skillDaysOf(STORE).list();
  // The same addition twice: the second finds its op id on the bucket and adds nothing.
  const bucket = {
    subject: bob,
    skill: SKILL,
    day: '2024-03-01',
    source: 'formal',
    kind: 'outcome',
  } as const;
  const zero = { statements: 0n, events: 0n, w: 0n, wy: 0n, wy2: 0n, wout: 0n };
  for (let i = 0; i < 2; i++) await store.skillDaysOf(STORE).addOnce(bucket, zero, 'test-op');
  await store.skillDaysOf(STORE).settle(bucket, 'test-op');
  await store.unknownVerbsOf(STORE).list();
  await store.unalignedActivitiesOf(STORE).count([{ activityId: COURSE, statementId: uuid(1) }]);
  await store.unalignedActivitiesOf(STORE).list();
  const settings = store.skillSettingsOf(STORE);
  await settings.change(() => ({ ...DEFAULT_SKILL_SETTINGS, competencyTypes: ['x'] }), now);
  await settings.at(1);
  await store.rederivationsOf(STORE).status();
  await store.rederivationsOf(STORE).latestMarks([uuid(1)]);
  await store.tombstonesOf(STORE).voidedAmong([uuid(2)]);
  // The reports' reads of the roll-ups, through each read path.
  const days = { from: '2024-01-01', to: '2024-12-31' };
  const platformDays = store.platformDaysOf(STORE);
  await platformDays.query({ subjects: [bob], skills: [SKILL], platforms: [null], ...days });
  await platformDays.query({ skills: [SKILL], concepts: ['passed'] });
  await platformDays.query(days);
  const outcomes = store.activityOutcomesOf(STORE);
  await outcomes.query({ activities: [COURSE], subjects: [bob], ...days });
  await outcomes.query({ subjects: [bob] });
  await outcomes.query({ skills: [SKILL] });
  await outcomes.query({ concepts: ['passed'] });
  const sharing = store.knowledgeSharingOf(STORE);
  await sharing.query({ helpers: [bob], helped: [bob], ...days });
  await sharing.query({ helped: [bob] });
  await sharing.query({ skills: [SKILL] });
  await sharing.query({});
  // The cohort reports' reads: buckets by skill, the whole directory, a drill-down's two pages,
  // the report settings.
  const bySkill = store.skillDaysOf(STORE).ofSkills([SKILL], { to: '2024-12-31' });
  await bySkill[Symbol.asyncIterator]().next();
  await store.membershipsOf(STORE).list();
  const evidenceRows = store.evidenceOf(STORE);
  await evidenceRows.ofSubjectSkill([bob], [SKILL], { limit: 2, to: '2024-12-31' });
  await evidenceRows.ofSubjectSkill([bob], [SKILL], {
    limit: 2,
    after: { day: '2024-03-01', key: 'k' },
  });
  await store.reportSettingsOf(STORE).get();
  await store.reportSettingsOf(STORE).change({ minCohort: 6 }, now);
  await verifySkillDays(store, STORE);
  await verifyRollups(store, STORE);
  await rebuildFromStatements(store, STORE);
  t.pass('the store workload ran');
}

/**
 * Whether the server has `explain`: null when it has, else why not. Only "no such command" (the
 * local server) skips; any other failure is one.
 */
async function explainMissing(db: Db): Promise<string | null> {
  try {
    await db.command({
      explain: { find: COLLECTIONS.stores, filter: {} },
      verbosity: 'queryPlanner',
    });
    return null;
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 59) {
      return `this server has no explain (${error.message}); the rules of index-rules.ts stand alone`;
    }
    throw error;
  }
}

/**
 * Explains each entry (its plainest and fullest combination of fields, and each optional field
 * alone) as a find with its filter, sort and limit: the planner picks the index of an update, a
 * delete or a count the same way. No collection scan may win; and with the entry's index forced,
 * no SORT stage where the rules say the index gives the order.
 */
async function explainCatalogue(t: Test, db: Db): Promise<void> {
  const explain = (find: Document) => db.command({ explain: find, verbosity: 'queryPlanner' });
  const picked = (shape: QueryShape): QueryVariant[] => {
    const variants = shapeVariants(shape);
    const last = variants[variants.length - 1];
    const singles = variants.filter((_, mask) => mask > 0 && (mask & (mask - 1)) === 0);
    return [...new Set([variants[0], ...singles, last].filter((v) => v !== undefined))];
  };
  for (const shape of QUERY_CATALOGUE) {
    const index = indexSpecsOf(shape.collection).find((ix) => ix.name === shape.index);
    for (const variant of picked(shape)) {
      const find = {
        find: shape.collection,
        filter: sampleFilter(variant),
        ...(shape.sort === undefined ? {} : { sort: shape.sort }),
        ...(shape.limit === true ? { limit: 10 } : {}),
      };
      const chosen = winningStages(await explain(find));
      t.notOk(chosen.includes('COLLSCAN'), `${variant.label}: no collection scan`, { chosen });
      if (index === undefined || shape.gap !== undefined) continue;
      const verdict = judgeIndex(variant, index);
      if (verdict.sort === 'index' || verdict.sort === 'merge') {
        const hinted = winningStages(await explain({ ...find, hint: shape.index }));
        t.notOk(hinted.includes('SORT'), `${variant.label}: ${shape.index} gives the order`, {
          hinted,
        });
      }
    }
  }
}

t.test('every query the store sends is declared in the query catalogue', async (t) => {
  const { store, db, commands } = await monitoredStore(t);
  const lrs = await buildTestApp(t, {}, () => store);
  await startTestAggregator(t, { ...lrs, store });

  await throughTheLrs(t, lrs, store);
  await pollUntil(
    'the pipeline to drain',
    async () => ((await store.outbox.summary()).pending === 0 ? true : undefined),
    60_000,
  );
  await throughTheStore(t, store);

  const unreadable = new Set<string>();
  const observed = new Map<string, ObservedShape>();
  for (const { name, command } of commands) {
    const shapes = shapesOfCommand(name, command);
    if (shapes === undefined) unreadable.add(name);
    for (const s of shapes ?? []) observed.set(describeShape(s), s);
  }
  t.strictSame([...unreadable], [], 'every command is one this test can read');
  if (process.env['DUMP_SHAPES'] === '1') t.comment([...observed.keys()].sort().join('\n'));
  t.ok(observed.size > 40, `the workload sent many shapes (${observed.size})`);

  const unmatched = [...observed].filter(
    ([, s]) => !QUERY_CATALOGUE.some((e) => matchesShape(s, e)),
  );
  t.strictSame(
    unmatched.map(([line]) => line),
    [],
    'every observed query matches a catalogue entry (add or correct the entry in query-catalogue.ts)',
  );
  const seen = QUERY_CATALOGUE.filter((e) =>
    [...observed.values()].some((s) => matchesShape(s, e)),
  );
  const unseen = QUERY_CATALOGUE.filter((e) => !seen.includes(e)).map((e) => e.name);
  t.comment(
    `${seen.length} of ${QUERY_CATALOGUE.length} catalogue entries seen; not exercised: ${unseen.join(', ') || 'none'}`,
  );

  const missing = await explainMissing(db);
  await t.test('explain finds no collection scan', { skip: missing ?? false }, (t) =>
    explainCatalogue(t, db),
  );
});
