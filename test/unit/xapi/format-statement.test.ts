import t from 'tap';
import { formatStatement, pickLanguage, validateStatement, type Statement } from '@cairn/xapi';

function valid(value: unknown): Statement {
  const result = validateStatement(value, '1.0.3');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const s = valid({
  id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
  actor: {
    objectType: 'Group',
    name: 'Anonymous team',
    member: [
      { name: 'A', mbox: 'mailto:a@example.com' },
      { objectType: 'Agent', name: 'B', openid: 'https://o/b' },
    ],
  },
  verb: { id: 'urn:v:answered', display: { 'en-US': 'answered', fr: 'a répondu' } },
  object: {
    id: 'urn:act:q',
    definition: {
      name: { 'en-GB': 'Question', 'fr-FR': 'Question (fr)' },
      interactionType: 'choice',
      choices: [{ id: 'a', description: { en: 'Yes', fr: 'Oui' } }],
    },
  },
  context: {
    instructor: { name: 'T', account: { homePage: 'https://lms', name: 't' } },
    contextActivities: {
      parent: [
        { objectType: 'Activity', id: 'urn:act:test', definition: { name: { en: 'Test' } } },
      ],
    },
  },
  result: { success: true },
});

t.test('exact returns the statement as stored', async (t) => {
  t.equal(formatStatement(s, 'exact', ['fr']), s);
});

t.test('ids keeps only identifiers', async (t) => {
  t.same(formatStatement(s, 'ids', []), {
    id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
    actor: {
      objectType: 'Group',
      member: [{ mbox: 'mailto:a@example.com' }, { objectType: 'Agent', openid: 'https://o/b' }],
    },
    verb: { id: 'urn:v:answered' },
    object: { id: 'urn:act:q' },
    context: {
      instructor: { account: { homePage: 'https://lms', name: 't' } },
      contextActivities: { parent: [{ id: 'urn:act:test' }] },
    },
    result: { success: true },
  });
  const identified = valid({
    ...s,
    actor: {
      objectType: 'Group',
      name: 'G',
      mbox: 'mailto:g@example.com',
      member: [{ mbox: 'mailto:a@example.com' }],
    },
  });
  t.same(formatStatement(identified, 'ids', []).actor, {
    objectType: 'Group',
    mbox: 'mailto:g@example.com',
  });
});

t.test('canonical keeps one language per map, chosen by Accept-Language', async (t) => {
  const fr = formatStatement(s, 'canonical', ['fr', 'en']);
  t.same(fr.verb.display, { fr: 'a répondu' });
  t.same(fr.object, {
    id: 'urn:act:q',
    definition: {
      name: { 'fr-FR': 'Question (fr)' },
      interactionType: 'choice',
      choices: [{ id: 'a', description: { fr: 'Oui' } }],
    },
  });
  t.same(fr.actor, s.actor, 'agents as in exact');
  const fallback = formatStatement(s, 'canonical', ['de']);
  t.same(fallback.verb.display, { 'en-US': 'answered' }, 'falls back to the first entry');
});

t.test("canonical uses the LRS's definition of an activity where it has one", async (t) => {
  const definitions = new Map([['urn:act:test', { name: { en: 'The test', fr: 'Le test' } }]]);
  const out = formatStatement(s, 'canonical', ['fr'], definitions);
  t.same(out.context?.contextActivities?.parent, [
    { objectType: 'Activity', id: 'urn:act:test', definition: { name: { fr: 'Le test' } } },
  ]);
  t.same(
    out.object,
    formatStatement(s, 'canonical', ['fr']).object,
    'an activity without one keeps its own',
  );
  t.same(formatStatement(s, 'ids', [], definitions), formatStatement(s, 'ids'), 'ids ignores them');
});

t.test('pickLanguage follows RFC 2616 language-range matching', async (t) => {
  const map = { 'en-US': 'color', 'en-GB': 'colour', de: 'Farbe' };
  t.same(pickLanguage(map, ['en-gb']), { 'en-GB': 'colour' });
  t.same(pickLanguage(map, ['en']), { 'en-US': 'color' });
  t.same(pickLanguage(map, ['fr', 'de']), { de: 'Farbe' });
  t.same(pickLanguage(map, ['*']), { 'en-US': 'color' });
  t.same(pickLanguage({}, ['en']), {});
});
