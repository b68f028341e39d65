import t from 'tap';
import {
  DEFAULT_VERB_TABLE,
  EMPTY_RULE_SET,
  mergeVerbTables,
  resolveAlignment,
  resolveVerb,
  type AlignmentRuleSet,
} from '@cairn/analytics';
import {
  ALIGNMENT,
  OTHER_SKILL,
  SKILL,
  competency,
  course,
  evidence,
  rowsOf,
  statement,
} from './statement-fixtures.js';

const ADL = 'http://adlnet.gov/expapi/verbs/';
const TAG = 'https://lms.example/tags/sql';
const plain = course({});

const ways = (s: ReturnType<typeof statement>, rules: AlignmentRuleSet = EMPTY_RULE_SET) =>
  resolveAlignment(s, rules).skills.map((a) => ({
    skill: a.skill,
    weight: a.weight,
    ways: a.reasons.map((r) => r.way),
  }));

t.test('way A: the object is a competency, asserted by its verb', async (t) => {
  const s = statement(`${ADL}mastered`, { object: competency(SKILL) });
  t.same(ways(s), [{ skill: SKILL, weight: 1, ways: ['A'] }]);
  t.match(rowsOf(evidence(s)), [{ kind: 'assertion', role: 'subject', yUnits: 1000 }]);
});

t.test('way B: a competency in grouping, category or other', async (t) => {
  for (const list of ['grouping', 'category', 'other'] as const) {
    const s = statement(`${ADL}completed`, {
      object: plain,
      context: { contextActivities: { [list]: [competency(SKILL)] } },
    });
    t.same(ways(s), [{ skill: SKILL, weight: 1, ways: ['B'] }], list);
  }
  const parent = statement(`${ADL}completed`, {
    object: plain,
    context: { contextActivities: { parent: [competency(SKILL)] } },
  });
  t.same(ways(parent), [], 'a parent is not a way');
});

t.test('way C: the alignment extension, bare or weighted', async (t) => {
  t.same(ways(statement(`${ADL}completed`, { object: course({ [ALIGNMENT]: SKILL }) })), [
    { skill: SKILL, weight: 1, ways: ['C'] },
  ]);
  const weighted = course({
    [ALIGNMENT]: [
      { skill: SKILL, weight: 0.7 },
      { skill: OTHER_SKILL, weight: 0.3 },
      { skill: 'https://skills.example/bad', weight: -1 },
      { skill: 'https://skills.example/big', weight: 7 },
      42,
    ],
  });
  t.same(ways(statement(`${ADL}completed`, { object: weighted })), [
    { skill: 'https://skills.example/big', weight: 1, ways: ['C'] },
    { skill: SKILL, weight: 0.7, ways: ['C'] },
    { skill: OTHER_SKILL, weight: 0.3, ways: ['C'] },
  ]);
});

t.test('way D: rules on id, prefix, type, verb, tag and platform; all conditions must hold', async (t) => {
  const rule = (r: object) => ({ ...EMPTY_RULE_SET, rules: [{ ...r, skills: [{ skill: SKILL, weight: 0.5 }] }] });
  const s = statement(`${ADL}completed`, {
    object: plain,
    context: { platform: 'Acme LMS', contextActivities: { category: [{ id: TAG }] } },
  });
  const matching = [
    { activityId: plain.id },
    { activityIdPrefix: 'https://lms.example/courses/' },
    { activityType: 'http://adlnet.gov/expapi/activities/lesson' },
    { verb: `${ADL}completed` },
    { tag: TAG },
    { platform: 'Acme LMS' },
    { platform: 'Acme LMS', activityIdPrefix: 'https://lms.example/' },
  ];
  for (const r of matching) t.same(ways(s, rule(r)), [{ skill: SKILL, weight: 0.5, ways: ['D'] }], JSON.stringify(r));
  const failing = [
    { activityId: 'https://lms.example/courses' },
    { activityIdPrefix: 'https://other.example/' },
    { verb: `${ADL}passed` },
    { platform: 'Slack' },
    { platform: 'Acme LMS', tag: 'https://lms.example/tags/other' },
    {},
  ];
  for (const r of failing) t.same(ways(s, rule(r)), [], JSON.stringify(r));
  t.match(resolveAlignment(s, { ...rule({ platform: 'Acme LMS' }), rules: [{ id: 'lms', platform: 'Acme LMS', skills: [{ skill: SKILL, weight: 1 }] }] }).skills, [
    { reasons: [{ detail: 'rule lms (platform=Acme LMS)' }] },
  ]);
}); // prettier-ignore

t.test('way E: a tag in category that the store maps to skills', async (t) => {
  const rules = {
    ...EMPTY_RULE_SET,
    tags: [{ tag: TAG, skills: [{ skill: SKILL, weight: 0.8 }] }],
  };
  const inCategory = statement(`${ADL}completed`, {
    object: plain,
    context: { contextActivities: { category: [{ id: TAG }] } },
  });
  t.same(ways(inCategory, rules), [{ skill: SKILL, weight: 0.8, ways: ['E'] }]);
  const inGrouping = statement(`${ADL}completed`, {
    object: plain,
    context: { contextActivities: { grouping: [{ id: TAG }] } },
  });
  t.same(ways(inGrouping, rules), []);
});

t.test('several ways to one skill: the largest weight, every reason kept', async (t) => {
  const rules = {
    ...EMPTY_RULE_SET,
    rules: [{ activityIdPrefix: 'https://lms.example/', skills: [{ skill: SKILL, weight: 0.4 }] }],
    tags: [{ tag: TAG, skills: [{ skill: SKILL, weight: 0.9 }] }],
  };
  const s = statement(`${ADL}completed`, {
    object: course({ [ALIGNMENT]: [{ skill: SKILL, weight: 0.5 }] }),
    context: { contextActivities: { category: [{ id: TAG }], other: [competency(OTHER_SKILL)] } },
  });
  t.same(ways(s, rules), [
    { skill: SKILL, weight: 0.9, ways: ['C', 'D', 'E'] },
    { skill: OTHER_SKILL, weight: 1, ways: ['B'] },
  ]);
});

t.test('skills a statement names itself must be known when the store lists them', async (t) => {
  const rules = { ...EMPTY_RULE_SET, knownSkills: new Set([SKILL]) };
  const s = statement(`${ADL}completed`, { object: course({ [ALIGNMENT]: [SKILL, OTHER_SKILL] }) });
  const result = resolveAlignment(s, rules);
  t.same(
    result.skills.map((a) => a.skill),
    [SKILL],
  );
  t.same(result.unknownSkills, [OTHER_SKILL]);
});

t.test('a store override is merged over the default verb table', async (t) => {
  const table = mergeVerbTables(DEFAULT_VERB_TABLE, {
    aliases: { 'https://acme.slack.com/xapi/verbs/reacted-with-emoji': 'liked' },
    concepts: { completed: { weight: 0.6 }, incomplete: { weight: 1 } },
  });
  const reacted = resolveVerb(statement('https://acme.slack.com/xapi/verbs/reacted-with-emoji'), table);
  t.match(reacted, { status: 'known', concept: 'liked' });
  t.match(resolveVerb(statement(`${ADL}completed`), table), { meaning: { weight: 0.6, kind: 'practice' } });
  t.equal(table.concepts['incomplete'], undefined, 'a half-defined new concept is ignored');
  t.match(resolveVerb(statement(`${ADL}completed`), DEFAULT_VERB_TABLE), { meaning: { weight: 0.3 } });
  t.match(resolveVerb(statement('https://x.example/v'), table), { status: 'unknown' });
}); // prettier-ignore
