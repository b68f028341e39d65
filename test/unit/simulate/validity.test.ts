import t from 'tap';
import { validateStatement } from '@cairn/xapi';
import { KNOWN_VERB_IDS, resolveSkills, VERB_CONCEPTS } from '@cairn/simulate';
import { HIGH_RATES, run } from './generate-run.js';
import { recount } from './recount.js';

t.test('statements meant to be valid pass the strict validator; invalid ones fail', async (t) => {
  const { world, lines, summary } = run({ people: 30, days: 21, messRates: HIGH_RATES });
  const counted = recount(lines, world.framework);
  t.ok(summary.mess.invalid > 0);
  t.equal(counted.rejected.length, summary.mess.invalid);
  const reasons = Object.values(summary.invalidReasons).reduce((a, b) => a + b, 0);
  t.equal(reasons, summary.mess.invalid, 'every invalid statement has a reason');
  // And in 2.0.0 too, for the valid ones.
  const notIn2 = counted.valid.filter((s) => !validateStatement(s, '2.0.0').ok);
  t.same(notIn2, [], 'the valid ones are valid in 2.0.0 as well');
});

t.test('statements name skills in each of the ways A to E', async (t) => {
  const { world, lines } = run({ people: 40, days: 28, mess: new Set() });
  const counted = recount(lines, world.framework);
  const ways = new Set<string>();
  for (const statement of counted.valid) {
    for (const skill of resolveSkills(statement, world.framework)) ways.add(skill.way);
  }
  t.same([...ways].sort(), ['A', 'B', 'C', 'D', 'E']);
});

t.test('social statements use several aliases for one verb and name their tool', async (t) => {
  const { lines } = run({ people: 20, days: 14, mess: new Set() });
  const byConcept = new Map<string, Set<string>>();
  const homePages = new Map<string, Set<string>>();
  const unknown: string[] = [];
  for (const text of lines) {
    const s = JSON.parse(text) as {
      verb: { id: string };
      actor: { account?: { homePage: string } };
      context?: { platform?: string };
    };
    if (!KNOWN_VERB_IDS.has(s.verb.id)) unknown.push(s.verb.id);
    const concept = VERB_CONCEPTS[s.verb.id] ?? '';
    byConcept.set(concept, (byConcept.get(concept) ?? new Set()).add(s.verb.id));
    if (s.actor.account !== undefined) {
      const platform = s.context?.platform ?? '(none)';
      homePages.set(platform, (homePages.get(platform) ?? new Set()).add(s.actor.account.homePage));
    }
  }
  t.same(unknown, [], 'without mess, every verb is known');
  for (const concept of ['posted', 'liked', 'shared', 'replied']) {
    t.ok((byConcept.get(concept)?.size ?? 0) >= 2, `${concept} has aliases`);
  }
  for (const [platform, pages] of homePages) {
    if (platform === '(none)') continue;
    t.equal(pages.size, 1, `${platform}: accounts of one home page`);
  }
  t.same([...homePages.keys()].filter((p) => p !== '(none)').sort(), [
    'Confluence',
    'Discourse',
    'Microsoft Teams',
    'Slack',
  ]);
});

t.test('likes and up-votes credit the author of the content', async (t) => {
  const { lines } = run({ people: 20, days: 14, mess: new Set() });
  const authors = new Map<string, string>();
  let credited = 0;
  const uncredited: string[] = [];
  const misattributed: string[] = [];
  for (const text of lines) {
    const s = JSON.parse(text) as {
      verb: { id: string };
      actor: { account?: { name: string } };
      object: { id: string };
      context?: { extensions?: Record<string, { account?: { name: string } }> };
    };
    const concept = VERB_CONCEPTS[s.verb.id];
    if (concept === 'posted' || concept === 'edited' || concept === 'answered') {
      if (s.actor.account !== undefined) authors.set(s.object.id, s.actor.account.name);
    }
    const byWhom = s.context?.extensions?.['https://w3id.org/xapi/acrossx/extensions/by-whom'];
    if (concept === 'liked' || concept === 'upvoted' || concept === 'downvoted') {
      if (byWhom?.account === undefined) uncredited.push(text);
      const author = authors.get(s.object.id);
      // Wiki pages are credited to their latest editor, and later edits change who that is.
      if (author !== undefined && concept !== 'liked' && byWhom?.account?.name !== author) {
        misattributed.push(text);
      }
      credited++;
    }
  }
  t.ok(credited > 0);
  t.same(uncredited, [], 'every like and vote names the author');
  t.same(misattributed, [], 'the author named is the one who wrote the content');
});
