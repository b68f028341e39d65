// What an erasure does with each statement (workers/aggregator/src/erasure-plan.ts) and what a
// redaction does to a statement's evidence: a redacted statement gives exactly the rows it gave
// before, less those of the erased person, whoever is erased, with the counterpart the redacted
// statement gives them (counterpartOfRow: what an erasure stores) (a fast-check property).
import t from 'tap';
import fc from 'fast-check';
import { counterpartOfRow } from '@cairn/analytics';
import { erasurePlanner, isOwnStatement, type ErasedKeys } from '@cairn/aggregator';
import {
  agentLookupKeysOf,
  ERASED_AGENT,
  mboxSha1,
  redactAgents,
  type Agent,
  type Statement,
} from '@cairn/xapi';
import { BY_WHOM, evidence, rowsOf, statement } from '../analytics/statement-fixtures.js';

const ADL = 'http://adlnet.gov/expapi/verbs/';
const LIKED = 'https://w3id.org/xapi/acrossx/verbs/liked';
const ann: Agent = { objectType: 'Agent', name: 'Ann', mbox: 'mailto:ann@example.com' };
const annHashed: Agent = { mbox_sha1sum: mboxSha1('mailto:ann@example.com') };
const bob: Agent = { account: { homePage: 'https://forum.example', name: 'bob' } };
const cy: Agent = { openid: 'https://id.example/cy' };
const PEOPLE = [ann, bob, cy];

/** The erased keys of `agents`: their lookup keys (an mbox with its SHA-1's). */
function erasing(...agents: Agent[]): ErasedKeys {
  const keys = new Set(agents.flatMap((a) => agentLookupKeysOf(a)));
  return (lookup) => lookup.some((k) => keys.has(k));
}

const withId = (s: Statement, n: number): Statement => ({
  ...s,
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
});

t.test("a person's own statements are deleted, others naming them redacted", async (t) => {
  const erased = erasing(ann);
  const planner = erasurePlanner(erased);
  const own = withId(statement(`${ADL}passed`, { actor: ann }), 1);
  const group = withId(
    { ...statement(`${ADL}passed`), actor: { objectType: 'Group', member: [ann, bob] } },
    2,
  );
  const onlyAnn = withId(
    { ...statement(`${ADL}passed`), actor: { objectType: 'Group', member: [ann] } },
    3,
  );
  const likedAnn = withId(
    statement(LIKED, { actor: bob, context: { extensions: { [BY_WHOM]: ann } } }),
    4,
  );
  const taught = withId(statement(`${ADL}passed`, { actor: bob, context: { instructor: ann } }), 5);
  const unrelated = withId(statement(`${ADL}passed`, { actor: bob }), 6);
  t.equal(planner.add('1', own), 'delete');
  t.equal(planner.add('2', group), 'redact', 'a Group with others is theirs too');
  t.equal(planner.add('3', onlyAnn), 'delete', 'an anonymous Group of her alone is hers');
  t.equal(planner.add('4', likedAnn), 'redact');
  t.equal(planner.add('5', taught), 'redact');
  t.equal(planner.add('6', unrelated), 'keep');
  t.strictSame(planner.plan(), { deleted: ['1', '3'], redacted: ['2', '4', '5'] });
  t.ok(
    isOwnStatement(
      statement(`${ADL}passed`, { actor: { mbox: 'mailto:ann@EXAMPLE.com' } }),
      erased,
    ),
    'the domain of an mbox in any case',
  );
});

t.test('her void of her own statement goes; her void of a kept statement stays', async (t) => {
  const planner = erasurePlanner(erasing(ann));
  const voids = (n: number, target: string): Statement =>
    withId(
      {
        actor: ann,
        verb: { id: `${ADL}voided` },
        object: { objectType: 'StatementRef', id: target },
      },
      n,
    );
  planner.add('own', withId(statement(`${ADL}passed`, { actor: ann }), 1));
  planner.add('bobs', withId(statement(`${ADL}passed`, { actor: bob }), 2));
  planner.add('void-own', voids(3, 'own'));
  planner.add('void-bobs', voids(4, 'bobs'));
  t.strictSame(planner.plan(), { deleted: ['own', 'void-own'], redacted: ['void-bobs'] });
});

t.test(
  'redaction replaces the person wherever they stand, with an Agent that credits nobody',
  async (t) => {
    const s = statement(LIKED, {
      actor: bob,
      context: {
        instructor: annHashed,
        team: { objectType: 'Group', member: [ann, cy] },
        extensions: { [BY_WHOM]: ann },
      },
    });
    const { value, replaced } = redactAgents(s, erasing(ann));
    t.equal(replaced, 3, 'the instructor by hash, the team member and the author');
    t.strictSame(value.context?.instructor, ERASED_AGENT);
    t.strictSame(value.context?.extensions?.[BY_WHOM], ERASED_AGENT);
    t.strictSame(rowsOf(evidence(value)), [], 'the like credits nobody now');
    t.notOk(JSON.stringify(value).includes('ann@'), 'no trace of her');
  },
);

t.test(
  'property: a redacted statement gives its rows less the erased person’s, none helping them',
  async (t) => {
    const agent = fc.constantFrom(...PEOPLE);
    const arbitrary = fc.record({
      // A like credits the author and helps the actor; a comment credits the actor and helps the
      // author: either way the erased person may be the one helped (the row's counterpart).
      verb: fc.constantFrom(`${ADL}passed`, `${ADL}completed`, LIKED, `${ADL}commented`),
      actor: fc.oneof(
        agent,
        fc
          .uniqueArray(agent, { minLength: 1, maxLength: 3 })
          .map((member) => ({ objectType: 'Group' as const, member })),
      ),
      author: agent,
      instructor: fc.option(agent, { nil: undefined }),
      erased: agent,
    });
    fc.assert(
      fc.property(arbitrary, ({ verb, actor, author, instructor, erased }) => {
        const s: Statement = {
          ...statement(verb, {
            context: {
              ...(instructor === undefined ? {} : { instructor }),
              extensions: { [BY_WHOM]: author },
            },
          }),
          actor,
        };
        const isErased = erasing(erased);
        const erasedKey = agentLookupKeysOf(erased)[0];
        const redacted = redactAgents(s, isErased).value;
        // Others' rows stay; their counterpart is what the redacted statement gives them (the
        // erased person is nobody's counterpart any more; a Group of two is now one person).
        const before = rowsOf(evidence(s))
          .filter((r) => r.subject !== erasedKey)
          .map((r) => ({ ...r, counterpart: counterpartOfRow(r, redacted) }));
        if (before.some((r) => r.counterpart === erasedKey)) return false;
        const after = rowsOf(evidence(redacted));
        return JSON.stringify(after) === JSON.stringify(before);
      }),
    );
    t.pass('held for every generated case');
  },
);
