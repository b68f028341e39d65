import t from 'tap';
import {
  COMPETENCY_ACTIVITY_TYPE,
  DEFAULT_VERB_TABLE,
  mergeVerbTables,
  SKILL_ALIGNMENT_EXTENSION,
} from '@cairn/analytics';
import { call, errorBody, setup, SQL } from './api-client.js';

const ruleSet = {
  rules: [
    {
      id: 'sql-courses',
      activityIdPrefix: 'https://lms.example/sql/',
      skills: [{ skill: SQL, weight: 1 }],
    },
  ],
  tags: [{ tag: 'https://tags.example/sql', name: 'sql', skills: [{ skill: SQL, weight: 0.5 }] }],
};

t.test('rules: defaults, replace, read back with ETag; the pipeline reads them', async (t) => {
  const s = await setup(t);
  const empty = await call(s.app, 'GET', '/rules', s.cohort);
  t.equal(empty.headers['etag'], '"0"');
  t.strictSame(empty.json(), {
    generation: 0,
    rules: [],
    tags: [],
    competencyTypes: [COMPETENCY_ACTIVITY_TYPE],
    alignmentExtension: SKILL_ALIGNMENT_EXTENSION,
  });
  const put = await call(s.app, 'PUT', '/rules', s.admin, ruleSet, { 'if-match': '"0"' });
  t.equal(put.statusCode, 200);
  t.equal(put.headers['etag'], '"1"');
  const expected = {
    generation: 1,
    ...ruleSet,
    competencyTypes: [COMPETENCY_ACTIVITY_TYPE],
    alignmentExtension: SKILL_ALIGNMENT_EXTENSION,
  };
  t.strictSame(put.json(), expected);
  t.strictSame((await call(s.app, 'GET', '/rules', s.allRead)).json(), expected);

  const custom = await call(s.app, 'PUT', '/rules', s.admin, {
    rules: [],
    tags: [],
    competencyTypes: ['https://types.example/competency'],
    alignmentExtension: 'https://ext.example/skills',
  });
  t.match(custom.json(), {
    generation: 2,
    competencyTypes: ['https://types.example/competency'],
    alignmentExtension: 'https://ext.example/skills',
  });
  t.match(await s.store.skillSettingsOf('s1').derivationSettings(), {
    generation: 2,
    rules: [],
    competencyTypes: ['https://types.example/competency'],
    alignmentExtension: 'https://ext.example/skills',
  });
  const reset = await call(s.app, 'PUT', '/rules', s.admin, {
    ...ruleSet,
    competencyTypes: null,
  });
  t.match(reset.json(), { generation: 3, competencyTypes: [COMPETENCY_ACTIVITY_TYPE] });
});

t.test('rules: errors name each problem; stale If-Match is 412; nothing changes', async (t) => {
  const s = await setup(t);
  await call(s.app, 'PUT', '/rules', s.admin, ruleSet);
  const invalid = await call(s.app, 'PUT', '/rules', s.admin, {
    rules: [{ skills: [{ skill: SQL, weight: 0 }] }],
    tags: [],
  });
  t.strictSame(
    invalid.json(),
    errorBody(
      400,
      'API_ERR_INVALID',
      'rules: rules[0] must have a condition (one of activityId, activityIdPrefix, activityType, verb, tag, platform); it matches nothing; ' +
        'rules[0].skills[0].weight must be a number in (0, 1]',
    ),
  );
  const missing = await call(s.app, 'PUT', '/rules', s.admin, { rules: [] });
  t.strictSame(
    missing.json(),
    errorBody(400, 'FST_ERR_VALIDATION', "body must have required property 'tags'"),
  );
  const typed = await call(s.app, 'PUT', '/rules', s.admin, {
    rules: [{ verb: 'https://v.example/x', skills: [{ skill: SQL, weight: '1' }] }],
    tags: [],
  });
  t.strictSame(
    typed.json(),
    errorBody(400, 'FST_ERR_VALIDATION', 'body/rules/0/skills/0/weight must be number'),
  );
  const stale = await call(s.app, 'PUT', '/rules', s.admin, ruleSet, { 'if-match': '"0"' });
  t.equal(stale.statusCode, 412);
  t.equal(stale.json<{ code: string }>().code, 'API_ERR_PRECONDITION_FAILED');
  const forbidden = await call(s.app, 'PUT', '/rules', s.cohort, ruleSet);
  t.equal(forbidden.statusCode, 403);
  t.equal((await s.store.skillSettingsOf('s1').current()).generation, 1);
  const other = await call(s.app, 'GET', '/rules', s.otherAdmin);
  t.match(other.json(), { generation: 0, rules: [] }, 'another store has its own rules');
});

