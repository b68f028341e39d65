// People and identity in packages/store (docs/identity.md), against the real server: every
// identifier key has exactly one person, merges and splits are audited and crash-safe, and
// person-level sums are the sums of the person's identifier buckets, exactly.
import t from 'tap';
import {
  COLLECTIONS,
  identifierGroup,
  importDirectory,
  type IdentityActor,
  type PeopleRepository,
  type SkillDayKey,
  type SkillDayTotals,
  type Store,
} from '@cairn/store';
import { mboxSha1 } from '@cairn/xapi';
import { testResources } from '../../helpers/test-resources.js';

const ACTOR: IdentityActor = { credential: 'key-1', label: 'test admin' };
const ANN = 'mbox::mailto:ann@example.com';
const ANN_SHA1 = `sha1::${mboxSha1('mailto:ann@example.com')}`;
const ANN_SLACK = 'account::https://slack.example::U1';
const BOB = 'mbox::mailto:bob@example.com';
const BOB_SHA1 = `sha1::${mboxSha1('mailto:bob@example.com')}`;
const SKILL = 'https://skills.example/sql';

const sighting = (key: string, names: string[] = []) => {
  const lookupKeys = identifierGroup(key);
  const ifi = key.startsWith('mbox::')
    ? { mbox: key.slice(6) }
    : key.startsWith('sha1::')
      ? { mbox_sha1sum: key.slice(6) }
      : { account: { homePage: 'https://slack.example', name: key.split('::')[2] ?? '' } };
  return { key, lookupKeys, ifi, names };
};

async function personOf(people: PeopleRepository, key: string): Promise<string> {
  const id = (await people.resolve([key])).get(key);
  if (id === undefined) throw new Error(`no person for ${key}`);
  return id;
}

const totals = (n: bigint): SkillDayTotals => ({
  statements: n,
  events: 2n * n,
  w: 1_000_000n * n,
  wy: 700_000n * n,
  wy2: 490_000n * n,
  wout: 1_000_000n * n,
});

let op = 0;
async function addBucket(store: Store, storeId: string, subject: string, day: string, n: bigint) {
  const key: SkillDayKey = { subject, skill: SKILL, day, source: 'formal', kind: 'outcome' };
  await store.skillDaysOf(storeId).addOnce(key, totals(n), `test-${++op}`);
}

/** The person's summed statements per day, as plain numbers for comparison. */
async function sums(people: PeopleRepository, personId: string): Promise<Record<string, string>> {
  const days = (await people.personSkillDays(personId)) ?? [];
  return Object.fromEntries(days.map((d) => [d.day, d.totals.statements.toString()]));
}

t.test('an mbox and its hash are one person, whichever comes first', async (t) => {
  const { store } = await testResources(t);
  const first = store.peopleOf('s1');
  await first.record([sighting(ANN_SHA1, ['Hidden Ann'])]);
  await first.record([sighting(ANN, ['Ann']), sighting(ANN_SLACK)]);
  const ann = await personOf(first, ANN);
  t.equal(await personOf(first, ANN_SHA1), ann, 'the hash seen first, then the mbox');
  t.not(await personOf(first, ANN_SLACK), ann, 'never joined by anything but an IFI');

  const other = store.peopleOf('s2');
  await other.record([sighting(ANN)]);
  await other.record([sighting(ANN_SHA1)]);
  t.equal(await personOf(other, ANN_SHA1), await personOf(other, ANN), 'the mbox first');
  t.same((await first.get(ann))?.names, ['Ann', 'Hidden Ann']);

  // Concurrent first sightings of the address and of its hash still make one person.
  const racing = store.peopleOf('s3');
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => racing.record([sighting(i % 2 === 0 ? BOB : BOB_SHA1)])),
  );
  t.equal(await personOf(racing, BOB_SHA1), await personOf(racing, BOB));
  t.equal((await racing.list({ limit: 10 })).people.length, 1);
});

