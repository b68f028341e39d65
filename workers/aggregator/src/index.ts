export { startAggregator, type AggregatorEvents, type RunningAggregator } from './aggregator.js';
export { aggregatorConfigSpec, type AggregatorConfig } from './config.js';
export { parsePartitions } from './partitions.js';
export {
  createProcessors,
  type BatchResult,
  type PartitionResult,
  type ProcessorDeps,
  type Processors,
} from './processor.js';
export { startWorkers, type RunningWorkers, type StartWorkersOptions } from './workers.js';
export { routeEvidence, type EvidenceRouting } from './route-evidence.js';
export {
  reconcileEvidence,
  type ErasureReconcile,
  type ReconcileCounts,
  type StillOwned,
} from './reconcile-evidence.js';
export { currentDerivation } from './current-derivation.js';
export {
  erasureReconcileOf,
  runErasure,
  type ErasureDeps,
  type ErasureProgress,
} from './erase-person.js';
export {
  erasurePlanner,
  isOwnStatement,
  type ErasedKeys,
  type ErasureAction,
} from './erasure-plan.js';
export { rederiveStore, REDERIVE_PAGE, type RederiveDeps } from './rederive-store.js';
export {
  owedRederivations,
  startRederiveWatcher,
  type RederiveWatcherOptions,
} from './rederive-watcher.js';
export { startPeriodic, type Periodic } from './periodic.js';
export { createLagRecorder } from './lag-recording.js';
export {
  rebuildFromStatements,
  recomputeRollups,
  recomputeSkillDays,
  verifyRollups,
  verifySkillDays,
  type RebuildResult,
  type RollupDifference,
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
export { verifyVoids, type VoidDifference } from './void-audit.js';
