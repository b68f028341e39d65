export {
  MAX_DEFINITIONS_PER_ACTIVITY,
  type ActivityDefinitionRecord,
  type ActivityRepository,
} from './activities.js';
export { COLLECTIONS } from './collections.js';
export { connectMongo, type MongoConnection, type MongoConnectOptions } from './connect.js';
export type { CredentialRecord, CredentialRepository } from './credentials.js';
export type { DashboardSessionRecord, DashboardSessionRepository } from './dashboard-sessions.js';
export {
  documentEtag,
  MAX_DOCUMENT_BYTES,
  type DocumentAddress,
  type DocumentChange,
  type DocumentKind,
  type DocumentListEntry,
  type DocumentRepository,
  type DocumentSet,
  type StoredDocument,
} from './documents.js';
export {
  DEFAULT_SKILL_SETTINGS,
  derivationSettingsOf,
  knownSkillsOf,
  MAX_SKILL_SETTINGS_BYTES,
  SKILL_SETTINGS_HISTORY,
  type AlignmentRuleRecord,
  type DerivationSettings,
  type FrameworkRecord,
  type SkillRecord,
  type SkillSettings,
  type SkillSettingsRepository,
  type SkillSettingsVersion,
  type SkillWeightRecord,
  type TagAlignmentRecord,
  type VerbConceptRecord,
  type VerbOverrideRecord,
} from './derivation-settings.js';
export { StoreErrors } from './errors.js';
export { isDatabaseUnavailable } from './unavailable.js';
export { BATCH_LEASE_MS, type StatementBatchRepository } from './statement-batches.js';
export {
  IDEMPOTENCY_RETENTION_MS,
  type IdempotencyClaim,
  type IdempotencyExpiry,
  type IdempotencyRepository,
} from './idempotency.js';
export { INDEXES } from './indexes.js';
export {
  ID_INDEX,
  indexSpecOf,
  indexSpecsOf,
  judgeIndex,
  judgeShape,
  MAX_MERGED_SCANS,
  shapeVariants,
  type IndexField,
  type IndexSpec,
  type IndexVerdict,
  type QueryVariant,
  type ShapeVerdict,
  type SortMethod,
} from './index-rules.js';
export {
  QUERY_CATALOGUE,
  type CollectionName,
  type FieldCondition,
  type FilterOperator,
  type QueryOp,
  type QueryShape,
  type SortSpec,
} from './query-catalogue.js';
export { MAX_DRILL_SKILLS, MAX_DRILL_SUBJECTS } from './evidence.js';
export type {
  CounterpartChange,
  EvidenceRecord,
  EvidenceRecordKind,
  EvidenceRecordRole,
  EvidenceRecordSource,
  EvidenceRepository,
  EvidenceState,
  EvidencePosition,
  StoredEvidence,
} from './evidence.js';
export {
  TOTAL_FIELDS,
  type BucketAddition,
  type SkillDay,
  type SkillDayKey,
  type SkillDayRepository,
  type SkillDayTotals,
} from './skill-days.js';
export {
  OUTCOME_BIN_FIELDS,
  readPathFields,
  ROLLUP_SPECS,
  type PersonField,
  type RollupAddition,
  type RollupKeyRecord,
  type RollupName,
  type RollupQuery,
  type RollupReadPath,
  type RollupRecord,
  type RollupRepository,
  type RollupSpec,
  type RollupTotals,
} from './rollups.js';
export type {
  ActivityOutcome,
  ActivityOutcomeKey,
  ActivityOutcomeQuery,
  ActivityOutcomeRepository,
  ActivityOutcomeTotals,
  DayRange,
  KnowledgeShare,
  KnowledgeShareKey,
  KnowledgeShareQuery,
  KnowledgeShareTotals,
  KnowledgeSharingRepository,
  PlatformDay,
  PlatformDayKey,
  PlatformDayQuery,
  PlatformDayRepository,
} from './rollup-reads.js';
export type { TombstoneRecord, TombstoneRepository } from './tombstones.js';
export type {
  DerivationMark,
  RederivationRepository,
  RederivationStatus,
} from './rederivations.js';
export type {
  UnalignedActivityCount,
  UnalignedActivityRepository,
  UnknownVerbCount,
  UnknownVerbRepository,
} from './unknown-verbs.js';
export type { OutboxRepository, OutboxSummary, OwedStatement } from './outbox.js';
export type {
  IdentifierSighting,
  PeopleRepository,
  PersonErasure,
  PersonPage,
  PersonRecord,
} from './people.js';
export { ErasureErrors, PeopleErrors } from './people-errors.js';
export {
  erasureIdOf,
  NO_ERASURE_COUNTS,
  type ErasureCounts,
  type ErasurePlan,
  type ErasureRecord,
  type ErasureRepository,
  type ErasureRequester,
  type ErasureState,
  type ErasureStep,
  type ErasureWork,
} from './erasures.js';
export {
  IDENTITY_LOCK_LEASE_MS,
  MAX_AUDIT_RECORDS,
  type IdentityActor,
  type IdentityChange,
  type IdentityChangeKind,
  type IdentityChangeSource,
  type IdentityPlan,
} from './person-audit.js';
export type { IdentitySession } from './person-changes.js';
export type { PersonIdentifiers } from './person-identity.js';
export {
  canonicalIdentifierKey,
  homePersonId,
  identifierGroup,
  PERSON_ID_PATTERN,
  sha1KeyOf,
} from './person-keys.js';
export {
  sumPersonSkillDays,
  totalsPerSkill,
  type PersonSkillDay,
  type SkillDayRange,
} from './person-skill-days.js';
export type {
  IdentifierPeriod,
  MembershipAttribute,
  MembershipPeriod,
  MembershipRecord,
  MembershipRepository,
} from './memberships.js';
export {
  checkDirectory,
  directoryFromJson,
  type DirectoryEntry,
  type DirectoryInput,
} from './directory-input.js';
export { directoryFromCsv, parseCsv, type CsvRecord } from './directory-csv.js';
export { importDirectory, type DirectoryImportResult } from './directory-import.js';
export { redactUri } from './redact-uri.js';
export {
  frameworkIn,
  frameworkOfFile,
  IMPORT_MODES,
  importFrameworkFile,
  withFramework,
  withoutFramework,
  type FrameworkFile,
  type ImportMode,
} from './skill-frameworks.js';
export {
  FILTERED_READS_PER_RESULT,
  orderStamp,
  type NewStatement,
  type RedactedStatement,
  type StatementIndexFields,
  type StatementPage,
  type StatementQuery,
  type StatementRepository,
  type StatementSubject,
  type StatementVoid,
  type StoredStatement,
} from './statements.js';
export { createMongoStore, type Store } from './store.js';
export type { StoreStatistics } from './statistics.js';
export { definitionRecordsOf, identifierSightingsOf } from './statement-facts.js';
export { statementFieldsOf } from './statement-fields.js';
export {
  DEFAULT_STORE_ID,
  type TenantChanges,
  type TenantRecord,
  type TenantRepository,
} from './tenants.js';
export {
  MAX_ATTACHMENT_BYTES,
  type AttachmentRepository,
  type StoredAttachment,
} from './attachments.js';
export {
  DEFAULT_MIN_COHORT,
  type ReportSettings,
  type ReportSettingsChanges,
  type ReportSettingsRepository,
} from './report-settings.js';
