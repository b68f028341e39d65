import fc from 'fast-check';
import t from 'tap';
import {
  canonicalJson,
  definitionsIn,
  mergeDefinitions,
  validateStatement,
  type ActivityDefinition,
  type DefinitionSighting,
  type Statement,
} from '@cairn/xapi';

function valid(value: unknown): Statement {
  const result = validateStatement(value, '2.0.0');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const at = (definition: ActivityDefinition, first: string, last = first): DefinitionSighting => ({
  definition,
  first,
  last,
});

t.test('definitionsIn finds every defined activity of a statement', async (t) => {
  const statement = valid({
    actor: { mbox: 'mailto:ann@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/planned' },
    object: {
      objectType: 'SubStatement',
      actor: { mbox: 'mailto:ann@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: { id: 'https://example.com/sub', definition: { name: { en: 'Sub' } } },
      context: { contextActivities: { parent: { id: 'https://example.com/sub-parent' } } },
    },
    context: {
      contextActivities: {
        parent: { id: 'https://example.com/course', definition: { type: 'https://t/course' } },
        grouping: [
          { id: 'https://example.com/program', definition: { name: { en: 'Program' } } },
          { id: 'https://example.com/empty', definition: {} },
        ],
      },
    },
  });
  t.same(definitionsIn(statement), [
    { activityId: 'https://example.com/course', definition: { type: 'https://t/course' } },
    { activityId: 'https://example.com/program', definition: { name: { en: 'Program' } } },
    { activityId: 'https://example.com/sub', definition: { name: { en: 'Sub' } } },
  ]);
  t.same(
    definitionsIn(
      valid({
        ...statement,
        object: { objectType: 'StatementRef', id: '0b6f7f0e-0000-4000-8000-000000000001' },
      }),
    ),
    definitionsIn(valid({ ...statement, object: { id: 'https://example.com/bare' } })),
    'objects that are not defined activities carry nothing',
  );
});

t.test('language maps are merged language by language, the latest text winning', async (t) => {
  const merged = mergeDefinitions([
    at({ name: { 'en-US': 'Safety', fr: 'Sécurité' }, description: { en: 'Old' } }, 's1'),
    at({ name: { 'en-us': 'Safety 101' }, description: { de: 'Neu' } }, 's2'),
  ]);
  t.same(merged, {
    name: { 'en-us': 'Safety 101', fr: 'Sécurité' },
    description: { de: 'Neu', en: 'Old' },
  });
});

t.test('type, moreInfo and each extension: the latest that has one', async (t) => {
  const merged = mergeDefinitions([
    at(
      {
        type: 'https://t/old',
        moreInfo: 'https://info/1',
        extensions: { 'https://x.example/a': 1, 'https://x.example/b': { deep: true } },
      },
      's3',
    ),
    at({ type: 'https://t/new', extensions: { 'https://x.example/a': null } }, 's4'),
    at({ type: 'https://t/oldest' }, 's1'),
  ]);
  t.same(merged, {
    type: 'https://t/new',
    moreInfo: 'https://info/1',
    extensions: { 'https://x.example/a': null, 'https://x.example/b': { deep: true } },
  });
});

t.test('interaction properties come whole from the earliest definition', async (t) => {
  const first: ActivityDefinition = {
    interactionType: 'choice',
    correctResponsesPattern: ['a'],
    choices: [{ id: 'a', description: { en: 'A' } }, { id: 'b' }],
  };
  const merged = mergeDefinitions([
    at({ name: { en: 'Q2' }, interactionType: 'choice', correctResponsesPattern: ['b'] }, 's5'),
    at({ name: { en: 'Q1' }, ...first }, 's2', 's9'),
    at({ interactionType: 'true-false' }, 's3'),
  ]);
  t.same(merged, { name: { en: 'Q1' }, ...first }, 'a later change of the answer is ignored');
});

t.test('nothing defined: undefined', async (t) => {
  t.equal(mergeDefinitions([]), undefined);
  t.equal(mergeDefinitions([at({}, 's1')]), undefined);
});

t.test('equal stamps are decided by content, not by input order', async (t) => {
  const a = at({ name: { en: 'A' }, type: 'https://t/a' }, 's1');
  const b = at({ name: { en: 'B' }, type: 'https://t/b' }, 's1');
  t.same(mergeDefinitions([a, b]), mergeDefinitions([b, a]));
});

// Small alphabets so that sightings collide on languages, keys and stamps.
const languageMap = fc.dictionary(
  fc.constantFrom('en', 'EN', 'fr', 'de-CH', 'de-ch'),
  fc.string(),
  {
    maxKeys: 3,
  },
);
const definition: fc.Arbitrary<ActivityDefinition> = fc.record(
  {
    name: languageMap,
    description: languageMap,
    type: fc.constantFrom('https://t/a', 'https://t/b'),
    interactionType: fc.constantFrom('choice' as const, 'numeric' as const),
    correctResponsesPattern: fc.array(fc.constantFrom('a', 'b', '1:2'), { maxLength: 2 }),
    extensions: fc.dictionary(
      fc.constantFrom('https://x.example/a', 'https://x.example/b'),
      fc.jsonValue(),
      {
        maxKeys: 2,
      },
    ),
  },
  { requiredKeys: [] },
);
const stamp = fc.constantFrom('s1', 's2', 's3', 's4');
const sighting: fc.Arbitrary<DefinitionSighting> = fc
  .tuple(definition, stamp, stamp)
  .map(([d, x, y]) => at(d, x < y ? x : y, x < y ? y : x));

const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

t.test('property: the merge depends on the set of sightings only', async (t) => {
  fc.assert(
    fc.property(
      fc
        .array(sighting, { maxLength: 6 })
        .chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
      fc.nat(),
      ([list, shuffled], repeat) => {
        const once = mergeDefinitions(list);
        const again = [...list, ...list.slice(0, repeat % (list.length + 1))];
        // Order-independent, and idempotent: repeating sightings changes nothing.
        return same(mergeDefinitions(shuffled), once) && same(mergeDefinitions(again), once);
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

t.test('property: each language keeps a text of its latest sighting', async (t) => {
  const textsOf = (s: DefinitionSighting, tag: string): string[] =>
    Object.entries(s.definition.name ?? {})
      .filter(([k]) => k.toLowerCase() === tag.toLowerCase())
      .map(([, v]) => v);
  fc.assert(
    fc.property(fc.array(sighting, { minLength: 1, maxLength: 6 }), (list) => {
      const merged = mergeDefinitions(list)?.name ?? {};
      const languages = new Set(
        list.flatMap((s) => Object.keys(s.definition.name ?? {}).map((k) => k.toLowerCase())),
      );
      if (Object.keys(merged).length !== languages.size) return false;
      return Object.entries(merged).every(([tag, text]) => {
        const having = list.filter((s) => textsOf(s, tag).length > 0);
        const latest = having
          .map((s) => s.last)
          .sort()
          .at(-1);
        return having.some((s) => s.last === latest && textsOf(s, tag).includes(text));
      });
    }),
    { numRuns: 300 },
  );
  t.pass();
});