t.test(
  'merge and split: audited, an mbox moves with its hash, errors name the value',
  async (t) => {
    const { store } = await testResources(t);
    const people = store.peopleOf('s1');
    await people.record([sighting(ANN), sighting(ANN_SLACK), sighting(BOB)]);
    const [ann, slack, bob] = await Promise.all([
      personOf(people, ANN),
      personOf(people, ANN_SLACK),
      personOf(people, BOB),
    ]);

    const merged = await people.merge([ann, slack], ACTOR);
    t.match(merged, {
      kind: 'merge',
      source: 'api',
      state: 'done',
      actor: ACTOR,
      plan: { from: [slack], to: ann },
      before: [
        { personId: ann, identifiers: [ANN, ANN_SHA1] },
        { personId: slack, identifiers: [ANN_SLACK] },
      ],
      after: [{ personId: ann, identifiers: [ANN_SLACK, ANN, ANN_SHA1].sort() }],
    });
    t.equal(await people.get(slack), null, 'the merged-away person is gone');
    t.same(
      (await people.audit(slack)).map((c) => c.id),
      [merged.id],
      'but keeps its trail',
    );

    // Splitting the hash moves the mbox with it: they are one unit.
    const split = await people.split(ann, [ANN_SHA1], ACTOR);
    t.same(split.plan.identifiers, [ANN, ANN_SHA1]);
    t.same((await people.get(split.plan.to))?.identifiers, [ANN, ANN_SHA1]);
    t.same((await people.get(ann))?.identifiers, [ANN_SLACK]);
    t.same(
      (await people.audit(ann)).map((c) => c.kind),
      ['split', 'merge'],
      'latest first',
    );

    const errorOf = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (error) {
        const { code, message, statusCode } = error as Record<string, unknown>;
        return { code, message, statusCode };
      }
      throw new Error('expected an error');
    };
    const nobody = 'f'.repeat(64);
    t.same(await errorOf(people.merge([bob, nobody], ACTOR)), {
      code: 'PEOPLE_ERR_NOT_FOUND',
      message: `no person ${nobody}`,
      statusCode: 404,
    });
    t.same(await errorOf(people.merge([bob, bob], ACTOR)), {
      code: 'PEOPLE_ERR_INVALID',
      message: 'a merge needs at least two different people',
      statusCode: 400,
    });
    t.same(await errorOf(people.split(bob, [BOB], ACTOR)), {
      code: 'PEOPLE_ERR_INVALID',
      message: `a split must leave person ${bob} at least one identifier; it would move all of them (${[BOB, BOB_SHA1].sort().join(', ')})`,
      statusCode: 400,
    });
    t.same(await errorOf(people.split(bob, [ANN_SLACK], ACTOR)), {
      code: 'PEOPLE_ERR_INVALID',
      message: `${ANN_SLACK} is not an identifier of person ${bob}`,
      statusCode: 400,
    });
    t.same(await errorOf(people.split(bob, ['bob'], ACTOR)), {
      code: 'PEOPLE_ERR_INVALID',
      message: '"bob" is not an identifier key',
      statusCode: 400,
    });
    t.same((await people.audit(bob)).length, 0, 'refused changes leave no trail');
  },
);

t.test(
  'merge then split restores the person-level sums exactly; mid-stream rows count',
  async (t) => {
    const { store } = await testResources(t);
    const people = store.peopleOf('s1');
    await people.record([sighting(ANN), sighting(ANN_SLACK), sighting(BOB)]);
    const [ann, slack] = await Promise.all([personOf(people, ANN), personOf(people, ANN_SLACK)]);
    await addBucket(store, 's1', ANN, '2024-03-01', 3n);
    await addBucket(store, 's1', ANN_SHA1, '2024-03-01', 1n);
    await addBucket(store, 's1', ANN_SLACK, '2024-03-01', 5n);
    await addBucket(store, 's1', ANN_SLACK, '2024-03-02', 7n);
    await addBucket(store, 's1', BOB, '2024-03-01', 11n);
    const annBefore = await sums(people, ann);
    const slackBefore = await sums(people, slack);
    t.same(annBefore, { '2024-03-01': '4' }, 'the hash-only source counts for the mbox person');
    t.same(slackBefore, { '2024-03-01': '5', '2024-03-02': '7' });

    const merged = await people.merge([ann, slack], ACTOR);
    t.same(await sums(people, ann), { '2024-03-01': '9', '2024-03-02': '7' });
    // Rows aggregated after the merge, under either identifier, count for the merged person.
    await addBucket(store, 's1', ANN_SLACK, '2024-03-02', 2n);
    await addBucket(store, 's1', ANN, '2024-03-03', 1n);
    t.same(await sums(people, ann), { '2024-03-01': '9', '2024-03-02': '9', '2024-03-03': '1' });
    t.same(
      (
        await people.personSkillDays(ann, { from: '2024-03-02', to: '2024-03-02', skill: SKILL })
      )?.map((d) => d.totals),
      [totals(9n)],
      'a range of days and one skill',
    );
    t.same(await people.personSkillDays(ann, { skill: 'https://skills.example/other' }), []);

    const split = await people.split(merged.plan.to, [ANN_SLACK], ACTOR);
    t.same(await sums(people, ann), { '2024-03-01': '4', '2024-03-03': '1' });
    t.same(await sums(people, split.plan.to), { '2024-03-01': '5', '2024-03-02': '9' });
    t.equal(await people.personSkillDays('0'.repeat(64)), null);
  },
);

