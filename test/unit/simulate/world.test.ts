import t from 'tap';
import {
  buildDirectory,
  directoryCsv,
  GROWTH_PATTERNS,
  parseMessList,
  simulationOptions,
  teamOn,
} from '@cairn/simulate';
import { mboxSha1 } from '@cairn/xapi';
import { run } from './generate-run.js';

t.test('truth: weekly mastery per person and skill, growth as the patterns say', async (t) => {
  const { world } = run({ people: 60, days: 120, seed: 4, mess: new Set() });
  const { truth } = world;
  t.equal(truth.weeks.length, Math.ceil(120 / 7));
  t.equal(truth.weeks[0], '2025-01-06');
  const patterns = new Set(truth.people.map((p) => p.pattern));
  t.same([...patterns].sort(), [...GROWTH_PATTERNS].sort(), 'every pattern occurs');
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const growthOf = (pattern: string): number =>
    mean(truth.people.filter((p) => p.pattern === pattern).map((p) => p.growth));
  t.ok(growthOf('growing') > growthOf('steady'), 'growers grow more than the steady');
  t.ok(growthOf('declining') < 0, 'decliners decline');
  const startOf = (pattern: string): number =>
    mean(truth.people.filter((p) => p.pattern === pattern).map((p) => p.skills[0]?.weekly[0] ?? 0));
  t.ok(startOf('starts-high') > startOf('growing'), 'some start high');
  for (const person of truth.people) {
    for (const skill of person.skills) t.equal(skill.weekly.length, truth.weeks.length);
  }
  t.same(
    truth.growing,
    truth.people.filter((p) => p.growing).map((p) => p.id),
  );
  t.ok(new Set(truth.teams.map((team) => team.meanGrowth)).size > 1, 'teams differ');
});

t.test('directory: every actor of the statements is a known identifier', async (t) => {
  const { world, lines } = run({ people: 30, days: 30, seed: 2, mess: new Set() });
  const directory = buildDirectory(world.organisation, world.options);
  const known = new Set<string>();
  for (const person of directory.people) {
    for (const id of person.identifiers) {
      if (id.kind === 'mbox') {
        known.add(`mbox::${id.value}`);
        known.add(`sha1::${mboxSha1(id.value)}`);
      } else {
        known.add(`account::${id.homePage}::${id.name}`);
      }
    }
  }
  const unknown = new Set<string>();
  for (const text of lines) {
    const { actor } = JSON.parse(text) as {
      actor: { mbox?: string; mbox_sha1sum?: string; account?: { homePage: string; name: string } };
    };
    const key =
      actor.mbox !== undefined
        ? `mbox::${actor.mbox}`
        : actor.mbox_sha1sum !== undefined
          ? `sha1::${actor.mbox_sha1sum}`
          : `account::${actor.account?.homePage}::${actor.account?.name}`;
    if (!known.has(key)) unknown.add(key);
  }
  t.same(
    [...unknown],
    ['account::https://lms.acme.example::admin'].filter((k) => unknown.has(k)),
  );
  const twoInOneTool = directory.people.filter((p) => {
    const pages = p.identifiers.flatMap((i) => (i.kind === 'account' ? [i.homePage] : []));
    return new Set(pages).size < pages.length;
  });
  t.ok(twoInOneTool.length > 0, 'some people have two accounts in one tool');
  const managers = new Set(directory.people.flatMap((p) => (p.manager ? [p.manager] : [])));
  t.ok(managers.size >= world.organisation.teams.length - 1, 'teams have managers');
  for (const id of managers) t.ok(directory.people.some((p) => p.id === id));
});

t.test('directory.csv: one row per person and membership, with effective dates', async (t) => {
  const options = simulationOptions({ people: 80, days: 60, seed: 11 });
  const { world } = run(options);
  const csv = directoryCsv(world.organisation, options).trimEnd().split('\n');
  const memberships = world.organisation.people.reduce((n, p) => n + p.memberships.length, 0);
  t.equal(csv.length, 1 + memberships);
  t.match(
    csv[0],
    /^person_id,name,email,department,team,manager_id,valid_from,valid_to,account:https:\/\/acme\.slack\.com/,
  );
  const movers = world.organisation.people.filter((p) => p.memberships.length > 1);
  t.ok(movers.length > 0, 'some people change teams');
  const mover = movers[0];
  if (mover !== undefined) {
    const moveDay = mover.memberships[1]?.from ?? 0;
    t.not(teamOn(mover, moveDay - 1), teamOn(mover, moveDay));
  }
});

t.test('options are checked', async (t) => {
  t.throws(() => simulationOptions({ people: 0 }), /people/);
  t.throws(() => simulationOptions({ days: 1.5 }), /days/);
  t.throws(() => simulationOptions({ seed: Number.NaN }), /seed/);
  t.throws(() => simulationOptions({ start: '2025-1-1' }), /start/);
  t.throws(
    () => simulationOptions({ messRates: { ...simulationOptions().messRates, invalid: 2 } }),
    /rate/,
  );
  t.same([...parseMessList('none')], []);
  t.equal(parseMessList('all').size, 9);
  t.same([...parseMessList(' retries , invalid ')], ['retries', 'invalid']);
});
