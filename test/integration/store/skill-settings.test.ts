// The versioned skill settings of a store (derivation-settings.ts), against the real server.
import t from 'tap';
import {
  COLLECTIONS,
  DEFAULT_SKILL_SETTINGS,
  SKILL_SETTINGS_HISTORY,
  withFramework,
  type SkillSettings,
} from '@cairn/store';
import { testResources } from '../../helpers/test-resources.js';

const NOW = new Date('2026-03-02T09:30:00.000Z');
const SQL = 'https://skills.example/sql';
const DATA = 'https://skills.example/data';
const ALIAS = 'https://tool.example/verbs/aced';

const framework = (id: string, skills: string[]) => ({
  id,
  name: id,
  skills: skills.map((iri) => ({ iri, name: iri })),
});

t.test('a store that changed nothing: generation 0 and the defaults', async (t) => {
  const { store, mongo } = await testResources(t);
  const repo = store.skillSettingsOf('s1');
  t.strictSame(await repo.current(), {
    generation: 0,
    changedAt: null,
    settings: DEFAULT_SKILL_SETTINGS,
  });
  t.strictSame(await repo.derivationSettings(), {
    generation: 0,
    rules: [],
    tags: [],
    competencyTypes: null,
    alignmentExtension: null,
    knownSkills: null,
    verbs: {},
  });
  t.strictSame(await repo.at(0), {
    generation: 0,
    changedAt: null,
    settings: DEFAULT_SKILL_SETTINGS,
  });
  t.equal(await repo.at(1), null);
  t.equal(await mongo.db.collection(COLLECTIONS.skillSettings).countDocuments(), 0);
});

t.test('each change is the next generation; IRIs as keys survive; stores are apart', async (t) => {
  const { store, mongo } = await testResources(t);
  const repo = store.skillSettingsOf('s1');
  const first = await repo.change(
    (current) => ({
      ...withFramework(current.settings, framework('a', [SQL, DATA])),
      verbs: { aliases: { [ALIAS]: 'passed' }, concepts: { passed: { weight: 0.9 } } },
    }),
    NOW,
  );
  t.equal(first.generation, 1);
  t.same(first.changedAt, NOW);
  const second = await repo.change(
    (current) => ({
      ...withFramework(current.settings, framework('b', [SQL])),
      rules: [{ activityIdPrefix: 'https://lms.example/', skills: [{ skill: SQL, weight: 0.5 }] }],
      competencyTypes: ['https://types.example/competency'],
    }),
    NOW,
  );
  t.equal(second.generation, 2);
  t.strictSame(await repo.current(), second);
  t.strictSame(await repo.at(1), first);
  t.strictSame(await repo.derivationSettings(), {
    generation: 2,
    rules: [{ activityIdPrefix: 'https://lms.example/', skills: [{ skill: SQL, weight: 0.5 }] }],
    tags: [],
    competencyTypes: ['https://types.example/competency'],
    alignmentExtension: null,
    knownSkills: [DATA, SQL],
    verbs: { aliases: { [ALIAS]: 'passed' }, concepts: { passed: { weight: 0.9 } } },
  });
  t.equal((await store.skillSettingsOf('s2').current()).generation, 0, 'scoped by store');
  const doc = await mongo.db.collection(COLLECTIONS.skillSettings).findOne({ generation: 1 });
  t.equal(typeof doc?.['json'], 'string', 'stored as JSON: verb IRIs are keys with dots');
});

t.test('a refusal or no change writes nothing', async (t) => {
  const { store } = await testResources(t);
  const repo = store.skillSettingsOf('s1');
  await t.rejects(
    repo.change(() => {
      throw new Error('refused');
    }, NOW),
    { message: 'refused' },
  );
  const same = await repo.change(() => null, NOW);
  t.equal(same.generation, 0);
  t.equal((await repo.current()).generation, 0);
});

t.test('concurrent changes: none is lost (losers of a generation are asked again)', async (t) => {
  const { store } = await testResources(t);
  const repo = store.skillSettingsOf('s1');
  const versions = await Promise.all(
    ['a', 'b', 'c', 'd'].map((id) =>
      repo.change((current) => {
        return withFramework(current.settings, framework(id, [`${SQL}/${id}`]));
      }, NOW),
    ),
  );
  t.strictSame(versions.map((v) => v.generation).sort(), [1, 2, 3, 4]);
  const current = await repo.current();
  t.equal(current.generation, 4);
  t.strictSame(current.settings.frameworks.map((f) => f.id).sort(), ['a', 'b', 'c', 'd']);
});

t.test('concurrent writers expecting one generation: exactly one wins', async (t) => {
  const { store } = await testResources(t);
  const repo = store.skillSettingsOf('s1');
  const expecting = (id: string) =>
    repo.change((current): SkillSettings => {
      if (current.generation !== 0) throw new Error('stale');
      return withFramework(current.settings, framework(id, [SQL]));
    }, NOW);
  const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map(expecting));
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  t.equal(results.filter((r) => r.status === 'rejected').length, 4);
  t.equal((await repo.current()).settings.frameworks.length, 1);
});

t.test(
  `old versions are pruned, the last ${SKILL_SETTINGS_HISTORY} and the latest kept`,
  async (t) => {
    const { store, mongo } = await testResources(t);
    const repo = store.skillSettingsOf('s1');
    const total = SKILL_SETTINGS_HISTORY + 5;
    for (let i = 1; i <= total; i++) {
      await repo.change(
        (c) => ({ ...c.settings, alignmentExtension: `https://ext.example/${i}` }),
        NOW,
      );
    }
    t.equal(await repo.at(total - SKILL_SETTINGS_HISTORY - 1), null);
    t.equal(
      (await repo.at(total - SKILL_SETTINGS_HISTORY))?.generation,
      total - SKILL_SETTINGS_HISTORY,
    );
    t.equal(
      await mongo.db.collection(COLLECTIONS.skillSettings).countDocuments({ storeId: 's1' }),
      SKILL_SETTINGS_HISTORY + 1,
    );
    t.equal((await repo.current()).settings.alignmentExtension, `https://ext.example/${total}`);
  },
);
