export { aggregatorConfigSpec, type AggregatorConfig } from './config.js';
export { parsePartitions } from './partitions.js';
export { createProcessor, type BatchResult, type ProcessorDeps } from './processor.js';
export { startWorkers, type RunningWorkers, type StartWorkersOptions } from './workers.js';
export { aggregateEvidence, type EvidenceCounts } from './aggregate-evidence.js';
export {
  rebuildSkillDays,
  recomputeSkillDays,
  verifySkillDays,
  type SkillDayDifference,
} from './skill-day-audit.js';
export {
  startSweeper,
  sweepOutbox,
  SWEEP_LIMIT,
  type Sweeper,
  type SweeperOptions,
  type SweepOptions,
  type SweepResult,
} from './sweeper.js';
export {
  AGGREGATOR_EXIT_FAILED,
  AGGREGATOR_EXIT_OK,
  AGGREGATOR_EXIT_USAGE,
  AGGREGATOR_USAGE,
  runAggregatorCli,
  type AggregatorCliIo,
} from './run-cli.js';
