import type { Db } from 'mongodb';
import { mongoActivityRepository, type ActivityRepository } from './activities.js';
import { mongoAttachmentRepository, type AttachmentRepository } from './attachments.js';
import { mongoCredentialRepository, type CredentialRepository } from './credentials.js';
import {
  mongoDashboardSessionRepository,
  type DashboardSessionRepository,
} from './dashboard-sessions.js';
import { KeyedSerializer, mongoDocumentRepository, type DocumentRepository } from './documents.js';
import {
  mongoSkillSettingsRepository,
  type SkillSettingsRepository,
} from './derivation-settings.js';
import { mongoErasureRepository, type ErasureRepository } from './erasures.js';
import { mongoEvidenceRepository, type EvidenceRepository } from './evidence.js';
import { ensureIndexes } from './indexes.js';
import { migrateToKeyedLookups } from './keyed-lookups-migration.js';
import { mongoOutboxRepository, type OutboxRepository } from './outbox.js';
import { mongoPeopleRepository, type PeopleRepository } from './people.js';
import { mongoMembershipRepository, type MembershipRepository } from './memberships.js';
import { mongoReportSettingsRepository, type ReportSettingsRepository } from './report-settings.js';
import { mongoRederivationRepository, type RederivationRepository } from './rederivations.js';
import { mongoStatementRepository, type StatementRepository } from './statements.js';
import { mongoSkillDayRepository, type SkillDayRepository } from './skill-days.js';
import {
  mongoActivityOutcomeRepository,
  mongoKnowledgeSharingRepository,
  mongoPlatformDayRepository,
  type ActivityOutcomeRepository,
  type KnowledgeSharingRepository,
  type PlatformDayRepository,
} from './rollup-reads.js';
import {
  mongoRollupRepository,
  ROLLUP_SPECS,
  type RollupName,
  type RollupRepository,
} from './rollups.js';
import { storeStatistics, type StoreStatistics } from './statistics.js';
import { mongoTenantRepository, type TenantRepository } from './tenants.js';
import { mongoTombstoneRepository, type TombstoneRepository } from './tombstones.js';
import {
  mongoIdempotencyExpiry,
  mongoIdempotencyRepository,
  type IdempotencyExpiry,
  type IdempotencyRepository,
} from './idempotency.js';
import {
  mongoStatementBatchRepository,
  type StatementBatchRepository,
} from './statement-batches.js';
import {
  mongoUnalignedActivityRepository,
  mongoUnknownVerbRepository,
  type UnalignedActivityRepository,
  type UnknownVerbRepository,
} from './unknown-verbs.js';

/** Everything the services and workers may ask of storage, without MongoDB types. */
export interface Store {
  readonly tenants: TenantRepository;
  readonly credentials: CredentialRepository;
  /** Signed-in dashboard browsers (the reports service's sessions). */
  readonly dashboardSessions: DashboardSessionRepository;
  /** The statements' outbox across every store: what the pipeline still owes (the sweeper). */
  readonly outbox: OutboxRepository;
  /** Statement batches left half-written by a writer that died (the sweeper's recovery). */
  readonly statementBatches: StatementBatchRepository;
  /** Expiry of every store's `Idempotency-Key`s (the sweeper). */
  readonly idempotencyKeys: IdempotencyExpiry;
  /** The `Idempotency-Key`s of one store's statement POSTs. */
  idempotencyOf(storeId: string): IdempotencyRepository;
  /** The statements of one store: the only way to reach them, so no query can forget the store. */
  statementsOf(storeId: string): StatementRepository;
  /** The attachment content of one store, by SHA-2. */
  attachmentsOf(storeId: string): AttachmentRepository;
  /** The state, activity profile and agent profile documents of one store. */
  documentsOf(storeId: string): DocumentRepository;
  /** The activity definitions statements brought to one store. */
  activitiesOf(storeId: string): ActivityRepository;
  /** The people (agent identifiers and names) statements brought to one store. */
  peopleOf(storeId: string): PeopleRepository;
  /** The directory people (teams, departments, managers) imported into one store. */
  membershipsOf(storeId: string): MembershipRepository;
  /** The evidence rows the pipeline derived from one store's statements. */
  evidenceOf(storeId: string): EvidenceRepository;
  /** The skill-day buckets (sums of evidence) of one store. */
  skillDaysOf(storeId: string): SkillDayRepository;
  /**
   * One roll-up family of one store, as the pipeline maintains it (the skill-day buckets are the
   * family `skillDays`): additions once per op id, rebuilds, listing, reads.
   */
  rollupsOf(storeId: string, family: RollupName): RollupRepository;
  /** Practice volume by platform and verb concept, for the reports. */
  platformDaysOf(storeId: string): PlatformDayRepository;
  /** Outcomes per activity (rates, score histograms, difficulty), for the reports. */
  activityOutcomesOf(storeId: string): ActivityOutcomeRepository;
  /** Who helps whom, for the reports. */
  knowledgeSharingOf(storeId: string): KnowledgeSharingRepository;
  /** Re-derivations of one store's evidence after its skill settings changed. */
  rederivationsOf(storeId: string): RederivationRepository;
  /** What voiding statements of one store left for the pipeline. */
  tombstonesOf(storeId: string): TombstoneRepository;
  /** Verbs one store's statements used that its verb table does not know. */
  unknownVerbsOf(storeId: string): UnknownVerbRepository;
  /** Activities one store's statements used that its frameworks and rules align to no skill. */
  unalignedActivitiesOf(storeId: string): UnalignedActivityRepository;
  /**
   * The skill frameworks, alignment rules and verb override of one store, versioned by a
   * generation; `derivationSettings()` is what the pipeline and the dry run derive evidence with.
   */
  skillSettingsOf(storeId: string): SkillSettingsRepository;
  /** Erasures of people of one store: their audit records and the work still running. */
  erasuresOf(storeId: string): ErasureRepository;
  /** How one store's reports protect people (smallest cohort, pseudonymisation key). */
  reportSettingsOf(storeId: string): ReportSettingsRepository;
  /** Statement count and last stored time of one store (the admin API's statistics). */
  statisticsOf(storeId: string): Promise<StoreStatistics>;
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
  ensureIndexes(): Promise<void>;
}

