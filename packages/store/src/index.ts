export {
  MAX_DEFINITIONS_PER_ACTIVITY,
  type ActivityDefinitionRecord,
  type ActivityRepository,
} from './activities.js';
export { COLLECTIONS } from './collections.js';
export { connectMongo, type MongoConnection, type MongoConnectOptions } from './connect.js';
export type { CredentialRecord, CredentialRepository } from './credentials.js';
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
export { StoreErrors } from './errors.js';
export type {
  EvidenceRecord,
  EvidenceRecordKind,
  EvidenceRecordRole,
  EvidenceRecordSource,
  EvidenceRepository,
  EvidenceState,
  StoredEvidence,
} from './evidence.js';
export {
  TOTAL_FIELDS,
  type SkillDay,
  type SkillDayKey,
  type SkillDayRepository,
  type SkillDayTotals,
} from './skill-days.js';
export type { TombstoneRecord, TombstoneRepository } from './tombstones.js';
export type { UnknownVerbCount, UnknownVerbRepository } from './unknown-verbs.js';
export type { OutboxRepository, OwedStatement } from './outbox.js';
export type { IdentifierSighting, PeopleRepository, PersonRecord } from './people.js';
export { redactUri } from './redact-uri.js';
export {
  orderStamp,
  type NewStatement,
  type StatementIndexFields,
  type StatementPage,
  type StatementQuery,
  type StatementRepository,
  type StatementSubject,
  type StoredStatement,
} from './statements.js';
export { createMongoStore, type Store } from './store.js';
export type { StoreStatistics } from './statistics.js';
export { definitionRecordsOf, identifierSightingsOf } from './statement-facts.js';
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
