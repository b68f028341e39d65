import type { WindowPosterior } from './growth-measures.js';
import type { GrowthTest } from './person-skill-measures.js';

/** Something to rank: a skill (of a person or a cohort) or a cohort, with its growth test. */
export interface GrowthCandidate {
  readonly id: string;
  readonly growth: GrowthTest;
}

/** One ranked entry: the figures and the inputs of the "growing" test, for a report to show. */
export interface RankedGrowth {
  /** 1 for the first. */
  readonly rank: number;
  readonly id: string;
  readonly delta: number;
  readonly z: number;
  readonly growing: boolean;
  readonly test: {
    readonly periodDays: number;
    /** growing = z > threshold and both windows' evidence >= nMin. */
    readonly threshold: number;
    readonly nMin: number;
    readonly recent: WindowPosterior;
    readonly prior: WindowPosterior;
  };
}

/**
 * Ranks by growth: those the test calls growing first, then by z (the strength of the evidence
 * for growth), then by delta, then by id. The order is total, so it does not depend on the order
 * of the input: the same figures always rank the same way.
 */
export function rankGrowth(candidates: readonly GrowthCandidate[]): RankedGrowth[] {
  return [...candidates]
    .sort(
      (x, y) =>
        Number(y.growth.growing) - Number(x.growth.growing) ||
        y.growth.z - x.growth.z ||
        y.growth.delta - x.growth.delta ||
        (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
    )
    .map(({ id, growth }, i) => ({
      rank: i + 1,
      id,
      delta: growth.delta,
      z: growth.z,
      growing: growth.growing,
      test: {
        periodDays: growth.periodDays,
        threshold: growth.threshold,
        nMin: growth.nMin,
        recent: growth.recent,
        prior: growth.prior,
      },
    }));
}