export function createMongoStore(db: Db): Store {
  // Shared by every repository of this store, so that one process's writes to one document
  // queue up instead of racing (documents.ts).
  const documentWrites = new KeyedSerializer();
  return {
    tenants: mongoTenantRepository(db),
    credentials: mongoCredentialRepository(db),
    dashboardSessions: mongoDashboardSessionRepository(db),
    outbox: mongoOutboxRepository(db),
    statementBatches: mongoStatementBatchRepository(db),
    idempotencyKeys: mongoIdempotencyExpiry(db),
    idempotencyOf: (storeId) => mongoIdempotencyRepository(db, storeId),
    statementsOf: (storeId) => mongoStatementRepository(db, storeId),
    attachmentsOf: (storeId) => mongoAttachmentRepository(db, storeId),
    documentsOf: (storeId) => mongoDocumentRepository(db, storeId, documentWrites),
    activitiesOf: (storeId) => mongoActivityRepository(db, storeId),
    peopleOf: (storeId) => mongoPeopleRepository(db, storeId),
    membershipsOf: (storeId) => mongoMembershipRepository(db, storeId),
    evidenceOf: (storeId) => mongoEvidenceRepository(db, storeId),
    skillDaysOf: (storeId) => mongoSkillDayRepository(db, storeId),
    tombstonesOf: (storeId) => mongoTombstoneRepository(db, storeId),
    rollupsOf: (storeId, family) => mongoRollupRepository(db, storeId, ROLLUP_SPECS[family]),
    platformDaysOf: (storeId) => mongoPlatformDayRepository(db, storeId),
    activityOutcomesOf: (storeId) => mongoActivityOutcomeRepository(db, storeId),
    knowledgeSharingOf: (storeId) => mongoKnowledgeSharingRepository(db, storeId),
    rederivationsOf: (storeId) => mongoRederivationRepository(db, storeId),
    unknownVerbsOf: (storeId) => mongoUnknownVerbRepository(db, storeId),
    unalignedActivitiesOf: (storeId) => mongoUnalignedActivityRepository(db, storeId),
    skillSettingsOf: (storeId) => mongoSkillSettingsRepository(db, storeId),
    erasuresOf: (storeId) => mongoErasureRepository(db, storeId),
    reportSettingsOf: (storeId) => mongoReportSettingsRepository(db, storeId),
    statisticsOf: (storeId) => storeStatistics(db, storeId),
    async ping() {
      await db.command({ ping: 1 });
    },
    async ensureIndexes() {
      await ensureIndexes(db);
      // Data of earlier versions, moved once (a read by `_id` once done).
      await migrateToKeyedLookups(db);
    },
  };
}
