import type { Db, IndexDescription } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { ROLLUP_SPECS, type RollupSpec } from './rollups.js';

/**
 * The indexes of a roll-up family (rollups.ts) other than the skill-day buckets: `store_id` for
 * list, replaceAll and verify, one per read path for the reports; updates go by `_id`.
 */
function rollupIndexes(spec: RollupSpec): IndexDescription[] {
  return [
    { key: { storeId: 1, _id: 1 }, name: 'store_id' },
    ...spec.reads.map((p) => ({ key: { ...p.indexKey }, name: p.index })),
  ];
}

/**
 * Every index Cairn's queries rely on, declared here next to the collections that the queries in
 * this package read. Only shapes on the compatibility floor: no partial, TTL or sparse indexes.
 * Every query shape the package issues is declared in query-catalogue.ts and checked against
 * these by index-rules.ts.
 */
export const INDEXES: Readonly<Record<string, readonly IndexDescription[]>> = {
  // Store list (tenants.ts list): every store, oldest first.
  [COLLECTIONS.stores]: [{ key: { createdAt: 1, _id: 1 }, name: 'created' }],
  // A store's credentials (credentials.ts listByStore), oldest first; single ones are read by _id.
  [COLLECTIONS.credentials]: [{ key: { storeId: 1, createdAt: 1 }, name: 'store_created' }],
  // Expired dashboard sessions, swept at sign-in (dashboard-sessions.ts); one is read by _id.
  [COLLECTIONS.dashboardSessions]: [{ key: { expiresAt: 1 }, name: 'expires' }],
  // Statement queries (statements.ts): every shape starts with the store, pages on `order`.
  [COLLECTIONS.statements]: [
    { key: { storeId: 1, voided: 1, order: -1 }, name: 'store_order' },
    // lastStored (store statistics): the store's latest statement whatever its voided flag,
    // which store_order cannot sort.
    { key: { storeId: 1, order: -1 }, name: 'store_latest' },
    { key: { storeId: 1, verbId: 1, order: -1 }, name: 'store_verb_order' },
    { key: { storeId: 1, agentKeys: 1, order: -1 }, name: 'store_agent_order' },
    { key: { storeId: 1, relatedAgentKeys: 1, order: -1 }, name: 'store_related_agent_order' },
    { key: { storeId: 1, objectActivityId: 1, order: -1 }, name: 'store_activity_order' },
    { key: { storeId: 1, relatedActivityIds: 1, order: -1 }, name: 'store_related_activity_order' },
    { key: { storeId: 1, registration: 1, order: -1 }, name: 'store_registration_order' },
    // Only StatementRefs have isStatementRef: true; the filters' ref pass walks them in order.
    { key: { storeId: 1, isStatementRef: 1, voided: 1, order: -1 }, name: 'store_ref_order' },
    { key: { storeId: 1, authorityKey: 1, order: -1 }, name: 'store_authority_order' },
    // The sweeper's query (outbox.ts owedSince): pending statements of every store, oldest first.
    // With the `_id` tie-break of its sort, so that the limit applies within the index (a new
    // name: MongoDB refuses a changed key under an existing index's name).
    { key: { 'pipeline.state': 1, 'pipeline.since': 1, _id: 1 }, name: 'pipeline_outbox_id' },
  ],
  // Unfinished statement batches, oldest first (statement-batches.ts recover, the sweeper).
  [COLLECTIONS.statementBatches]: [{ key: { at: 1 }, name: 'at' }],
  // Idempotency keys past their retention (idempotency.ts purge, the sweeper).
  [COLLECTIONS.idempotencyKeys]: [{ key: { at: 1 }, name: 'at' }],
  // Document sets (documents.ts list and deleteAll): one activity and/or agent, maybe one
  // registration, maybe `updated` after `since`. Single documents are read by _id.
  [COLLECTIONS.documents]: [
    {
      key: { storeId: 1, kind: 1, activityId: 1, agentKey: 1, registration: 1, updated: 1 },
      name: 'store_kind_set_updated',
    },
  ],
  // Activity definitions (activities.ts definitionsOf): those of one activity, latest first.
  [COLLECTIONS.activities]: [
    { key: { storeId: 1, activityId: 1, last: -1, _id: 1 }, name: 'store_activity_last' },
  ],
  // People (people.ts findByIdentifiers): by any identifier. Not unique: an array field.
  // Profiles (people.ts): what statements said under any of some identifiers.
  // Not unique: an array field.
  [COLLECTIONS.people]: [{ key: { storeId: 1, identifiers: 1 }, name: 'store_identifiers' }],
  // Identifier keys (person-identity.ts): one per `_id` (store, key), so unique by construction.
  // identifiersOf and page: a person's keys, people in id order.
  [COLLECTIONS.personIdentifiers]: [
    { key: { storeId: 1, personId: 1, _id: 1 }, name: 'store_person' },
  ],
  // Identity changes (person-audit.ts): a person's changes latest first; pending ones to finish.
  [COLLECTIONS.peopleAudit]: [
    { key: { storeId: 1, personIds: 1, at: -1, _id: -1 }, name: 'store_person_at' },
    { key: { storeId: 1, state: 1, at: 1, _id: 1 }, name: 'store_state' },
  ],
  // Directory people (memberships.ts ofIdentifiers). Not unique: an array field.
  // list: a store's whole directory in id order (cohort reports).
  [COLLECTIONS.memberships]: [
    { key: { storeId: 1, identifiers: 1 }, name: 'store_identifiers' },
    { key: { storeId: 1, _id: 1 }, name: 'store_id' },
  ],
  // Evidence rows (evidence.ts). Unique on (store, statement, skill, subject, role) through the
  // `_id`, which is that evidence key: one unique index, so an 11000 is unambiguous. The rows of
  // a statement are found through its manifest (`statement_evidence`, by `_id`), not by a query.
  [COLLECTIONS.evidence]: [
    // page and count: a store's rows in one state, in key order (rebuild, tests).
    { key: { storeId: 1, state: 1, _id: 1 }, name: 'store_state' },
    // The evidence drill-down: one person's rows of a skill, latest day first.
    {
      key: { storeId: 1, subject: 1, skill: 1, day: -1, _id: -1 },
      name: 'store_subject_skill_day',
    },
  ],
  // Evidence manifests: read by `_id` (store, statement); deleted by store in a rebuild.
  [COLLECTIONS.statementEvidence]: [{ key: { storeId: 1 }, name: 'store' }],
  // Skill-day buckets (skill-days.ts). Unique on (store, subject, skill, day, source, kind)
  // through the `_id`, which is that key; updates go by `_id`.
  [COLLECTIONS.skillDays]: [
    // list: a store's buckets in key order (verify, rebuild).
    { key: { storeId: 1, _id: 1 }, name: 'store_id' },
    // The reports' read shape: one person's buckets of a skill over a range of days.
    { key: { storeId: 1, subject: 1, skill: 1, day: 1 }, name: 'store_subject_skill_day' },
    // Cohort reports: every subject's buckets of some skills over a range of days.
    { key: { storeId: 1, skill: 1, day: 1 }, name: 'store_skill_day' },
  ],
  // Roll-ups (rollups.ts, rollup-reads.ts): keyed like the buckets; reads by the reports.
  [COLLECTIONS.platformDays]: rollupIndexes(ROLLUP_SPECS.platformDays),
  [COLLECTIONS.activityOutcomes]: rollupIndexes(ROLLUP_SPECS.activityOutcomes),
  [COLLECTIONS.knowledgeSharing]: rollupIndexes(ROLLUP_SPECS.knowledgeSharing),
  // Tombstones (tombstones.ts) are read by `_id` (store, target) only; derivation marks
  // (rederivations.ts) by `_id` (store, statement), and deleted by store in a rebuild.
  [COLLECTIONS.derivationMarks]: [{ key: { storeId: 1 }, name: 'store' }],
  // Unknown verbs (unknown-verbs.ts list): most used first.
  [COLLECTIONS.unknownVerbs]: [
    { key: { storeId: 1, statements: -1, _id: 1 }, name: 'store_statements' },
  ],
  // Unaligned activities (unknown-verbs.ts list): most used first.
  [COLLECTIONS.unalignedActivities]: [
    { key: { storeId: 1, statements: -1, _id: 1 }, name: 'store_statements' },
  ],
  // Skill settings (derivation-settings.ts): a store's latest version, and the pruning of old
  // ones. Versions are read by `_id` (store, generation), the one unique key.
  [COLLECTIONS.skillSettings]: [{ key: { storeId: 1, generation: -1 }, name: 'store_generation' }],
};

/** Creates missing indexes; idempotent, safe to run at every start-up. */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    if (indexes.length > 0) await db.collection(collection).createIndexes([...indexes]);
  }
}
