// Runs the simulator in memory for tests.
import {
  buildWorld,
  simulationOptions,
  statementLines,
  summarise,
  Tally,
  type SimulationOptions,
  type Summary,
  type World,
} from '@cairn/simulate';

export interface Run {
  readonly world: World;
  readonly lines: string[];
  readonly summary: Summary;
}

export function run(partial: Partial<SimulationOptions> = {}): Run {
  const world = buildWorld(simulationOptions(partial));
  const tally = new Tally();
  const lines = [...statementLines(world, tally)];
  return { world, lines, summary: summarise(world, tally) };
}

/** Mess at rates high enough that a small run shows every kind many times. */
export const HIGH_RATES: SimulationOptions['messRates'] = {
  duplicates: 0.05,
  retries: 0.03,
  'late-arrivals': 0.03,
  'out-of-order': 0.05,
  voiding: 0.1,
  'voiding-before-target': 0.1,
  'unknown-verbs': 0.05,
  'unaligned-activities': 0.2,
  invalid: 0.02,
};
