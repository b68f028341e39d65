export {
  COMPETENCY_ACTIVITY_TYPE,
  EMPTY_RULE_SET,
  SKILL_ALIGNMENT_EXTENSION,
  TAG_ACTIVITY_TYPE,
  type AlignmentRule,
  type AlignmentRuleSet,
  type SkillWeight,
  type TagAlignment,
} from './alignment-rules.js';
export {
  betaMoments,
  betaQuantile,
  logGamma,
  regularisedIncompleteBeta,
} from './beta-distribution.js';
export {
  COHORT_DEFAULTS,
  cohortMeasures,
  type CohortMean,
  type CohortMeasures,
  type CohortOptions,
  type Spread,
} from './cohort-measures.js';
export { dailySums, type DaySums } from './daily-sums.js';
export { derivationOf, type Derivation, type DerivationSettings } from './derivation-settings.js';
export { EvidenceLedger } from './evidence-ledger.js';
export {
  ANSWERING_CONCEPTS,
  counterpartOf,
  creditedOf,
  eventCountOf,
  evidenceDayOf,
  outcomeOf,
  type Credited,
  type EventCount,
  type EvidenceDay,
} from './evidence-inputs.js';
export {
  evidenceKey,
  type EvidenceKeyParts,
  type EvidenceKind,
  type EvidenceRole,
  type EvidenceRow,
  type Tombstone,
} from './evidence-row.js';
export {
  eventDamping,
  N_MAX,
  outcomeUnits,
  unitsToWeight,
  unitsToWeightedOutcome,
  unitsToWeightedSquare,
  W_MAX,
  W_SCALE,
  weightUnits,
  Y_SCALE,
} from './fixed-point.js';
export {
  growthDelta,
  GROWTH_Z,
  slopeSums,
  weeklySlope,
  type GrowthDelta,
  type SlopeSums,
  type WindowPosterior,
} from './growth-measures.js';
export {
  DISCLOSURE_K,
  discloseCells,
  type Disclosed,
  type DisclosedCell,
  type DisclosureCell,
  type DisclosureInput,
  type PeopleSet,
  type Relaxation,
  type WithholdReason,
} from './disclosure-control.js';
export { rankGrowth, type GrowthCandidate, type RankedGrowth } from './growth-ranking.js';
export {
  decayedEvidence,
  MEASURE_DEFAULTS,
  masteryOf,
  type DecayedEvidence,
  type Mastery,
  type MeasureOptions,
} from './mastery-measures.js';
export {
  EVIDENCE_SOURCES,
  masteryEstimate,
  PERSON_DEFAULTS,
  personSkillMeasures,
  personSkillSummary,
  pooledGrowth,
  weeklySeries,
  withIntervals,
  type DecayedSums,
  type GrowthTest,
  type Interval,
  type MasteryEstimate,
  type MasteryWithIntervals,
  type PersonSkillMeasures,
  type PersonSkillOptions,
  type PersonSkillSummary,
  type SourceKindEvidence,
  type WeekPoint,
} from './person-skill-measures.js';
export {
  ACTIVITY_OUTCOME_FAMILY,
  addRollupSums,
  addToRollups,
  familyContribution,
  isZeroRollup,
  KNOWLEDGE_SHARING_FAMILY,
  negateRollupSums,
  OUTCOME_BIN_FIELDS,
  OUTCOME_BINS,
  outcomeBin,
  PLATFORM_DAY_FAMILY,
  rebuildRollups,
  ROLLUP_FAMILIES,
  rollupKeyString,
  SKILL_DAY_FAMILY,
  type Rollup,
  type RollupContribution,
  type RollupFamily,
  type RollupFamilyName,
  type RollupKey,
  type RollupSums,
} from './rollup-families.js';
export {
  resolveAlignment,
  type AlignedSkill,
  type AlignmentReason,
  type AlignmentResult,
  type AlignmentWay,
} from './skill-alignment.js';
export {
  addSums,
  addToBuckets,
  bucketKeyOf,
  bucketKeyString,
  contributionOf,
  isZeroSums,
  negateSums,
  rebuildBuckets,
  rekeyBuckets,
  SUM_FIELDS,
  toFloatSums,
  ZERO_SUMS,
  type Bucket,
  type BucketKey,
  type Buckets,
  type FloatSums,
  type SkillDaySums,
} from './skill-day-sums.js';
export {
  AUTHOR_EXTENSIONS,
  counterpartOfRow,
  EVENT_COUNT_EXTENSION,
  statementEvidence,
  type EvidenceExplanation,
  type EvidenceInput,
  type ExplainedRow,
  type StatementEvidence,
} from './statement-evidence.js';
export {
  validateFramework,
  validateRuleSettings,
  validateVerbOverride,
  type FrameworkSkill,
  type RuleSettings,
  type SkillFramework,
} from './settings-validation.js';
export {
  addFloatSums,
  pooledDays,
  sourcedDaySums,
  ZERO_FLOAT_SUMS,
  type SourcedDaySums,
} from './sourced-day-sums.js';
export { dayNumber, dayOfNumber, utcDay } from './utc-day.js';
export {
  DEFAULT_VERB_TABLE,
  mergeVerbTables,
  type ConceptKind,
  type Credit,
  type EvidenceSource,
  type OutcomeRule,
  type VerbConcept,
  type VerbTable,
  type VerbTableOverride,
} from './verb-concepts.js';
export { resolveVerb, type VerbResolution } from './verb-resolution.js';
export { pearson, precisionRecall, ranks, spearman, type PrecisionRecall } from './accuracy.js';
export {
  abilitiesWithDifficulties,
  DIFFICULTY_DEFAULTS,
  difficultyGrowth,
  difficultyOf,
  fitDifficultyModel,
  subjectSkillKey,
  type ActivityDaySums,
  type DifficultyCalibration,
  type DifficultyFit,
  type DifficultyGrowth,
  type DifficultyMastery,
  type DifficultyOptions,
  type WindowAbility,
} from './difficulty-mastery.js';
export {
  DEFAULT_MASTERY_MODEL,
  MASTERY_MODELS,
  masteryModel,
  type AssessOptions,
  type MasteryModel,
  type MasteryModelName,
  type PeriodGrowth,
  type SkillAssessment,
} from './mastery-models.js';