t.test('verbs: the override and the effective table; PUT replaces the override', async (t) => {
  const s = await setup(t);
  const empty = await call(s.app, 'GET', '/verbs', s.all);
  t.equal(empty.headers['etag'], '"0"');
  t.strictSame(empty.json(), {
    generation: 0,
    override: {},
    effective: JSON.parse(JSON.stringify(mergeVerbTables(DEFAULT_VERB_TABLE, {}))) as unknown,
  });
  const override = {
    aliases: { 'https://tool.example/verbs/mentored': 'mentored' },
    concepts: {
      mentored: {
        source: 'social',
        kind: 'practice',
        outcome: 'none',
        credit: 'actor',
        weight: 0.4,
      },
      passed: { weight: 0.9 },
    },
  };
  const put = await call(s.app, 'PUT', '/verbs', s.admin, override);
  t.equal(put.statusCode, 200);
  t.equal(put.headers['etag'], '"1"');
  const body = put.json<{
    generation: number;
    override: unknown;
    effective: {
      aliases: Record<string, string>;
      concepts: Record<string, { weight: number }>;
    };
  }>();
  t.equal(body.generation, 1);
  t.strictSame(body.override, override);
  t.equal(body.effective.aliases['https://tool.example/verbs/mentored'], 'mentored');
  t.equal(body.effective.concepts['passed']?.weight, 0.9);
  t.equal(body.effective.aliases['http://adlnet.gov/expapi/verbs/passed'], 'passed');

  const replaced = await call(s.app, 'PUT', '/verbs', s.admin, { qaActivityTypes: [] });
  t.match(replaced.json(), { generation: 2, override: { qaActivityTypes: [] } });
  t.notOk(
    replaced.json<{ effective: { aliases: Record<string, string> } }>().effective.aliases[
      'https://tool.example/verbs/mentored'
    ],
    'the old override is gone',
  );
});

t.test('verbs: errors, 412, scopes', async (t) => {
  const s = await setup(t);
  const invalid = await call(s.app, 'PUT', '/verbs', s.admin, {
    aliases: { 'https://tool.example/x': 'nonsense' },
    concepts: { half: { weight: 0.5 } },
  });
  t.strictSame(
    invalid.json(),
    errorBody(
      400,
      'API_ERR_INVALID',
      'verb override: concepts.half is a new concept and needs every field; missing: source, kind, outcome, credit; ' +
        'aliases["https://tool.example/x"] names the unknown concept "nonsense"',
    ),
  );
  const badEnum = await call(s.app, 'PUT', '/verbs', s.admin, {
    concepts: { passed: { source: 'informal' } },
  });
  t.equal(badEnum.statusCode, 400);
  t.equal(badEnum.json<{ code: string }>().code, 'FST_ERR_VALIDATION');
  const stale = await call(s.app, 'PUT', '/verbs', s.admin, {}, { 'if-match': '"7"' });
  t.equal(stale.statusCode, 412);
  const forbidden = await call(s.app, 'PUT', '/verbs', s.allRead, {});
  t.equal(forbidden.statusCode, 403);
  const none = await call(s.app, 'GET', '/verbs', s.statementsRead);
  t.equal(none.json<{ code: string }>().code, 'API_ERR_FORBIDDEN');
  t.equal((await s.store.skillSettingsOf('s1').current()).generation, 0);
});

t.test('unknown verbs: the counts of the credential store', async (t) => {
  const s = await setup(t);
  await s.store.unknownVerbsOf('s1').count([
    { verb: 'https://tool.example/verbs/zapped', statementId: 'a' },
    { verb: 'https://tool.example/verbs/zapped', statementId: 'b' },
    { verb: 'https://tool.example/verbs/poked', statementId: 'c' },
  ]);
  await s.store.unknownVerbsOf('s2').count([{ verb: 'https://x.example/v', statementId: 'd' }]);
  const res = await call(s.app, 'GET', '/verbs/unknown', s.cohort);
  t.equal(res.statusCode, 200);
  t.strictSame(res.json(), {
    verbs: [
      { verb: 'https://tool.example/verbs/zapped', statements: 2, lastStatementId: 'b' },
      { verb: 'https://tool.example/verbs/poked', statements: 1, lastStatementId: 'c' },
    ],
  });
  const none = await call(s.app, 'GET', '/verbs/unknown', s.statementsRead);
  t.equal(none.statusCode, 403);
});
