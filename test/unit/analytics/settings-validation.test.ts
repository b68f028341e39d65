import t from 'tap';
import {
  DEFAULT_VERB_TABLE,
  mergeVerbTables,
  resolveVerb,
  validateFramework,
  validateRuleSettings,
  validateVerbOverride,
  type SkillFramework,
} from '@cairn/analytics';

const SKILL = 'https://skills.example/sql';
const PARENT = 'https://skills.example/data';
const ok = [{ skill: SKILL, weight: 1 }];

t.test('rules: a valid set has no problems', async (t) => {
  t.strictSame(
    validateRuleSettings({
      rules: [
        { id: 'sql', activityIdPrefix: 'https://lms.example/sql/', skills: ok },
        { platform: 'Slack', verb: 'http://adlnet.gov/expapi/verbs/commented', skills: ok },
      ],
      tags: [{ tag: 'https://tags.example/sql', skills: [{ skill: SKILL, weight: 0.25 }] }],
      competencyTypes: ['https://types.example/competency'],
      alignmentExtension: 'https://ext.example/skills',
    }),
    [],
  );
  t.strictSame(validateRuleSettings({ rules: [], tags: [], competencyTypes: null }), []);
});

t.test('rules: every problem with its path', async (t) => {
  t.strictSame(
    validateRuleSettings({
      rules: [
        { skills: ok },
        {
          id: 'a',
          activityId: 'not an iri',
          platform: ' ',
          skills: [
            { skill: SKILL, weight: 0 },
            { skill: 'sql', weight: 1.5 },
            { skill: SKILL, weight: 0.5 },
          ],
        },
        { id: 'a', activityType: 'https://types.example/x', skills: [] },
      ],
      tags: [
        { tag: 'https://tags.example/a', skills: ok },
        { tag: 'https://tags.example/a', skills: [{ skill: SKILL, weight: Number.NaN }] },
      ],
      competencyTypes: ['competency'],
      alignmentExtension: 'ext',
    }),
    [
      {
        path: 'rules[0]',
        message:
          'must have a condition (one of activityId, activityIdPrefix, activityType, verb, tag, platform); it matches nothing',
      },
      {
        path: 'rules[1].activityId',
        message: 'must be an absolute IRI (with a scheme, such as https:)',
      },
      { path: 'rules[1].platform', message: 'must not be empty' },
      { path: 'rules[1].skills[0].weight', message: 'must be a number in (0, 1]' },
      {
        path: 'rules[1].skills[1].skill',
        message: 'must be an absolute IRI (with a scheme, such as https:)',
      },
      { path: 'rules[1].skills[1].weight', message: 'must be a number in (0, 1]' },
      { path: 'rules[1].skills[2].skill', message: `names ${SKILL} a second time` },
      { path: 'rules[2].skills', message: 'must name at least one skill' },
      { path: 'rules[2].id', message: 'repeats the id of rules[1]' },
      { path: 'tags[1].skills[0].weight', message: 'must be a number in (0, 1]' },
      { path: 'tags[1].tag', message: 'repeats the tag of tags[0]' },
      {
        path: 'competencyTypes[0]',
        message: 'must be an absolute IRI (with a scheme, such as https:)',
      },
      {
        path: 'alignmentExtension',
        message: 'must be an absolute IRI (with a scheme, such as https:)',
      },
    ],
  );
});

t.test('verb override: aliases to known or new concepts, complete new concepts', async (t) => {
  t.strictSame(
    validateVerbOverride({
      aliases: {
        'https://tool.example/aced': 'passed',
        'https://tool.example/mentored': 'mentored',
      },
      concepts: {
        passed: { weight: 0.9 },
        mentored: {
          source: 'social',
          kind: 'practice',
          outcome: 'none',
          credit: 'actor',
          weight: 0.4,
        },
      },
      qaActivityTypes: ['https://types.example/thread'],
      videoActivityTypes: [],
    }),
    [],
  );
  t.strictSame(validateVerbOverride({}), []);
});

