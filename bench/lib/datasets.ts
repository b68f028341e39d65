import {
  buildWorld,
  simulationOptions,
  statementLines,
  Tally,
  type Framework,
} from '@cairn/simulate';
import type { Statement } from '@cairn/xapi';
import { createDataset, mix, mulberry32, uuidFrom, type Dataset } from './statement-generator.js';

/**
 * Which statements a benchmark sends, as data that crosses to the load generator's process, which
 * rebuilds the same dataset from it:
 * - `simulated`: the simulator's organisation (packages/simulate, no mess), the traffic
 *   `npm run bench` measures;
 * - `synthetic`: the small random-access generator (statement-generator.ts) that issue 3's
 *   `npm run bench:statements` results were measured with, kept so that they stay comparable.
 */
export type DatasetSpec =
  | { readonly kind: 'synthetic'; readonly seed: number }
  | {
      readonly kind: 'simulated';
      readonly seed: number;
      readonly people: number;
      readonly days: number;
    };

/** Distinct statements a simulated dataset cycles through: enough variety for every index. */
const POOL_LIMIT = 50_000;

/** Seed stream of the ids, apart from the simulator's own. */
const ID_STREAM = 0x51d;

export interface DatasetInfo {
  readonly dataset: Dataset;
  /** Distinct statement bodies before the dataset repeats them with new ids. */
  readonly distinct: number | null;
  /** Simulated: how long generating the pool took, and its rate. */
  readonly generation: { readonly seconds: number; readonly statementsPerSec: number } | null;
  /**
   * Simulated: the organisation's skill framework with its alignment rules and tags (the
   * simulator's framework.json), which the pipeline steps import so that statements aligned by
   * rule (ways D and E) yield evidence too.
   */
  readonly framework: Framework | null;
}

/**
 * A simulated organisation as a random-access dataset: the simulator's valid statements without
 * mess, voiding ones left out (their targets get new ids here), cycled with a fresh id per index,
 * so that statement `i` depends only on the spec and `i`, as the load generator needs.
 */
function simulatedDataset(spec: Extract<DatasetSpec, { kind: 'simulated' }>): DatasetInfo {
  const started = performance.now();
  const world = buildWorld(
    simulationOptions({ people: spec.people, days: spec.days, seed: spec.seed, mess: new Set() }),
  );
  const pool: Statement[] = [];
  for (const line of statementLines(world, new Tally())) {
    const statement = JSON.parse(line) as Statement;
    if (statement.verb.id === 'http://adlnet.gov/expapi/verbs/voided') continue;
    const { id: _id, ...body } = statement;
    pool.push(body);
    if (pool.length >= POOL_LIMIT) break;
  }
  if (pool.length === 0) throw new Error('the simulator produced no statements for the bench');
  const seconds = (performance.now() - started) / 1000;
  const statementId = (i: number): string => uuidFrom(mulberry32(mix(spec.seed, ID_STREAM, i)));
  const statement = (i: number): Statement => ({
    ...(pool[i % pool.length] as Statement),
    id: statementId(i),
  });
  const agents = new Set(pool.map((s) => JSON.stringify(s.actor)));
  const activities = new Set(pool.map((s) => ('id' in s.object ? String(s.object.id) : '')));
  return {
    dataset: {
      learners: agents.size,
      activities: activities.size,
      statement,
      batch: (first, n) => Array.from({ length: n }, (_, j) => statement(first + j)),
      statementId,
    },
    distinct: pool.length,
    generation: { seconds, statementsPerSec: Math.round(pool.length / Math.max(seconds, 1e-3)) },
    framework: world.framework,
  };
}

/** The dataset a spec names. */
export function datasetFrom(spec: DatasetSpec): DatasetInfo {
  if (spec.kind === 'simulated') return simulatedDataset(spec);
  return {
    dataset: createDataset({ seed: spec.seed }),
    distinct: null,
    generation: null,
    framework: null,
  };
}
