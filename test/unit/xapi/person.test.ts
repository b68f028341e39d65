import fc from 'fast-check';
import t from 'tap';
import {
  agentsIn,
  canonicalJson,
  mboxSha1,
  normalisedIfi,
  personLookupKeys,
  personObject,
  validateStatement,
  type PersonFacts,
  type Statement,
} from '@cairn/xapi';

function valid(value: unknown): Statement {
  const result = validateStatement(value, '2.0.0');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const account = { homePage: 'https://lms.example.com', name: 'u-17' };
const sha1 = mboxSha1('mailto:ann@example.com');

t.test(
  'agentsIn: every Agent of the statement, members of groups, never the authority',
  async (t) => {
    const statement = valid({
      actor: {
        objectType: 'Group',
        name: 'Team A',
        mbox: 'mailto:team-a@example.com',
        member: [{ name: 'Ann', mbox: 'mailto:Ann@EXAMPLE.com' }, { account }],
      },
      verb: { id: 'http://adlnet.gov/expapi/verbs/planned' },
      object: {
        objectType: 'SubStatement',
        actor: { openid: 'https://id.example.com/bob', name: 'Bob' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/mentored' },
        object: { objectType: 'Agent', mbox_sha1sum: sha1.toUpperCase() },
      },
      context: {
        instructor: { mbox: 'mailto:carol@example.com', name: 'Carol' },
        contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:dan@example.com' } }],
      },
      authority: { account: { homePage: 'https://cairn-lrs.org/credentials', name: 'key' } },
    });
    t.same(agentsIn(statement), [
      {
        key: 'mbox::mailto:Ann@example.com',
        lookupKeys: ['mbox::mailto:Ann@example.com', `sha1::${mboxSha1('mailto:Ann@example.com')}`],
        ifi: { mbox: 'mailto:Ann@example.com' },
        name: 'Ann',
      },
      {
        key: `account::${account.homePage}::${account.name}`,
        lookupKeys: [`account::${account.homePage}::${account.name}`],
        ifi: { account },
      },
      {
        key: 'mbox::mailto:carol@example.com',
        lookupKeys: [
          'mbox::mailto:carol@example.com',
          `sha1::${mboxSha1('mailto:carol@example.com')}`,
        ],
        ifi: { mbox: 'mailto:carol@example.com' },
        name: 'Carol',
      },
      {
        key: 'mbox::mailto:dan@example.com',
        lookupKeys: ['mbox::mailto:dan@example.com', `sha1::${mboxSha1('mailto:dan@example.com')}`],
        ifi: { mbox: 'mailto:dan@example.com' },
      },
      {
        key: 'openid::https://id.example.com/bob',
        lookupKeys: ['openid::https://id.example.com/bob'],
        ifi: { openid: 'https://id.example.com/bob' },
        name: 'Bob',
      },
      { key: `sha1::${sha1}`, lookupKeys: [`sha1::${sha1}`], ifi: { mbox_sha1sum: sha1 } },
    ]);
  },
);

t.test('the lookup keys of an mbox include its SHA-1, so hash-only agents join', async (t) => {
  t.same(personLookupKeys({ mbox: 'mailto:ann@EXAMPLE.com' }), [
    'mbox::mailto:ann@example.com',
    `sha1::${sha1}`,
  ]);
  t.same(personLookupKeys({ mbox_sha1sum: sha1 }), [`sha1::${sha1}`]);
  t.same(personLookupKeys({ account }), [`account::${account.homePage}::${account.name}`]);
});

t.test('a Person for an agent nothing is known of holds only its identifier', async (t) => {
  t.same(personObject({ name: 'Zed', mbox: 'mailto:zed@Example.com' }, []), {
    objectType: 'Person',
    mbox: ['mailto:zed@example.com'],
  });
  t.same(personObject({ objectType: 'Agent', account }, []), {
    objectType: 'Person',
    account: [account],
  });
});

t.test('a Person combines identifiers and names, each once, sorted', async (t) => {
  const facts: PersonFacts[] = [
    { ifis: [{ mbox: 'mailto:ann@example.com' }], names: ['Ann', 'Ann B.'] },
    { ifis: [{ mbox_sha1sum: sha1.toUpperCase() }], names: ['Ann'] },
    { ifis: [{ account }, { openid: 'https://id.example.com/ann' }], names: [] },
    { ifis: [{ account: { ...account } }, { mbox: 'mailto:ann@EXAMPLE.com' }], names: ['A'] },
  ];
  t.same(personObject({ mbox_sha1sum: sha1 }, facts), {
    objectType: 'Person',
    name: ['A', 'Ann', 'Ann B.'],
    mbox: ['mailto:ann@example.com'],
    mbox_sha1sum: [sha1],
    openid: ['https://id.example.com/ann'],
    account: [account],
  });
});

t.test('property: a Person does not depend on the order of the facts', async (t) => {
  const ifi = fc.oneof(
    fc.constantFrom('a', 'b', 'B').map((l) => ({ mbox: `mailto:${l}@example.com` })),
    fc.constantFrom('x', 'y').map((name) => ({ account: { homePage: 'https://h', name } })),
    fc.constantFrom('https://o/1', 'https://o/2').map((openid) => ({ openid })),
  );
  const fact = fc.record({
    ifis: fc.array(ifi, { maxLength: 3 }),
    names: fc.array(fc.constantFrom('Ann', 'Bob', 'ann'), { maxLength: 2 }),
  });
  fc.assert(
    fc.property(
      fc
        .array(fact, { maxLength: 5 })
        .chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length })),
        ),
      ([list, shuffled]) => {
        const queried = { mbox: 'mailto:a@example.com' };
        return (
          canonicalJson(personObject(queried, list)) ===
          canonicalJson(personObject(queried, [...shuffled, ...shuffled]))
        );
      },
    ),
    { numRuns: 200 },
  );
  t.pass();
});

t.test('normalisedIfi refuses an object without identifier', async (t) => {
  t.throws(() => normalisedIfi({}), TypeError);
});
