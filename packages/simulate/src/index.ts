export { resolveSkills, type ResolvedSkill } from './alignment.js';
export { runCli, USAGE, type CliIo } from './cli.js';
export { type JsonObject } from './content-mess.js';
export { LATE_MS } from './delivery.js';
export {
  buildDirectory,
  directoryCsv,
  type Directory,
  type DirectoryIdentifier,
  type DirectoryMembership,
  type DirectoryPerson,
} from './directory.js';
export {
  buildFramework,
  type AlignmentRule,
  type AlignmentWay,
  type CatalogueActivity,
  type Framework,
  type Skill,
  type SkillWeight,
  type TagAlignment,
} from './framework.js';
export { buildWorld, statementLines, summarise, type World } from './generate.js';
export {
  GROWTH_PATTERNS,
  masteryOn,
  sigmoid,
  thetaOn,
  type GrowthPattern,
  type Trajectory,
} from './latent-skill.js';
export {
  DAY_MS,
  DEFAULT_MESS_RATES,
  DEFAULT_OPTIONS,
  MESS_KINDS,
  parseMessList,
  simulationOptions,
  type MessKind,
  type SimulationOptions,
} from './options.js';
export { teamOn, type Organisation, type Person, type Team } from './organisation.js';
export { progressLine, sendReport, summaryReport } from './progress.js';
export { Rng } from './random.js';
export {
  backoff,
  DEFAULT_SEND_OPTIONS,
  sendStatements,
  statementsUrl,
  type SendOptions,
  type SendTally,
} from './send.js';
export { countKeys, Tally, type Summary } from './summary.js';
export {
  buildTruth,
  GROWTH_THRESHOLD,
  type PersonTruth,
  type SkillTruth,
  type Truth,
} from './truth.js';
export {
  ACTIVITY_TYPES,
  EXTENSIONS,
  KNOWN_VERB_IDS,
  TOOLS,
  UNKNOWN_VERBS,
  VERB_CONCEPTS,
  VERBS,
} from './vocabulary.js';
export { OUTPUT_FILES, writeSimulation } from './write-output.js';
