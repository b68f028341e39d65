// Erasure of a person (DELETE /api/v1/people/:id of the reports service; docs/identity.md,
// "Erasure") on the real servers with the real pipeline: two people with statements, voids,
// documents, a like that credits the other, a comment answering the other, a Group statement, an
// instructor and directory memberships are aggregated; one is erased. Then nothing of theirs is
// left anywhere in the database (no roll-up of any family is keyed by their identifiers), the
// other's data is untouched, every family's roll-ups equal a rebuild from the statements
// (`verify`), the audit record holds no personal data, asking again is idempotent, and every
// error has its whole body.
import t from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import { runErasure, verifyRollups } from '@cairn/aggregator';
import { COLLECTIONS, erasureIdOf } from '@cairn/store';
import { ERASED_AGENT, mboxSha1, type Statement } from '@cairn/xapi';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestReportsApp, lrsAppOn, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';

const SKILL = 'https://skills.example/sql';
const ANN_MBOX = 'mailto:ann.erased@example.com';
const ANN_SHA1 = mboxSha1(ANN_MBOX);
const ANN_ACCOUNT = { homePage: 'https://chat.example.com', name: 'ann-chat-7731' };
const ANN_KEYS = [
  `mbox::${ANN_MBOX}`,
  `sha1::${ANN_SHA1}`,
  `account::${ANN_ACCOUNT.homePage}::${ANN_ACCOUNT.name}`,
];
const ANN_NAME = 'Ann Erasedottir';
const BOB_MBOX = 'mailto:bob.kept@example.com';
const BOB_KEY = `mbox::${BOB_MBOX}`;
const ANN = { objectType: 'Agent', name: ANN_NAME, mbox: ANN_MBOX } as const;
const ANN_CHAT = { objectType: 'Agent', account: ANN_ACCOUNT } as const;
const ANN_HASHED = { objectType: 'Agent', mbox_sha1sum: ANN_SHA1 } as const;
const BOB = { objectType: 'Agent', name: 'Bob Kept', mbox: BOB_MBOX } as const;
const CY_MBOX = 'mailto:cy.kept@example.com';
const CY = { objectType: 'Agent', mbox: CY_MBOX } as const;
const LIKED = 'https://w3id.org/xapi/acrossx/verbs/liked';
const COMMENTED = 'http://adlnet.gov/expapi/verbs/commented';
const BY_WHOM = 'https://w3id.org/xapi/acrossx/extensions/by-whom';
const PASSED = 'http://adlnet.gov/expapi/verbs/passed';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';
const ACTIVITY = 'https://example.com/activities/sql-101';

