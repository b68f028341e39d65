import { contentMess, unalignedActivity, type Line } from './content-mess.js';
import { Delivery } from './delivery.js';
import { formalLearning } from './formal-learning.js';
import { buildFramework, type Framework } from './framework.js';
import { buildOrganisation, type Organisation } from './organisation.js';
import { dayStart, type SimulationOptions } from './options.js';
import { Rng } from './random.js';
import { socialLearning } from './social-learning.js';
import { socialState } from './social-state.js';
import { indexCatalogue, type DayContext, type Draft } from './statement-factory.js';
import type { Summary, Tally } from './summary.js';
import { buildTruth, type Truth } from './truth.js';

/** The parts of a run that do not depend on the statements: small, built at once. */
export interface World {
  readonly options: SimulationOptions;
  readonly framework: Framework;
  readonly organisation: Organisation;
  readonly truth: Truth;
}

/** The organisation, framework and latent truth of a run. */
export function buildWorld(options: SimulationOptions): World {
  const root = new Rng(options.seed);
  const framework = buildFramework(root.fork('framework'));
  const organisation = buildOrganisation(root.fork('organisation'), options);
  return { options, framework, organisation, truth: buildTruth(organisation, options) };
}

/** Less happens at weekends. */
const weekdayActivity = (start: number): number => {
  const weekday = new Date(start).getUTCDay();
  return weekday === 0 || weekday === 6 ? 0.1 : 1;
};

/** Stable sort by time: statements of one session keep their order when times tie. */
const byTime = (a: Line, b: Line): number => a.time - b.time;

/**
 * A run's statements, one JSON text per line, in delivery order. Generated a day at a time, so
 * memory stays flat however long the run; each day draws from a random stream of its own. The
 * tally is complete when the generator is exhausted.
 */
export function* statementLines(world: World, tally: Tally): Generator<string> {
  const { options, framework, organisation } = world;
  const root = new Rng(options.seed);
  const catalogue = indexCatalogue(framework);
  const people = new Map(organisation.people.map((p) => [p.id, p]));
  const social = socialState();
  const delivery = new Delivery(options, tally);
  let carried: Line[] = [];
  for (let day = 0; day < options.days; day++) {
    const start = dayStart(options, day);
    const rng = root.fork(`day/${day}`);
    const ctx: DayContext = {
      rng,
      day,
      dayStart: start,
      activity: weekdayActivity(start),
      options,
      framework,
      catalogue,
      organisation,
      people,
      social,
    };
    const drafts: Draft[] = [];
    for (const person of organisation.people) {
      formalLearning(ctx, person, drafts);
      socialLearning(ctx, person, drafts);
      const unaligned = unalignedActivity(ctx, person);
      if (unaligned !== undefined) drafts.push(unaligned);
    }
    const outcome = contentMess(ctx, drafts, tally);
    delivery.holdLate(outcome.late);
    const lines = [...carried, ...outcome.lines].sort(byTime);
    carried = outcome.tomorrow;
    for (const line of delivery.deliver(rng.fork('delivery'), day, lines)) {
      yield JSON.stringify(line.statement);
    }
  }
  for (const line of delivery.finish()) yield JSON.stringify(line.statement);
}

/** The summary of a run whose lines have all been generated with `tally`. */
export function summarise(world: World, tally: Tally): Summary {
  return tally.summary(world.options, {
    departments: world.organisation.departments.length,
    teams: world.organisation.teams.length,
    skills: world.framework.skills.length,
    activities: world.framework.activities.length,
    growingPeople: world.truth.growing.length,
  });
}
