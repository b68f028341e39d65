import t from 'tap';
import { COMPETENCY_ACTIVITY_TYPE, SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import { basicAuth } from '../../helpers/credentials.js';
import { call, DATA, errorBody, NOW, setup, SQL, STATS, type Setup } from './api-client.js';

const ANN = 'mbox::mailto:ann@example.com';
const ID = '6f0c5c1e-2f4b-4c1a-9a55-0d6f2b4a0001';
const VERBS = 'http://adlnet.gov/expapi/verbs/';
const TAG = 'https://tags.example/sql';
const PREFIX = 'https://lms.example/sql/';

interface DryRun {
  generation: number;
  statementId: string;
  idAssigned: boolean;
  stored: string;
  voided: boolean;
  type: 'evidence' | 'void';
  unknownVerb?: string | null;
  tombstone?: unknown;
  rows: {
    key: string;
    skill: string;
    subject: string;
    role: string;
    day: string;
    kind: string;
    wUnits: number;
    yUnits: number | null;
  }[];
  explanation: {
    verb: { status: string; concept?: string };
    alignment: {
      skills: { skill: string; weight: number; reasons: { way: string; detail: string }[] }[];
      unknownSkills: string[];
    };
    notes: string[];
  };
}

/** A framework of DATA and SQL, a prefix rule (D) and a tag (E) to STATS. */
async function configure(s: Setup): Promise<void> {
  const framework = await call(s.app, 'POST', '/frameworks', s.admin, {
    id: 'acme',
    name: 'Acme',
    skills: [
      { iri: DATA, name: 'Data' },
      { iri: SQL, name: 'SQL', parent: DATA },
      { iri: STATS, name: 'Statistics', parent: DATA },
    ],
  });
  if (framework.statusCode !== 201) throw new Error(framework.body);
  const rules = await call(s.app, 'PUT', '/rules', s.admin, {
    rules: [{ id: 'sql', activityIdPrefix: PREFIX, skills: [{ skill: SQL, weight: 0.5 }] }],
    tags: [{ tag: TAG, skills: [{ skill: STATS, weight: 0.25 }] }],
  });
  if (rules.statusCode !== 200) throw new Error(rules.body);
}

function statement(verb: string, object: object, extra: object = {}): object {
  return {
    id: ID,
    actor: { mbox: 'mailto:ann@example.com' },
    verb: { id: `${VERBS}${verb}` },
    object,
    timestamp: '2026-03-01T10:00:00Z',
    ...extra,
  };
}

async function dryRun(s: Setup, body: object, auth = s.cohort): Promise<DryRun> {
  const res = await call(s.app, 'POST', '/dry-run', auth, body);
  if (res.statusCode !== 200) throw new Error(`dry run answered ${res.statusCode}: ${res.body}`);
  return res.json<DryRun>();
}

const ways = (r: DryRun) =>
  r.explanation.alignment.skills.map((a) => [a.skill, a.weight, a.reasons.map((x) => x.way)]);

t.test('each way A-E aligns a statement, with its reasons', async (t) => {
  const s = await setup(t);
  await configure(s);

  const a = await dryRun(s, {
    statement: statement('mastered', { id: SQL, definition: { type: COMPETENCY_ACTIVITY_TYPE } }),
  });
  t.strictSame(ways(a), [[SQL, 1, ['A']]]);
  t.match(a, {
    generation: 2,
    statementId: ID,
    idAssigned: false,
    stored: NOW.toISOString(),
    voided: false,
    type: 'evidence',
    unknownVerb: null,
    explanation: { verb: { status: 'known', concept: 'asserted' } },
  });
  t.strictSame(
    a.rows.map((r) => [r.skill, r.subject, r.role, r.day, r.kind, r.wUnits, r.yUnits]),
    [[SQL, ANN, 'subject', '2026-03-01', 'assertion', 10000, 1000]],
  );
  t.equal(a.rows[0]?.key, JSON.stringify(['s1', ID, SQL, ANN, 'subject']));

  const b = await dryRun(s, {
    statement: statement(
      'completed',
      { id: 'https://elsewhere.example/a' },
      {
        context: {
          contextActivities: {
            grouping: [{ id: DATA, definition: { type: COMPETENCY_ACTIVITY_TYPE } }],
          },
        },
      },
    ),
  });
  t.strictSame(ways(b), [[DATA, 1, ['B']]]);
  t.strictSame(
    b.rows.map((r) => [r.skill, r.kind, r.wUnits, r.yUnits]),
    [[DATA, 'practice', 3000, null]],
  );

  const c = await dryRun(s, {
    statement: statement(
      'passed',
      {
        id: 'https://elsewhere.example/b',
        definition: {
          extensions: {
            [SKILL_ALIGNMENT_EXTENSION]: [
              { skill: STATS, weight: 0.5 },
              'https://skills.example/not-in-framework',
            ],
          },
        },
      },
      { result: { score: { scaled: 0.8 } } },
    ),
  });
  t.strictSame(ways(c), [[STATS, 0.5, ['C']]]);
  t.strictSame(c.explanation.alignment.unknownSkills, ['https://skills.example/not-in-framework']);
  t.ok(
    c.explanation.notes.includes(
      'skills the store does not know: https://skills.example/not-in-framework',
    ),
  );
  t.strictSame(
    c.rows.map((r) => [r.skill, r.kind, r.wUnits, r.yUnits]),
    [[STATS, 'outcome', 5000, 800]],
  );

  const d = await dryRun(s, { statement: statement('passed', { id: `${PREFIX}lesson-1` }) });
  t.strictSame(ways(d), [[SQL, 0.5, ['D']]]);
  t.match(d.explanation.alignment.skills[0]?.reasons[0]?.detail, 'rule sql');

  const e = await dryRun(s, {
    statement: statement(
      'commented',
      { id: 'https://chat.example/threads/1' },
      { context: { platform: 'Slack', contextActivities: { category: [{ id: TAG }] } } },
    ),
  });
  t.strictSame(ways(e), [[STATS, 0.25, ['E']]]);
  t.strictSame(
    e.rows.map((r) => [r.skill, r.kind, r.wUnits]),
    [[STATS, 'practice', 500]],
  );
});

t.test('settings changes show at once: a new verb alias, no framework', async (t) => {
  const s = await setup(t);
  const zap = {
    statement: {
      ...statement('passed', { id: `${PREFIX}x` }),
      verb: { id: 'https://tool.example/verbs/aced' },
    },
  };
  const unknown = await dryRun(s, zap);
  t.equal(unknown.generation, 0);
  t.equal(unknown.unknownVerb, 'https://tool.example/verbs/aced');
  t.strictSame(unknown.explanation.notes, ['the verb is not in the verb table']);
  await call(s.app, 'PUT', '/verbs', s.admin, {
    aliases: { 'https://tool.example/verbs/aced': 'passed' },
  });
  const known = await dryRun(s, zap);
  t.equal(known.generation, 1);
  t.equal(known.unknownVerb, null);
  t.strictSame(known.rows, [], 'known now, but no rule aligns it');
  t.strictSame(known.explanation.notes, ['the activity is aligned to no skill']);
  const open = await dryRun(s, {
    statement: statement('mastered', {
      id: 'https://skills.example/anything',
      definition: { type: COMPETENCY_ACTIVITY_TYPE },
    }),
  });
  t.equal(open.rows.length, 1, 'without a framework, any competency counts');
});

t.test('a statement without an id gets one; a voiding one gives a tombstone', async (t) => {
  const s = await setup(t);
  const { id: _id, ...noId } = statement('passed', { id: `${PREFIX}x` }) as { id: string };
  const assigned = await dryRun(s, { statement: noId });
  t.equal(assigned.idAssigned, true);
  t.match(assigned.statementId, /^[0-9a-f-]{36}$/);
  const voiding = await dryRun(s, {
    statement: statement('voided', {
      objectType: 'StatementRef',
      id: '6f0c5c1e-2f4b-4c1a-9a55-0d6f2b4a0002',
    }),
  });
  t.match(voiding, {
    type: 'void',
    rows: [],
    tombstone: {
      store: 's1',
      voidingStatementId: ID,
      targetStatementId: '6f0c5c1e-2f4b-4c1a-9a55-0d6f2b4a0002',
    },
  });
});

t.test('a stored statement by id, with its stored time; not in another store', async (t) => {
  const s = await setup(t);
  await configure(s);
  const writer = await basicAuth(s.store, 's1', ['statements/write']);
  const posted = await s.lrs.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { authorization: writer, 'x-experience-api-version': '2.0.0' },
    payload: statement('passed', { id: `${PREFIX}final` }, { timestamp: '2026-03-09T10:00:00Z' }),
  });
  t.equal(posted.statusCode, 200);
  const byId = await dryRun(s, { statementId: ID }, s.admin);
  t.match(byId, { statementId: ID, stored: NOW.toISOString(), idAssigned: false, voided: false });
  t.strictSame(
    byId.rows.map((r) => [r.skill, r.day]),
    [[SQL, '2026-03-02']],
    'a timestamp after stored is capped at the stored day',
  );
  t.ok(
    byId.explanation.notes.includes(
      'the timestamp is later than stored: its day is capped at stored',
    ),
  );
  const elsewhere = await call(s.app, 'POST', '/dry-run', s.otherAdmin, { statementId: ID });
  t.strictSame(
    elsewhere.json(),
    errorBody(404, 'API_ERR_STATEMENT_NOT_FOUND', `no statement ${ID}`),
  );
});