const id = (n: number): string => `e7a5e000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function passed(n: number, actor: Statement['actor'], extra: Partial<Statement> = {}): Statement {
  return {
    id: id(n),
    actor,
    verb: { id: PASSED },
    object: {
      id: `${ACTIVITY}/${n}`,
      definition: { extensions: { [SKILL_ALIGNMENT_EXTENSION]: [SKILL] } },
    },
    result: { success: true, score: { scaled: ((n * 37) % 100) / 100 } },
    timestamp: new Date(Date.UTC(2024, 2, 1 + (n % 5), 9)).toISOString(),
    ...extra,
  };
}

function social(verb: string) {
  return (n: number, actor: Statement['actor'], author: object): Statement => ({
    id: id(n),
    actor,
    verb: { id: verb },
    object: {
      id: `${ACTIVITY}/posts/${n}`,
      definition: { extensions: { [SKILL_ALIGNMENT_EXTENSION]: [SKILL] } },
    },
    context: { extensions: { [BY_WHOM]: author } },
    timestamp: new Date(Date.UTC(2024, 2, 3, 9)).toISOString(),
  });
}

/** A like of the author's post: credits the author (the helper), the liker is the one helped. */
const liked = social(LIKED);
/** A comment on the author's post: credits the actor (the helper), the author is the one helped. */
const commented = social(COMMENTED);

const voids = (n: number, actor: Statement['actor'], target: number): Statement => ({
  id: id(n),
  actor,
  verb: { id: VOIDED },
  object: { objectType: 'StatementRef', id: id(target) },
});

/** Ann's own statements (deleted), Bob's own (kept as sent), Bob's naming Ann (redacted). */
const ANN_OWN = [
  passed(1, ANN),
  passed(2, ANN),
  passed(3, ANN_CHAT),
  passed(4, ANN_HASHED),
  liked(5, ANN, BOB), // credits Bob: his row goes with her statement
  voids(6, ANN, 2), // her void of her own statement: both go
];
const BOB_OWN = [passed(10, BOB), passed(11, BOB), passed(12, BOB), voids(13, BOB, 12)];
const NAMING_ANN = [
  liked(20, BOB, ANN), // credits Ann: her row goes, the statement stays
  commented(23, BOB, ANN), // Bob's row stays, helping nobody in particular
  // Ann and Bob like Cy's post: a Group helps nobody in particular; redacted, Bob alone is helped.
  liked(24, { objectType: 'Group', member: [ANN, BOB] }, CY),
  passed(21, BOB, { context: { instructor: ANN } }),
  passed(22, { objectType: 'Group', member: [ANN_CHAT, BOB] }), // Bob's row stays
];

interface Api {
  /** The reports service (`/api/v1`), and the resources it shares with the LRS. */
  readonly r: TestApp;
  /** The LRS (`/xapi`), on the same database and queues. */
  readonly lrs: FastifyInstance;
  readonly admin: string;
  readonly writer: string;
  /** A request to the reports service. */
  call(method: 'GET' | 'DELETE', url: string, auth?: string): Promise<LightMyRequestResponse>;
}

async function setup(t: Teardown): Promise<Api> {
  const r = await buildTestReportsApp(t);
  const lrs = await lrsAppOn(t, r);
  const admin = await basicAuth(r.store, 'default', ['admin']);
  const writer = await basicAuth(r.store, 'default', ['all']);
  return {
    r,
    lrs,
    admin,
    writer,
    call: (method, url, auth = admin) =>
      r.app.inject({
        method,
        url,
        headers: { authorization: auth, 'x-experience-api-version': '2.0.0' },
      }),
  };
}

const errorBody = (status: 400 | 403 | 404, code: string, message: string) => ({
  statusCode: status,
  error: { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found' }[status],
  code,
  message,
});

/** Every document of every collection of the test's database, as one JSON text. */
async function wholeDatabase(api: Api): Promise<string> {
  const texts: string[] = [];
  for (const { name } of await api.r.mongo.db.listCollections().toArray()) {
    const docs = await api.r.mongo.db.collection(name).find().toArray();
    texts.push(JSON.stringify(docs, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)));
  }
  return texts.join('\n');
}

t.test('erasing a person removes everything of theirs and keeps the pipeline exact', async (t) => {
  const api = await setup(t);
  const { r } = api;
  await startTestAggregator(t, r);
  const xapi = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown) =>
    api.lrs.inject({
      method,
      url,
      headers: {
        authorization: api.writer,
        'x-experience-api-version': '2.0.0',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  const statements = r.mongo.db.collection(COLLECTIONS.statements);
  const drained = () =>
    pollUntil('the pipeline to drain', async () =>
      (await statements.countDocuments({ 'pipeline.state': 'pending' })) === 0 ? true : undefined,
    );

  // The directory links Ann's mbox and chat account into one person; Bob has his own record.
  const directory = await r.app.inject({
    method: 'POST',
    url: '/api/v1/directory',
    headers: { authorization: api.admin },
    payload: {
      people: [
        {
          id: 'emp-1',
          name: ANN_NAME,
          identifiers: [
            { kind: 'mbox', value: ANN_MBOX },
            { kind: 'account', ...ANN_ACCOUNT },
          ],
          memberships: [{ team: 'team-a', department: 'dept-a', from: '2024-01-01' }],
        },
        {
          id: 'emp-2',
          name: 'Bob Kept',
          identifiers: [{ kind: 'mbox', value: BOB_MBOX }],
          memberships: [{ team: 'team-a', department: 'dept-a', from: '2024-01-01' }],
        },
      ],
    },
  });
  t.equal(directory.statusCode, 200, directory.body);

  for (const batch of [ANN_OWN, BOB_OWN, NAMING_ANN]) {
    const res = await xapi('POST', '/xapi/statements', batch);
    t.equal(res.statusCode, 200, res.body);
  }
  const state = (agent: object) =>
    `/xapi/activities/state?activityId=${encodeURIComponent(ACTIVITY)}&agent=${encodeURIComponent(
      JSON.stringify(agent),
    )}&stateId=progress`;
  const profile = (agent: object) =>
    `/xapi/agents/profile?agent=${encodeURIComponent(JSON.stringify(agent))}&profileId=bio`;
  for (const url of [state(ANN), profile(ANN_CHAT), state(BOB), profile(BOB)]) {
    const res = await xapi('PUT', url, { owner: url.includes('ann') ? ANN_NAME : 'Bob Kept' });
    t.equal(res.statusCode, 204, res.body);
  }
  await drained();
  t.strictSame(await verifyRollups(r.store, 'default'), [], 'exact before the erasure');
  const knowledgeSharing = r.mongo.db.collection(COLLECTIONS.knowledgeSharing);
  t.ok(
    (await knowledgeSharing.countDocuments({ helped: ANN_KEYS[0] })) > 0,
    'Bob helped Ann (his comment on her post) before the erasure',
  );
  t.ok(
    (await knowledgeSharing.countDocuments({ helper: ANN_KEYS[0] })) > 0,
    'Ann helped Bob (his like of her post) before the erasure',
  );

  const people = r.store.peopleOf('default');
  const annId = (await people.resolve([ANN_KEYS[0]!])).get(ANN_KEYS[0]!);
  const bobBefore = await people.findByIdentifiers([BOB_KEY]);
  if (annId === undefined) throw new Error('Ann has no person');
  t.strictSame((await people.get(annId))?.identifiers, [...ANN_KEYS].sort(), 'one person');
  const erasureId = erasureIdOf('default', annId);

  const asked = await api.call('DELETE', `/api/v1/people/${annId}`);
  t.equal(asked.statusCode, 202, asked.body);
  t.equal(asked.headers['location'], `/api/v1/erasures/${erasureId}`);
  const begun = asked.json<{ erasure: Record<string, unknown> }>().erasure;
  t.match(begun, { id: erasureId, state: 'pending', finishedAt: null });

  const done = await pollUntil(
    'the erasure to finish',
    async () => {
      const res = await api.call('GET', `/api/v1/erasures/${erasureId}`);
      const body = res.json<{ erasure: { state: string } }>();
      return body.erasure.state === 'done' ? res : undefined;
    },
    30_000,
  );
  const record = done.json<{ erasure: Record<string, unknown> }>().erasure;

  t.test('the audit record counts what went, and names nobody', async (t) => {
    t.strictSame(Object.keys(record).sort(), [
      'counts',
      'finishedAt',
      'id',
      'requestedAt',
      'requestedBy',
      'state',
      'step',
    ]);
    t.match(record, {
      id: erasureId,
      state: 'done',
      step: 'done',
      requestedBy: { label: 'test admin' },
    });
    t.strictSame(record['counts'], {
      statementsDeleted: ANN_OWN.length,
      statementsRedacted: NAMING_ANN.length,
      attachments: 0,
      documents: 2,
      memberships: 1,
      // Ann's 4 passes but the one she voided (which never had rows), Bob's row from her like,
      // and her rows from Bob's like and from the Group statement (an instructor gets no
      // credit): all retracted, then deleted. Bob's row of his comment stays, helping nobody.
      evidenceRows: 3 + 1 + 1 + 1,
      buckets: (record['counts'] as { buckets: number }).buckets,
      rollups: (record['counts'] as { rollups: number }).rollups,
      identifiers: 3,
      profiles: 3,
      auditRecords: 1,
    });
    t.ok((record['counts'] as { buckets: number }).buckets > 0, 'her buckets went');
    t.ok((record['counts'] as { rollups: number }).rollups > 0, 'her other roll-ups went');
    for (const secret of [annId, ANN_NAME, ANN_SHA1, ANN_ACCOUNT.name, 'ann.erased'])
      t.notOk(done.body.includes(secret), `does not name ${secret}`);
  });

  t.test('nothing anywhere in the database names Ann any more', async (t) => {
    const all = await wholeDatabase(api);
    for (const secret of [annId, ANN_NAME, ANN_SHA1, ANN_ACCOUNT.name, 'ann.erased'])
      t.notOk(all.includes(secret), `no document names ${secret}`);
    t.equal(
      await r.mongo.db
        .collection(COLLECTIONS.evidence)
        .countDocuments({ subject: { $in: ANN_KEYS } }),
      0,
      'no evidence row is about her',
    );
    t.equal(
      await r.mongo.db
        .collection(COLLECTIONS.skillDays)
        .countDocuments({ subject: { $in: ANN_KEYS } }),
      0,
      'no bucket is about her',
    );
  });

  t.test('no roll-up of any family is keyed by her identifiers', async (t) => {
    const byField: [string, string][] = [
      [COLLECTIONS.platformDays, 'subject'],
      [COLLECTIONS.activityOutcomes, 'subject'],
      [COLLECTIONS.knowledgeSharing, 'helper'],
      [COLLECTIONS.knowledgeSharing, 'helped'],
    ];
    for (const [collection, field] of byField) {
      const named = await r.mongo.db
        .collection(collection)
        .countDocuments({ [field]: { $in: ANN_KEYS } });
      t.equal(named, 0, `no ${collection} document has her as ${field}`);
      const docs = await r.mongo.db.collection(collection).find().toArray();
      const text = JSON.stringify(docs, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v));
      for (const key of ANN_KEYS) t.notOk(text.includes(key), `no ${collection} names ${key}`);
    }
    t.ok(
      (await r.mongo.db.collection(COLLECTIONS.platformDays).countDocuments({ subject: BOB_KEY })) >
        0,
      "Bob's platform days are there",
    );
    t.ok(
      (await r.mongo.db
        .collection(COLLECTIONS.knowledgeSharing)
        .countDocuments({ helper: `mbox::${CY_MBOX}`, helped: BOB_KEY })) > 0,
      'Cy helped Bob: the like of two is now the like of one',
    );
    t.equal(
      await r.mongo.db
        .collection(COLLECTIONS.evidence)
        .countDocuments({ counterpart: { $in: ANN_KEYS } }),
      0,
      'no evidence row has her as its counterpart',
    );
  });

  t.test('every family equals a rebuild from the remaining statements', async (t) => {
    t.strictSame(await verifyRollups(r.store, 'default'), []);
  });

  t.test("her statements are gone; Bob's are there, those naming her redacted", async (t) => {
    for (const s of ANN_OWN) {
      const res = await xapi('GET', `/xapi/statements?statementId=${s.id ?? ''}`);
      t.equal(res.statusCode, 404, `${s.id ?? ''} is gone`);
    }
    const listed = await xapi('GET', '/xapi/statements?limit=100');
    const got = listed.json<{ statements: Statement[] }>().statements;
    // Statement 12 is voided by Bob: it is not listed, but it is stored.
    t.strictSame(
      got.map((s) => s.id).sort(),
      [10, 11, 13, 20, 21, 22, 23, 24].map(id),
      "Bob's statements and those naming Ann, nothing of hers",
    );
    const voided = await xapi('GET', `/xapi/statements?voidedStatementId=${id(12)}`);
    t.equal(voided.statusCode, 200, "Bob's voided statement is kept");
    const byId = new Map(got.map((s) => [s.id, s]));
    t.strictSame(byId.get(id(20))?.context?.extensions?.[BY_WHOM], ERASED_AGENT);
    t.strictSame(byId.get(id(21))?.context?.instructor, ERASED_AGENT);
    t.strictSame(byId.get(id(23))?.context?.extensions?.[BY_WHOM], ERASED_AGENT);
    const group = byId.get(id(22))?.actor;
    t.strictSame(group?.objectType === 'Group' ? group.member : undefined, [ERASED_AGENT, BOB]);
    const likers = byId.get(id(24))?.actor;
    t.strictSame(likers?.objectType === 'Group' ? likers.member : undefined, [ERASED_AGENT, BOB]);
    t.strictSame(byId.get(id(10))?.actor, BOB, "Bob's own statement as he sent it");
    const about = await xapi(
      'GET',
      `/xapi/statements?agent=${encodeURIComponent(JSON.stringify(ANN))}&related_agents=true`,
    );
    t.strictSame(about.json<{ statements: unknown[] }>().statements, [], 'no filter finds her');
  });

  t.test("her documents are gone; Bob's are untouched", async (t) => {
    t.equal((await xapi('GET', state(ANN))).statusCode, 404);
    t.equal((await xapi('GET', profile(ANN_CHAT))).statusCode, 404);
    t.strictSame((await xapi('GET', state(BOB))).json(), { owner: 'Bob Kept' });
    t.strictSame((await xapi('GET', profile(BOB))).json(), { owner: 'Bob Kept' });
  });

  t.test('her person and directory record are gone; Bob keeps his', async (t) => {
    t.equal(await people.get(annId), null);
    t.strictSame(await people.findByIdentifiers(ANN_KEYS), []);
    t.strictSame(await people.findByIdentifiers([BOB_KEY]), bobBefore);
    const dir = await r.store.membershipsOf('default').ofIdentifiers([...ANN_KEYS, BOB_KEY]);
    t.strictSame(
      dir.map((m) => m.directoryId),
      ['emp-2'],
    );
    const res = await api.call('GET', `/api/v1/people/${annId}`);
    t.strictSame(res.json(), errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${annId}`));
  });

  t.test('asking again answers the same erasure, done', async (t) => {
    const again = await api.call('DELETE', `/api/v1/people/${annId}`);
    t.equal(again.statusCode, 200);
    t.equal(again.headers['location'], `/api/v1/erasures/${erasureId}`);
    t.strictSame(again.json(), { erasure: record });
  });

  t.test('statements sent later with her identifiers are a new person', async (t) => {
    const res = await xapi('POST', '/xapi/statements', [passed(30, ANN)]);
    t.equal(res.statusCode, 200, res.body);
    await drained();
    t.strictSame(await verifyRollups(r.store, 'default'), [], 'counted, exactly');
    const [person] = await people.findByIdentifiers([ANN_KEYS[0]!]);
    t.strictSame(
      person?.identifiers,
      [ANN_KEYS[0], ANN_KEYS[1]].sort(),
      'the chat account is not hers',
    );
  });
});

