import t from 'tap';
import {
  COMPETENCY_ACTIVITY_TYPE,
  DEFAULT_VERB_TABLE,
  derivationOf,
  SKILL_ALIGNMENT_EXTENSION,
  statementEvidence,
  type DerivationSettings,
} from '@cairn/analytics';
import {
  ALIGNMENT,
  competency,
  course,
  OTHER_SKILL,
  SKILL,
  statement,
} from './statement-fixtures.js';

const PASSED = 'http://adlnet.gov/expapi/verbs/passed';
const NOTHING: DerivationSettings = {
  generation: 0,
  rules: [],
  tags: [],
  competencyTypes: null,
  alignmentExtension: null,
  knownSkills: null,
  verbs: {},
};

t.test('a store that changed nothing derives with the defaults', async (t) => {
  const d = derivationOf(NOTHING);
  t.equal(d.generation, 0);
  t.strictSame(d.verbs, {
    aliases: DEFAULT_VERB_TABLE.aliases,
    concepts: DEFAULT_VERB_TABLE.concepts,
    qaActivityTypes: DEFAULT_VERB_TABLE.qaActivityTypes,
    videoActivityTypes: DEFAULT_VERB_TABLE.videoActivityTypes,
  });
  t.strictSame(d.rules, {
    rules: [],
    tags: [],
    competencyTypes: [COMPETENCY_ACTIVITY_TYPE],
    alignmentExtension: SKILL_ALIGNMENT_EXTENSION,
  });
  t.equal(d.rules.knownSkills, undefined, 'no framework: every skill a statement names counts');
});

t.test("a store's settings: verbs merged over the defaults, its rules, its skills", async (t) => {
  const settings: DerivationSettings = {
    generation: 7,
    rules: [{ activityIdPrefix: 'https://lms.example/', skills: [{ skill: SKILL, weight: 0.5 }] }],
    tags: [{ tag: 'https://tags.example/sql', skills: [{ skill: SKILL, weight: 1 }] }],
    competencyTypes: ['https://types.example/competency'],
    alignmentExtension: 'https://ext.example/skills',
    knownSkills: [SKILL],
    verbs: {
      aliases: { 'https://tool.example/verbs/aced': 'passed' },
      concepts: { passed: { weight: 0.9 } },
      videoActivityTypes: ['https://types.example/video'],
    },
  };
  const d = derivationOf(settings);
  t.equal(d.generation, 7);
  t.equal(d.verbs.aliases['https://tool.example/verbs/aced'], 'passed');
  t.equal(d.verbs.aliases[PASSED], 'passed', 'the default aliases stay');
  t.strictSame(d.verbs.concepts['passed'], {
    ...DEFAULT_VERB_TABLE.concepts['passed'],
    weight: 0.9,
  });
  t.strictSame(d.verbs.videoActivityTypes, ['https://types.example/video']);
  t.strictSame(d.verbs.qaActivityTypes, DEFAULT_VERB_TABLE.qaActivityTypes);
  t.equal(d.rules.rules, settings.rules);
  t.equal(d.rules.tags, settings.tags);
  t.strictSame(d.rules.competencyTypes, ['https://types.example/competency']);
  t.equal(d.rules.alignmentExtension, 'https://ext.example/skills');
  t.strictSame(d.rules.knownSkills, new Set([SKILL]));
});

t.test('the derivation is what statementEvidence uses: known skills filter ways A-C', async (t) => {
  const d = derivationOf({ ...NOTHING, knownSkills: [SKILL] });
  const s = statement(PASSED, {
    object: course({ [ALIGNMENT]: [SKILL, OTHER_SKILL] }),
    context: { contextActivities: { grouping: [competency('https://skills.example/unknown')] } },
  });
  const result = statementEvidence({ store: 's', statement: s, verbs: d.verbs, rules: d.rules });
  if (result.type !== 'evidence') throw new Error('expected evidence');
  t.strictSame(
    result.rows.map((r) => r.skill),
    [SKILL],
  );
  t.strictSame(result.explanation.alignment.unknownSkills, [
    OTHER_SKILL,
    'https://skills.example/unknown',
  ]);
  const open = derivationOf(NOTHING);
  const all = statementEvidence({ store: 's', statement: s, verbs: open.verbs, rules: open.rules });
  if (all.type !== 'evidence') throw new Error('expected evidence');
  t.equal(all.rows.length, 3, 'without a framework every named skill is evidence');
});
