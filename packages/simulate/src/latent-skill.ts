/**
 * How a person's latent skill changes over time. Each person follows one pattern; the numbers
 * differ per skill and per team (a team adds to everyone's level and growth rate).
 */
export const GROWTH_PATTERNS = [
  'growing',
  'plateau',
  'starts-high',
  'declining',
  'steady',
] as const;

/** One of {@link GROWTH_PATTERNS}. */
export type GrowthPattern = (typeof GROWTH_PATTERNS)[number];

/**
 * Latent skill on the logit scale: theta(day) = start + slope * min(day, plateauDay). The chance
 * of succeeding on an item of difficulty b is sigmoid(theta - b).
 */
export interface Trajectory {
  readonly skill: string;
  readonly start: number;
  /** Change of theta per day until `plateauDay`. */
  readonly slopePerDay: number;
  /** Day after which theta stays where it is (no plateau: the run's length). */
  readonly plateauDay: number;
}

/** Logistic function. */
export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Theta of `trajectory` on day `day` of the run. */
export function thetaOn(trajectory: Trajectory, day: number): number {
  return trajectory.start + trajectory.slopePerDay * Math.min(day, trajectory.plateauDay);
}

/** Chance of success on an item of difficulty `difficulty` on day `day`. */
export function successChance(trajectory: Trajectory, day: number, difficulty: number): number {
  return sigmoid(thetaOn(trajectory, day) - difficulty);
}

/** Mastery on day `day`: the chance of success on an item of average difficulty (0). */
export function masteryOn(trajectory: Trajectory, day: number): number {
  return sigmoid(thetaOn(trajectory, day));
}

/** How much each pattern tends to move theta over 90 days, and where it starts. */
export const PATTERN_SHAPES: Readonly<
  Record<GrowthPattern, { startMean: number; growthPer90Days: readonly [number, number] }>
> = {
  growing: { startMean: -0.8, growthPer90Days: [0.8, 1.6] },
  plateau: { startMean: -0.6, growthPer90Days: [1.2, 2.0] },
  'starts-high': { startMean: 1.6, growthPer90Days: [-0.1, 0.2] },
  declining: { startMean: 0.6, growthPer90Days: [-1.2, -0.5] },
  steady: { startMean: 0, growthPer90Days: [-0.1, 0.1] },
};