t.test('errors: a bad id, an unknown person or erasure, a credential without admin', async (t) => {
  const api = await setup(t);
  const unknown = 'a'.repeat(64);
  const cases: [string, 'GET' | 'DELETE', string, string | undefined, object][] = [
    [
      'a person id that is not 64 hex digits',
      'DELETE',
      '/api/v1/people/not-an-id',
      undefined,
      errorBody(
        400,
        'PEOPLE_ERR_INVALID',
        'the person id must be 64 lowercase hexadecimal digits, got "not-an-id"',
      ),
    ],
    [
      'a person nobody has',
      'DELETE',
      `/api/v1/people/${unknown}`,
      undefined,
      errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${unknown}`),
    ],
    [
      'an erasure id that is not 64 hex digits',
      'GET',
      '/api/v1/erasures/XYZ',
      undefined,
      errorBody(
        400,
        'ERASURE_ERR_INVALID',
        'the erasure id must be 64 lowercase hexadecimal digits, got "XYZ"',
      ),
    ],
    [
      'an erasure nobody asked for',
      'GET',
      `/api/v1/erasures/${unknown}`,
      undefined,
      errorBody(404, 'ERASURE_ERR_NOT_FOUND', `no erasure ${unknown}`),
    ],
    [
      'a credential without the admin scope',
      'DELETE',
      `/api/v1/people/${unknown}`,
      api.writer,
      errorBody(403, 'AUTH_ERR_FORBIDDEN', 'this credential lacks scope admin; it has: all'),
    ],
  ];
  for (const [what, method, url, auth, body] of cases) {
    const res = await api.call(method, url, auth);
    t.strictSame(res.json(), body, what);
  }
  t.equal(
    await api.r.mongo.db.collection(COLLECTIONS.erasures).countDocuments(),
    0,
    'a refused erasure records nothing',
  );
});

t.test(
  'an erasure interrupted between its steps finishes when run again, counting once',
  async (t) => {
    const api = await setup(t);
    const { r } = api;
    const first = await startTestAggregator(t, r);
    const post = await api.lrs.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { authorization: api.writer, 'x-experience-api-version': '2.0.0' },
      payload: [
        passed(1, ANN),
        passed(2, ANN),
        liked(3, BOB, ANN),
        passed(4, BOB),
        commented(5, BOB, ANN),
      ],
    });
    t.equal(post.statusCode, 200, post.body);
    const statements = r.mongo.db.collection(COLLECTIONS.statements);
    await pollUntil('the pipeline to drain', async () =>
      (await statements.countDocuments({ 'pipeline.state': 'pending' })) === 0 ? true : undefined,
    );
    // No aggregator now: the erasure's job waits in its queue while it is run here by hand.
    await first.close();
    const annId = (await r.store.peopleOf('default').resolve([ANN_KEYS[0]!])).get(ANN_KEYS[0]!);
    if (annId === undefined) throw new Error('Ann has no person');
    const asked = await api.call('DELETE', `/api/v1/people/${annId}`);
    t.equal(asked.statusCode, 202, asked.body);
    const erasureId = erasureIdOf('default', annId);

    // Two runs that stop where a crash would: the partition jobs they ask for never run.
    const asks: number[] = [];
    const deps = {
      store: r.store,
      partitions: 4,
      router: {
        retract: async (_id: string, _job: unknown, parts: ReadonlyMap<number, unknown>) => {
          asks.push(parts.size);
        },
      },
    };
    for (const run of [1, 2]) {
      const progress = await runErasure(deps, 'default', erasureId, `erasure.${erasureId}`);
      t.match(
        progress,
        { state: 'waiting', reason: /evidence rows being retracted/ },
        `run ${run}`,
      );
    }
    t.equal(asks.length, 2, 'each run asks again for the rows still owed');
    const halfway = await r.store.erasuresOf('default').get(erasureId);
    t.match(halfway, {
      state: 'pending',
      step: 'removed',
      counts: { statementsDeleted: 2, statementsRedacted: 2 },
    });
    const gone = await api.lrs.inject({
      method: 'GET',
      url: `/xapi/statements?statementId=${id(1)}`,
      headers: { authorization: api.writer, 'x-experience-api-version': '2.0.0' },
    });
    t.equal(gone.statusCode, 404, 'her statements are already gone');
    t.not(
      (await verifyRollups(r.store, 'default')).length,
      0,
      'her rows are not yet retracted: the buckets still hold them',
    );

    // An aggregator again: it runs the queued job, which finishes from the recorded step.
    await startTestAggregator(t, r);
    const done = await pollUntil(
      'the erasure to finish',
      async () => {
        const record = await r.store.erasuresOf('default').get(erasureId);
        return record?.state === 'done' ? record : undefined;
      },
      30_000,
    );
    t.match(done.counts, {
      statementsDeleted: 2,
      statementsRedacted: 2,
      evidenceRows: 3,
      identifiers: 2,
    });
    t.strictSame(await verifyRollups(r.store, 'default'), [], 'exact again');
    t.equal(
      await r.mongo.db
        .collection(COLLECTIONS.skillDays)
        .countDocuments({ subject: { $in: ANN_KEYS } }),
      0,
    );
    t.equal(
      await r.mongo.db
        .collection(COLLECTIONS.knowledgeSharing)
        .countDocuments({ $or: [{ helper: { $in: ANN_KEYS } }, { helped: { $in: ANN_KEYS } }] }),
      0,
      'no knowledge-sharing roll-up names her',
    );
  },
);
