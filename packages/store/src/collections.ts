/** Every collection Cairn uses, by name, so that no other code spells one. */
export const COLLECTIONS = {
  stores: 'stores',
  credentials: 'credentials',
  statements: 'statements',
  /** Voids by target id, so a target arriving after its void finds it by key (statements.ts). */
  statementVoids: 'statement_voids',
  /** Commit records of statement batches being written (statement-batches.ts). */
  statementBatches: 'statement_batches',
  /** Idempotency-Key of statement POSTs -> the statement ids given (idempotency.ts). */
  idempotencyKeys: 'idempotency_keys',
  attachments: 'attachments',
  documents: 'documents',
  activities: 'activities',
  people: 'people',
  /** Which person each identifier key belongs to (person-identity.ts). */
  personIdentifiers: 'person_identifiers',
  /** Audited merges and splits (person-audit.ts). */
  peopleAudit: 'people_audit',
  /** One identity lock per store: merges, splits and imports one at a time (person-audit.ts). */
  peopleLocks: 'people_locks',
  /** Directory people: teams, departments, managers over time (memberships.ts). */
  memberships: 'memberships',
  evidence: 'evidence',
  /** Each statement's evidence keys, so its rows are read by key (evidence.ts). */
  statementEvidence: 'statement_evidence',
  skillDays: 'skill_days',
  /** Roll-ups of evidence by platform and verb concept (rollups.ts). */
  platformDays: 'platform_days',
  /** Roll-ups of outcomes by activity (rollups.ts). */
  activityOutcomes: 'activity_outcomes',
  /** Roll-ups of who helps whom (rollups.ts). */
  knowledgeSharing: 'knowledge_sharing',
  tombstones: 'tombstones',
  unknownVerbs: 'unknown_verbs',
  /** Activities aligned to no skill, counted per store (unknown-verbs.ts). */
  unalignedActivities: 'unaligned_activities',
  skillSettings: 'skill_settings',
  /** Statements re-derived under a later settings generation (rederivations.ts). */
  derivationMarks: 'derivation_marks',
  /** Each store's re-derivation progress, keyed by store (rederivations.ts). */
  rederivations: 'rederivations',
  /** Erasures of people: the audit record, and the work of one still running (erasures.ts). */
  erasures: 'erasures',
  /** Each store's report settings: smallest cohort, pseudonymisation key (report-settings.ts). */
  reportSettings: 'report_settings',
  /** Signed-in dashboard browsers, by the digest of their cookie (dashboard-sessions.ts). */
  dashboardSessions: 'dashboard_sessions',
  /** One-time data migrations done, by name (keyed-lookups-migration.ts). */
  migrations: 'migrations',
} as const;