t.test('errors: a bad statement is named, unknown ids, bodies, scopes', async (t) => {
  const s = await setup(t);
  const bad = await call(s.app, 'POST', '/dry-run', s.cohort, {
    statement: { actor: { mbox: 'ann@example.com' }, verb: { id: 'passed' }, object: { id: 'x' } },
  });
  t.strictSame(
    bad.json(),
    errorBody(
      400,
      'API_ERR_BAD_STATEMENT',
      'the statement is not valid xAPI: actor.mbox must be a mailto: IRI; verb.id must be an IRI with a scheme; object.id must be an IRI with a scheme',
    ),
  );
  const missing = await call(s.app, 'POST', '/dry-run', s.admin, { statementId: ID });
  t.strictSame(missing.json(), errorBody(404, 'API_ERR_STATEMENT_NOT_FOUND', `no statement ${ID}`));
  // A stored statement names its people: a cohort reader may dry-run statements it sends, not
  // stored ones (docs/analytics-core.md, section 6).
  const cohortById = await call(s.app, 'POST', '/dry-run', s.cohort, { statementId: ID });
  t.equal(cohortById.statusCode, 403);
  t.equal(cohortById.json<{ code: string }>().code, 'API_ERR_STATEMENT_FORBIDDEN');
  const both = await call(s.app, 'POST', '/dry-run', s.cohort, { statementId: ID, statement: {} });
  t.equal(both.statusCode, 400);
  t.equal(both.json<{ code: string }>().code, 'FST_ERR_VALIDATION');
  const neither = await call(s.app, 'POST', '/dry-run', s.cohort, {});
  t.equal(neither.statusCode, 400);
  const forbidden = await call(s.app, 'POST', '/dry-run', s.statementsRead, { statementId: ID });
  t.equal(forbidden.json<{ code: string }>().code, 'API_ERR_FORBIDDEN');
  const anonymous = await call(s.app, 'POST', '/dry-run', undefined, { statementId: ID });
  t.equal(anonymous.statusCode, 401);
});
