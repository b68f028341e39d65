import t from 'tap';
import {
  DEFAULT_SKILL_SETTINGS,
  frameworkOfFile,
  importFrameworkFile,
  knownSkillsOf,
  withFramework,
  withoutFramework,
  type FrameworkFile,
  type SkillSettings,
} from '@cairn/store';

const SQL = 'https://skills.example/sql';
const DATA = 'https://skills.example/data';
const TAG = 'https://tags.example/sql';

const file: FrameworkFile = {
  id: 'acme',
  name: 'Acme',
  skills: [
    { id: DATA, name: 'Data', description: 'Data.' },
    { id: SQL, name: 'SQL', parent: DATA, description: 'SQL.' },
  ],
  rules: [{ activityIdPrefix: 'https://lms.example/sql/', skills: [{ skill: SQL, weight: 1 }] }],
  tags: [{ tag: TAG, name: 'sql', skills: [{ skill: SQL, weight: 0.5 }] }],
};

const analystRule = { verb: 'https://tool.example/v', skills: [{ skill: DATA, weight: 0.3 }] };
const before: SkillSettings = {
  ...DEFAULT_SKILL_SETTINGS,
  rules: [analystRule],
  tags: [
    { tag: TAG, skills: [{ skill: DATA, weight: 1 }] },
    { tag: 'https://tags.example/other', skills: [{ skill: DATA, weight: 1 }] },
  ],
};

t.test("a file's skills become the framework's, `id` as `iri`", async (t) => {
  t.strictSame(frameworkOfFile(file), {
    id: 'acme',
    name: 'Acme',
    skills: [
      { iri: DATA, name: 'Data', description: 'Data.' },
      { iri: SQL, name: 'SQL', description: 'SQL.', parent: DATA },
    ],
  });
});

t.test('merge: new rules added once, tags of the file replace the same tags', async (t) => {
  const once = importFrameworkFile(before, file, 'merge');
  t.strictSame(once.frameworks, [frameworkOfFile(file)]);
  t.strictSame(once.rules, [analystRule, ...(file.rules ?? [])]);
  t.strictSame(once.tags, [
    { tag: 'https://tags.example/other', skills: [{ skill: DATA, weight: 1 }] },
    ...(file.tags ?? []),
  ]);
  t.strictSame(importFrameworkFile(once, file, 'merge'), once, 'importing again changes nothing');
});

t.test("replace: the store's rules and tags become the file's; keep: only skills", async (t) => {
  const replaced = importFrameworkFile(before, file, 'replace');
  t.strictSame(replaced.rules, file.rules);
  t.strictSame(replaced.tags, file.tags);
  const kept = importFrameworkFile(before, file, 'keep');
  t.strictSame(kept, { ...before, frameworks: [frameworkOfFile(file)] });
  const noRules = importFrameworkFile(before, { id: 'x', name: 'X', skills: [] }, 'replace');
  t.strictSame([noRules.rules, noRules.tags], [[], []], 'a file without rules has none');
});

t.test('frameworks are replaced in place, removed, and their skills known once', async (t) => {
  const a = { id: 'a', name: 'A', skills: [{ iri: SQL, name: 'SQL' }] };
  const b = {
    id: 'b',
    name: 'B',
    skills: [
      { iri: DATA, name: 'Data' },
      { iri: SQL, name: 'SQL' },
    ],
  };
  const two = withFramework(withFramework(DEFAULT_SKILL_SETTINGS, a), b);
  const renamed = withFramework(two, { ...a, name: 'A2' });
  t.strictSame(
    renamed.frameworks.map((f) => f.name),
    ['A2', 'B'],
  );
  t.strictSame(knownSkillsOf(renamed.frameworks), [DATA, SQL]);
  t.strictSame(withoutFramework(renamed, 'a').frameworks, [b]);
  t.equal(knownSkillsOf([]), null);
});