t.test('verb override: every problem with its path', async (t) => {
  t.strictSame(
    validateVerbOverride({
      aliases: { 'no-scheme': 'passed', 'https://tool.example/x': 'nonsense' },
      concepts: {
        passed: { weight: -1 },
        half: { source: 'social', weight: 101 },
        odd: { kind: 'sideways' as 'none' },
      },
      videoActivityTypes: ['video'],
    }),
    [
      { path: 'concepts.passed.weight', message: 'must be a number in [0, 100]' },
      { path: 'concepts.half.weight', message: 'must be a number in [0, 100]' },
      {
        path: 'concepts.half',
        message: 'is a new concept and needs every field; missing: kind, outcome, credit',
      },
      {
        path: 'concepts.odd.kind',
        message: 'must be one of outcome, practice, recognition, exposure, assertion, none',
      },
      {
        path: 'concepts.odd',
        message: 'is a new concept and needs every field; missing: source, outcome, credit, weight',
      },
      { path: 'aliases["no-scheme"]', message: 'the verb must be an absolute IRI' },
      {
        path: 'aliases["https://tool.example/x"]',
        message: 'names the unknown concept "nonsense"',
      },
      {
        path: 'videoActivityTypes[0]',
        message: 'must be an absolute IRI (with a scheme, such as https:)',
      },
    ],
  );
});

const framework = (skills: SkillFramework['skills']): SkillFramework => ({
  id: 'acme',
  name: 'Acme',
  skills,
});

t.test('framework: a tree of skills is valid', async (t) => {
  t.strictSame(
    validateFramework(
      framework([
        { iri: PARENT, name: 'Data' },
        { iri: SKILL, name: 'SQL', parent: PARENT, description: 'Queries.' },
      ]),
    ),
    [],
  );
});

t.test('framework: ids, names, IRIs, duplicates, missing parents, cycles', async (t) => {
  const a = 'https://skills.example/a';
  const b = 'https://skills.example/b';
  const c = 'https://skills.example/c';
  t.strictSame(
    validateFramework({
      id: '',
      name: ' ',
      skills: [
        { iri: 'sql', name: '' },
        { iri: PARENT, name: 'Data', parent: PARENT },
        { iri: PARENT, name: 'Again' },
        { iri: SKILL, name: 'SQL', parent: 'https://skills.example/missing' },
        { iri: a, name: 'A', parent: c },
        { iri: b, name: 'B', parent: a },
        { iri: c, name: 'C', parent: b },
      ],
    }),
    [
      { path: 'id', message: 'must not be empty' },
      { path: 'name', message: 'must not be empty' },
      {
        path: 'skills[0].iri',
        message: 'must be an absolute IRI (with a scheme, such as https:)',
      },
      { path: 'skills[0].name', message: 'must not be empty' },
      { path: 'skills[2].iri', message: 'repeats the skill of skills[1]' },
      { path: 'skills[1].parent', message: 'is the skill itself' },
      {
        path: 'skills[3].parent',
        message: 'is not a skill of this framework: https://skills.example/missing',
      },
      {
        path: 'skills[4].parent',
        message: `makes a cycle of parents: ${a} -> ${c} -> ${b} -> ${a}`,
      },
    ],
  );
});

t.test('framework: a chain that runs into a cycle reports the cycle once', async (t) => {
  const a = 'https://skills.example/a';
  const b = 'https://skills.example/b';
  const problems = validateFramework(
    framework([
      { iri: SKILL, name: 'SQL', parent: a },
      { iri: a, name: 'A', parent: b },
      { iri: b, name: 'B', parent: a },
    ]),
  );
  t.strictSame(problems, [
    { path: 'skills[1].parent', message: `makes a cycle of parents: ${a} -> ${b} -> ${a}` },
  ]);
});

t.test('a concept named like an Object.prototype property is new, not inherited', async (t) => {
  const problems = validateVerbOverride({
    aliases: { 'https://tool.example/x': 'constructor' },
    concepts: { constructor: { weight: 0.5 } },
  });
  t.match(problems, [{ path: 'concepts.constructor', message: /is a new concept and needs/ }]);
  const table = mergeVerbTables(DEFAULT_VERB_TABLE, {
    aliases: { 'https://tool.example/x': 'toString' },
  });
  const statement = {
    actor: { mbox: 'mailto:a@example.com' },
    verb: { id: 'https://tool.example/x' },
    object: { id: 'https://example.com/a' },
  };
  t.match(resolveVerb(statement, table), { status: 'unknown' }, 'reported, not silently dropped');
});