t.test('a change whose writer died is finished by the next one; a live one is a 409', async (t) => {
  const { store, mongo } = await testResources(t);
  const people = store.peopleOf('s1');
  await people.record([sighting(ANN), sighting(ANN_SLACK), sighting(BOB)]);
  const [ann, slack, bob] = await Promise.all([
    personOf(people, ANN),
    personOf(people, ANN_SLACK),
    personOf(people, BOB),
  ]);
  // What a writer that died after writing its intent leaves: a pending record and its lock.
  await mongo.db.collection(COLLECTIONS.peopleAudit).insertOne({
    _id: 's1|dead-change' as never,
    storeId: 's1',
    id: 'dead-change',
    kind: 'merge',
    source: 'api',
    state: 'pending',
    actor: ACTOR,
    at: new Date(0),
    plan: { from: [slack], to: ann },
    personIds: [ann, slack].sort(),
    before: [
      { personId: ann, identifiers: [ANN, ANN_SHA1] },
      { personId: slack, identifiers: [ANN_SLACK] },
    ],
  });
  const locks = mongo.db.collection<{ _id: string; holder: string; since: Date }>(
    COLLECTIONS.peopleLocks,
  );
  await locks.insertOne({ _id: 's1', holder: 'alive', since: new Date() });
  t.match(
    await people.merge([bob, ann], ACTOR).catch((e: unknown) => e),
    { code: 'PEOPLE_ERR_BUSY', statusCode: 409 },
    'a fresh lock: someone is at work',
  );
  t.equal(await personOf(people, ANN_SLACK), slack, 'nothing changed');

  await locks.updateOne({ _id: 's1' }, { $set: { since: new Date(0) } });
  const change = await people.merge([bob, ann], ACTOR);
  t.equal(await personOf(people, ANN_SLACK), bob, 'the dead merge was finished, then this one');
  t.match(await people.audit(slack), [{ id: 'dead-change', state: 'done' }]);
  t.same((await people.audit(bob))[0]?.id, change.id);
  t.equal(await locks.countDocuments(), 0, 'the lock is released');
});

t.test('directory import: merges identifiers, stores memberships, twice is once', async (t) => {
  const { store } = await testResources(t);
  const people = store.peopleOf('s1');
  const memberships = store.membershipsOf('s1');
  await people.record([sighting(ANN_SLACK), sighting(ANN_SHA1), sighting(BOB)]);
  const directory = {
    people: [
      {
        id: 'e1',
        name: 'Ann',
        identifiers: [ANN, ANN_SLACK],
        identifierPeriods: [{ key: ANN_SLACK, from: '2024-01-01' }],
        periods: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
      },
      {
        id: 'e2',
        name: 'Bob',
        manager: 'e1',
        identifiers: [BOB],
        identifierPeriods: [],
        periods: [{ team: 't1', department: 'd1', from: '2024-01-01', to: '2024-02-01' }],
      },
    ],
  };
  const first = await importDirectory(people, memberships, directory, ACTOR);
  t.equal(first.people, 2);
  t.equal(first.merges.length, 1);
  t.equal(first.memberships, 2);
  const ann = await personOf(people, ANN);
  t.same((await people.get(ann))?.identifiers, [ANN_SLACK, ANN, ANN_SHA1].sort());
  t.match(await people.audit(ann), [{ kind: 'merge', source: 'directory', actor: ACTOR }]);
  t.match(await memberships.ofIdentifiers([ANN_SLACK]), [
    { directoryId: 'e1', identifiers: [ANN_SLACK, ANN, ANN_SHA1].sort() },
  ]);

  const again = await importDirectory(people, memberships, directory, ACTOR);
  t.same(again, { people: 2, merges: [], memberships: 0 }, 'importing twice changes nothing');
  t.equal((await people.audit(ann)).length, 1);

  // A later file that gives Ann's account to Bob would join their people: refused, naming both.
  const moved = {
    people: [{ ...directory.people[1]!, identifiers: [BOB, ANN_SLACK] }],
  };
  t.match(await importDirectory(people, memberships, moved, ACTOR).catch((e: unknown) => e), {
    code: 'DIRECTORY_ERR_CONFLICT',
    statusCode: 409,
    message: `directory person e2 lists ${ANN_SLACK}, but directory person e1 already has it; split that person first or correct the directory`,
  });
  t.not(await personOf(people, BOB), ann, 'nothing was merged');
});
