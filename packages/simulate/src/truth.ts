import { masteryOn, thetaOn, type GrowthPattern } from './latent-skill.js';
import { dayDate, type SimulationOptions } from './options.js';
import type { Organisation } from './organisation.js';

/** A change of mastery over the run at least this large counts as growth. */
export const GROWTH_THRESHOLD = 0.05;

/** The truth about one person and skill. */
export interface SkillTruth {
  readonly skill: string;
  /** Theta on the first day and its change per week until `plateauWeek`. */
  readonly theta0: number;
  readonly thetaPerWeek: number;
  readonly plateauWeek: number;
  /** Mastery (chance of success on an average item) in the middle of each week. */
  readonly weekly: readonly number[];
  /** Mastery on the last day minus mastery on the first. */
  readonly growth: number;
  readonly growing: boolean;
}

/** The truth about one person. */
export interface PersonTruth {
  readonly id: string;
  readonly pattern: GrowthPattern;
  /** The team on the first day (the team effects come from it). */
  readonly team: string;
  readonly skills: readonly SkillTruth[];
  /** Mean growth over the person's skills. */
  readonly growth: number;
  readonly growing: boolean;
}

/** The truth about one team, over its first-day members. */
export interface TeamTruth {
  readonly id: string;
  readonly levelEffect: number;
  readonly growthEffect: number;
  readonly members: number;
  readonly meanGrowth: number;
  readonly growingShare: number;
}

/** truth.json: what an analytics pipeline should find in the statements. */
export interface Truth {
  readonly start: string;
  readonly days: number;
  /** The first day of each week of the run. */
  readonly weeks: readonly string[];
  readonly growthThreshold: number;
  readonly people: readonly PersonTruth[];
  readonly teams: readonly TeamTruth[];
  /** Ids of the people who are growing. */
  readonly growing: readonly string[];
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;
const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;

/** The latent truth behind a run: weekly mastery per person and skill, and who is growing. */
export function buildTruth(organisation: Organisation, options: SimulationOptions): Truth {
  const weekCount = Math.ceil(options.days / 7);
  const last = options.days - 1;
  const people = organisation.people.map((person): PersonTruth => {
    const skills = person.trajectories.map((t): SkillTruth => {
      const growth = round(masteryOn(t, last) - masteryOn(t, 0));
      return {
        skill: t.skill,
        theta0: round(thetaOn(t, 0)),
        thetaPerWeek: round(t.slopePerDay * 7),
        plateauWeek: round(t.plateauDay / 7, 2),
        weekly: Array.from({ length: weekCount }, (_, w) =>
          round(masteryOn(t, Math.min(w * 7 + 3, last))),
        ),
        growth,
        growing: growth >= GROWTH_THRESHOLD,
      };
    });
    const growth = round(mean(skills.map((s) => s.growth)));
    return {
      id: person.id,
      pattern: person.pattern,
      team: person.memberships[0]?.team ?? '',
      skills,
      growth,
      growing: growth >= GROWTH_THRESHOLD,
    };
  });
  const teams = organisation.teams.map((team): TeamTruth => {
    const members = people.filter((p) => p.team === team.id);
    return {
      id: team.id,
      levelEffect: team.levelEffect,
      growthEffect: team.growthEffect,
      members: members.length,
      meanGrowth: round(mean(members.map((m) => m.growth))),
      growingShare: round(mean(members.map((m) => (m.growing ? 1 : 0)))),
    };
  });
  return {
    start: options.start,
    days: options.days,
    weeks: Array.from({ length: weekCount }, (_, w) => dayDate(options, w * 7)),
    growthThreshold: GROWTH_THRESHOLD,
    people,
    teams,
    growing: people.filter((p) => p.growing).map((p) => p.id),
  };
}
