import { COLLECTIONS } from './collections.js';
import { readPathFields, ROLLUP_SPECS, type RollupSpec } from './rollups.js';

/*
 * Every query shape this package sends to the database, in one place, so that index use can be
 * checked without `explain` (the local server has none, and builds no secondary index): the unit
 * test judges each shape against indexes.ts by MongoDB's rules (index-rules.ts), and an
 * integration test watches the commands the store really sends and finds each one here.
 *
 * A shape is what decides index use: the collection, the operation, the filter's fields with
 * their operators, the sort, and whether a limit applies; never the values. One entry may stand
 * for several queries of one function: fields marked optional are there in some calls and not in
 * others, and every combination must be served. Inserts are not listed: they filter nothing.
 * Changing a query means changing its entry here, in the same commit.
 */

/**
 * How a filter constrains a field, as the index bounds see it: `eq` one value (a plain value or
 * `$eq`, null included); `in` a list (`$in`); `range` one or two of `$gt`, `$gte`, `$lt`, `$lte`;
 * `ne`, `nin` and `exists` (`$ne`, `$nin`, `$exists`) bound nothing useful and are checked on the
 * documents or keys read.
 */
export type FilterOperator = 'eq' | 'in' | 'range' | 'ne' | 'nin' | 'exists';

/** One field of a shape's filter. */
export interface FieldCondition {
  readonly op: FilterOperator;
  /** Present in some queries of the shape only. */
  readonly optional?: boolean;
  /**
   * For `in`: the most values the code ever passes. A sort after an `$in` is served by merging
   * one index scan per value (SORT_MERGE) only while they are few (index-rules.ts).
   */
  readonly maxValues?: number;
  /**
   * Need not bound the scan: checked on the documents the index finds. Only for a field that few
   * documents fail (every other field the shape always has must bound the scan).
   */
  readonly residual?: boolean;
}

/**
 * The operation, as the code calls it (a `bulkWrite` operation counts as its own kind:
 * `updateOne` in a bulk write is an `updateOne`). `countDocuments` is an `aggregate` on the wire.
 */
export type QueryOp =
  | 'find'
  | 'findOne'
  | 'countDocuments'
  | 'aggregate'
  | 'count'
  | 'distinct'
  | 'updateOne'
  | 'updateMany'
  | 'replaceOne'
  | 'deleteOne'
  | 'deleteMany'
  | 'findOneAndUpdate'
  | 'findOneAndReplace'
  | 'findOneAndDelete';

/** A sort: fields in order, each ascending (1) or descending (-1). */
export type SortSpec = Readonly<Record<string, 1 | -1>>;

/** A collection name of {@link COLLECTIONS}. */
export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** One query shape the store issues, and the index meant to serve it. */
export interface QueryShape {
  /** `<collection key>.<what>`, unique: what tests and docs/scaling.md call it. */
  readonly name: string;
  readonly collection: CollectionName;
  readonly op: QueryOp;
  readonly filter: Readonly<Record<string, FieldCondition>>;
  /** The sort as written; the reverse sort is the same shape (an index is read either way). */
  readonly sort?: SortSpec;
  /** The query reads at most a limit of documents (`limit`, `findOne`). */
  readonly limit?: boolean;
  /** The name of the index that serves it (indexes.ts), or `_id_`. */
  readonly index: string;
  /**
   * Why sorting in memory is fine for this shape, when no index gives its order: only allowed
   * without a limit (the sort then orders what the query returns anyway), and says why that is
   * small.
   */
  readonly memorySort?: string;
  /**
   * Reads the whole collection by design, and why that is fine (a one-time migration): no index
   * is judged (`index` is then `none`).
   */
  readonly scan?: string;
  /**
   * A known gap: the shape is not served as it should be, and the fix is pending. The unit test
   * checks that the gap is still there (so this note goes when it is fixed) and reports it.
   */
  readonly gap?: string;
}

const EQ: FieldCondition = { op: 'eq' };
const IN: FieldCondition = { op: 'in' };
const RANGE: FieldCondition = { op: 'range' };
const NIN: FieldCondition = { op: 'nin' };
/** The condition, present in some calls only. */
const opt = (c: FieldCondition): FieldCondition => ({ ...c, optional: true });
/** An `$in` of at most `maxValues` values. */
const inOf = (maxValues: number): FieldCondition => ({ op: 'in', maxValues });

/** The most identifier keys, and skills, one person's evidence is read under (evidence.ts). */
const MAX_SUBJECT_KEYS = 20;
const MAX_DRILL_SKILLS = 10;

/** Lookup by the document's key: what every upsert, conditional update and get is. */
const BY_ID = { _id: EQ } as const;
const BY_IDS = { _id: IN } as const;

/**
 * What a page of GET /statements asks of the statement returned (statements.ts `own`). Few
 * statements are voided, so the filters' indexes leave `voided: false` to the documents read.
 * `since`, `until` and the previous page's position are all bounds of `order` (statements.ts
 * `orderRange`): the range of the index scan, never a filter on `stored` read document by document.
 */
const STATEMENT_PAGE = {
  storeId: EQ,
  voided: { op: 'eq', residual: true },
  authorityKey: opt(EQ),
  order: opt(RANGE),
} as const;

/** The xAPI filters that StatementRefs carry over (statements.ts `contentFilter`), any of them. */
const STATEMENT_CONTENT = {
  verbId: opt(EQ),
  agentKeys: opt(EQ),
  relatedAgentKeys: opt(EQ),
  objectActivityId: opt(EQ),
  relatedActivityIds: opt(EQ),
  registration: opt(EQ),
} as const;

/** Pages of statements, latest first (or, reversed, oldest first). */
const BY_ORDER: SortSpec = { order: -1 };

const { statements, documents, skillDays, evidence } = COLLECTIONS;

/**
 * The shapes of a roll-up family (rollups.ts) other than the buckets, whose shapes are listed
 * by hand below: writes by key as the buckets', `list` and the rebuild's prune by store, and one
 * read per read path (`<family>.<path>`), the path's own list bounding the scan.
 */
function rollupShapes(spec: RollupSpec): QueryShape[] {
  const collection = spec.collection;
  const of = (what: string): string => `${spec.name}.${what}`;
  return [
    { name: of('read'), collection, op: 'find', filter: BY_IDS, index: '_id_' },
    { name: of('add'), collection, op: 'updateOne', filter: BY_ID, index: '_id_' },
    { name: of('replace'), collection, op: 'replaceOne', filter: BY_ID, index: '_id_' },
    {
      name: of('list'),
      collection,
      op: 'find',
      filter: { storeId: EQ, _id: opt(RANGE) },
      sort: { _id: 1 },
      limit: true,
      index: 'store_id',
    },
    {
      name: of('prune'),
      collection,
      op: 'deleteMany',
      filter: { storeId: EQ, _id: NIN },
      index: 'store_id',
    },
    ...spec.reads.map((path): QueryShape => ({
      name: of(path.name),
      collection,
      op: 'find',
      filter: {
        storeId: EQ,
        ...(path.field === null ? {} : { [path.field]: IN }),
        ...Object.fromEntries(readPathFields(spec, path).map((f) => [f, opt(IN)])),
        day: opt(RANGE),
      },
      index: path.index,
    })),
  ];
}

/**
 * An erasure's reads and deletes of one family's roll-ups naming the erased person
 * (rollups.ts `deleteZeroOf`): by each person field through its index, then the zero ones by key.
 */
function erasureShapes(spec: RollupSpec): QueryShape[] {
  const collection = spec.collection;
  return [
    ...spec.personFields.map(({ field, index }): QueryShape => ({
      name: `${spec.name}.ofPeople.${field}`,
      collection,
      op: 'find',
      filter: { storeId: EQ, [field]: IN },
      index,
    })),
    {
      name: `${spec.name}.deleteZero`,
      collection,
      op: 'deleteMany',
      filter: { ...BY_IDS, ...Object.fromEntries(spec.sumFields.map((f) => [f, EQ])) },
      index: '_id_',
    },
  ];
}

/** Every query shape of packages/store, by name. */
export const QUERY_CATALOGUE: readonly QueryShape[] = [
  // statements.ts: GET /statements (StatementRepository.query), one entry per index it can use.
  {
    name: 'statements.query',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE },
    sort: BY_ORDER,
    limit: true,
    index: 'store_order',
  },
  {
    name: 'statements.query.mine',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, authorityKey: EQ },
    sort: BY_ORDER,
    limit: true,
    index: 'store_authority_order',
  },
  {
    name: 'statements.query.verb',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, ...STATEMENT_CONTENT, verbId: EQ },
    sort: BY_ORDER,
    index: 'store_verb_order',
  },
  {
    name: 'statements.query.agent',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, ...STATEMENT_CONTENT, agentKeys: EQ },
    sort: BY_ORDER,
    index: 'store_agent_order',
  },
  {
    name: 'statements.query.relatedAgent',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, ...STATEMENT_CONTENT, relatedAgentKeys: EQ },
    sort: BY_ORDER,
    index: 'store_related_agent_order',
  },
  {
    name: 'statements.query.activity',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, ...STATEMENT_CONTENT, objectActivityId: EQ },
    sort: BY_ORDER,
    index: 'store_activity_order',
  },
  {
    name: 'statements.query.relatedActivity',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, ...STATEMENT_CONTENT, relatedActivityIds: EQ },
    sort: BY_ORDER,
    index: 'store_related_activity_order',
  },
  {
    name: 'statements.query.registration',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, ...STATEMENT_CONTENT, registration: EQ },
    sort: BY_ORDER,
    index: 'store_registration_order',
  },
  // A filtered page (statements.ts filteredPage) is one find whose filter is the page's fields
  // and `$or: [content filters, {isStatementRef: true}]`, read in page order without a limit and
  // closed once the page is full: each branch is its own index scan (the entries above, and
  // `refs` here), merged in order. StatementRef chains are then followed by key.
  {
    name: 'statements.query.refs',
    collection: statements,
    op: 'find',
    filter: { ...STATEMENT_PAGE, isStatementRef: EQ },
    sort: BY_ORDER,
    index: 'store_ref_order',
  },
  {
    name: 'statements.query.refChain',
    collection: statements,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  { name: 'statements.get', collection: statements, op: 'findOne', filter: BY_ID, index: '_id_' },
  { name: 'statements.getMany', collection: statements, op: 'find', filter: BY_IDS, index: '_id_' },
  {
    // Its targets are read first by key (the getMany shape), then updated by key alone.
    name: 'statements.markVoided',
    collection: statements,
    op: 'updateMany',
    filter: BY_IDS,
    index: '_id_',
  },
  // statement-batches.ts: a batch written all or nothing. Statements are published by key; a
  // batch's records are read and written by key (`state` beside `_id` is checked on the one
  // document: the collection holds only batches being written); the recovery reads the oldest.
  {
    name: 'statements.publishBatch',
    collection: statements,
    op: 'updateMany',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    // Only an abandoned batch's statements, on recovery: rare, and `batch` is checked on the
    // documents the keys find.
    name: 'statements.removeAbandoned',
    collection: statements,
    op: 'deleteMany',
    filter: { _id: IN, batch: { op: 'eq', residual: true } },
    index: '_id_',
  },
  {
    name: 'statementBatches.commit',
    collection: COLLECTIONS.statementBatches,
    op: 'updateOne',
    filter: { _id: EQ, state: { op: 'eq', residual: true } },
    index: '_id_',
  },
  {
    name: 'statementBatches.read',
    collection: COLLECTIONS.statementBatches,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'statementBatches.readOne',
    collection: COLLECTIONS.statementBatches,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'statementBatches.remove',
    collection: COLLECTIONS.statementBatches,
    op: 'deleteOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'statementBatches.recover',
    collection: COLLECTIONS.statementBatches,
    op: 'find',
    filter: { at: RANGE },
    sort: { at: 1 },
    limit: true,
    index: 'at',
  },
  // idempotency.ts: a key is claimed by insert, read and replaced by key, purged by date.
  {
    name: 'idempotencyKeys.read',
    collection: COLLECTIONS.idempotencyKeys,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'idempotencyKeys.replaceExpired',
    collection: COLLECTIONS.idempotencyKeys,
    op: 'replaceOne',
    filter: { _id: EQ, at: { op: 'eq', residual: true } },
    index: '_id_',
  },
  {
    name: 'idempotencyKeys.purge',
    collection: COLLECTIONS.idempotencyKeys,
    op: 'deleteMany',
    filter: { at: RANGE },
    index: 'at',
  },
  {
    name: 'statementVoids.voidedAmong',
    collection: COLLECTIONS.statementVoids,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'statements.migrateVoids',
    collection: statements,
    op: 'find',
    filter: { voidsStatementId: { op: 'exists' } },
    index: 'none',
    scan: 'once per database, at the first start-up of a version with statement_voids',
  },
  {
    name: 'statements.lastStored',
    collection: statements,
    op: 'find',
    filter: { storeId: EQ },
    sort: BY_ORDER,
    limit: true,
    index: 'store_latest',
  },
  {
    name: 'statements.latestAbout.activity',
    collection: statements,
    op: 'find',
    filter: { storeId: EQ, relatedActivityIds: EQ },
    sort: BY_ORDER,
    limit: true,
    index: 'store_related_activity_order',
  },
  {
    // One agent's lookup keys (@cairn/xapi personLookupKeys): its IFI, and an mbox's SHA-1.
    name: 'statements.latestAbout.agent',
    collection: statements,
    op: 'find',
    filter: { storeId: EQ, relatedAgentKeys: inOf(2) },
    sort: BY_ORDER,
    limit: true,
    index: 'store_related_agent_order',
  },
  {
    name: 'statements.markProcessed',
    collection: statements,
    op: 'updateMany',
    filter: BY_IDS,
    index: '_id_',
  },
  // An erasure (docs/identity.md, "Erasure"): the store's statements read once in storage order,
  // the planned ones redacted or deleted by key.
  {
    name: 'statements.scan',
    collection: statements,
    op: 'find',
    filter: { storeId: EQ, order: opt(RANGE) },
    sort: { order: 1 },
    limit: true,
    index: 'store_latest',
  },
  {
    name: 'statements.redact',
    collection: statements,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'statements.deleteMany',
    collection: statements,
    op: 'deleteMany',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'statementVoids.deleteMany',
    collection: COLLECTIONS.statementVoids,
    op: 'deleteMany',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'statements.attachmentsInUse',
    collection: statements,
    op: 'find',
    filter: { storeId: EQ, attachmentHashes: IN },
    index: 'none',
    scan: 'an erasure only (rare, by an administrator): which attachments remaining statements hold',
  },
  // statistics.ts
  {
    name: 'statements.count',
    collection: statements,
    op: 'countDocuments',
    filter: { storeId: EQ },
    index: 'store_latest',
  },
  // outbox.ts: the statements' outbox across every store.
  {
    name: 'statements.outbox.owedSince',
    collection: statements,
    op: 'find',
    filter: { 'pipeline.state': EQ, 'pipeline.since': RANGE },
    sort: { 'pipeline.since': 1, _id: 1 },
    limit: true,
    index: 'pipeline_outbox_id',
  },
  {
    name: 'statements.outbox.restamp',
    collection: statements,
    op: 'updateMany',
    filter: { ...BY_IDS, 'pipeline.state': EQ },
    index: '_id_',
  },
  {
    name: 'statements.outbox.reset',
    collection: statements,
    op: 'updateMany',
    filter: { ...BY_IDS, 'pipeline.state': IN },
    index: '_id_',
  },
  {
    name: 'statements.outbox.count',
    collection: statements,
    op: 'countDocuments',
    filter: { 'pipeline.state': EQ },
    index: 'pipeline_outbox_id',
  },
  {
    name: 'statements.outbox.oldest',
    collection: statements,
    op: 'find',
    filter: { 'pipeline.state': EQ },
    sort: { 'pipeline.since': 1 },
    limit: true,
    index: 'pipeline_outbox_id',
  },
  // attachments.ts
  {
    name: 'attachments.getMany',
    collection: COLLECTIONS.attachments,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'attachments.deleteMany',
    collection: COLLECTIONS.attachments,
    op: 'deleteMany',
    filter: BY_IDS,
    index: '_id_',
  },
  // tenants.ts
  {
    name: 'stores.get',
    collection: COLLECTIONS.stores,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'stores.ensure',
    collection: COLLECTIONS.stores,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'stores.update',
    collection: COLLECTIONS.stores,
    op: 'findOneAndUpdate',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'stores.list',
    collection: COLLECTIONS.stores,
    op: 'find',
    filter: {},
    sort: { createdAt: 1, _id: 1 },
    index: 'created',
  },
  // credentials.ts
  {
    name: 'credentials.get',
    collection: COLLECTIONS.credentials,
    op: 'findOne',
    filter: { ...BY_ID, storeId: opt(EQ) },
    index: '_id_',
  },
  {
    name: 'credentials.upsert',
    collection: COLLECTIONS.credentials,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'credentials.revoke',
    collection: COLLECTIONS.credentials,
    op: 'updateOne',
    filter: { ...BY_ID, storeId: EQ, revokedAt: EQ },
    index: '_id_',
  },
  {
    name: 'credentials.listByStore',
    collection: COLLECTIONS.credentials,
    op: 'find',
    filter: { storeId: EQ },
    sort: { createdAt: 1, _id: 1 },
    index: 'store_created',
    memorySort: 'only the `_id` tie-break; no limit, and a store has few credentials',
  },
  // dashboard-sessions.ts
  {
    name: 'dashboardSessions.find',
    collection: COLLECTIONS.dashboardSessions,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'dashboardSessions.delete',
    collection: COLLECTIONS.dashboardSessions,
    op: 'deleteOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'dashboardSessions.deleteExpired',
    collection: COLLECTIONS.dashboardSessions,
    op: 'deleteMany',
    filter: { expiresAt: RANGE },
    index: 'expires',
  },
  // documents.ts
  { name: 'documents.get', collection: documents, op: 'findOne', filter: BY_ID, index: '_id_' },
  {
    name: 'documents.update',
    collection: documents,
    op: 'updateOne',
    filter: { ...BY_ID, etag: EQ, updated: EQ },
    index: '_id_',
  },
  {
    name: 'documents.delete',
    collection: documents,
    op: 'deleteOne',
    filter: { ...BY_ID, etag: EQ, updated: EQ },
    index: '_id_',
  },
  {
    name: 'documents.list',
    collection: documents,
    op: 'find',
    filter: {
      storeId: EQ,
      kind: EQ,
      activityId: EQ,
      agentKey: EQ,
      registration: opt(EQ),
      updated: opt(RANGE),
    },
    index: 'store_kind_set_updated',
  },
  {
    name: 'documents.deleteAll',
    collection: documents,
    op: 'deleteMany',
    filter: { storeId: EQ, kind: EQ, activityId: EQ, agentKey: EQ, registration: opt(EQ) },
    index: 'store_kind_set_updated',
  },
  {
    // An erasure: the agent profiles of the person's identifiers.
    name: 'documents.deleteOfAgents.profiles',
    collection: documents,
    op: 'deleteMany',
    filter: { storeId: EQ, kind: EQ, activityId: EQ, agentKey: IN },
    index: 'store_kind_set_updated',
  },
  {
    name: 'documents.deleteOfAgents.states',
    collection: documents,
    op: 'deleteMany',
    filter: { storeId: EQ, kind: EQ, agentKey: IN },
    index: 'none',
    scan: "an erasure only (rare, by an administrator): the state documents of the store's activities",
  },
  // activities.ts
  {
    name: 'activities.record',
    collection: COLLECTIONS.activities,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'activities.definitionsOf',
    collection: COLLECTIONS.activities,
    op: 'find',
    filter: { storeId: EQ, activityId: EQ },
    sort: { last: -1, _id: 1 },
    limit: true,
    index: 'store_activity_last',
  },
  {
    name: 'activities.definitionsOfMany',
    collection: COLLECTIONS.activities,
    op: 'find',
    filter: { storeId: EQ, activityId: IN },
    sort: { last: -1, _id: 1 },
    index: 'store_activity_last',
    memorySort:
      'no limit: it orders what it returns, the few definitions of the activities of one page ' +
      'of statements (merged from index order up to 200 activities)',
  },
  // people.ts: what statements said under each identifier.
  {
    name: 'people.record',
    collection: COLLECTIONS.people,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'people.profiles',
    collection: COLLECTIONS.people,
    op: 'find',
    filter: { storeId: EQ, identifiers: IN },
    index: 'store_identifiers',
  },
  {
    name: 'people.erase',
    collection: COLLECTIONS.people,
    op: 'deleteMany',
    filter: { storeId: EQ, identifiers: IN },
    index: 'store_identifiers',
  },
  // person-identity.ts: which person each identifier belongs to.
  {
    name: 'personIdentifiers.resolve',
    collection: COLLECTIONS.personIdentifiers,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'personIdentifiers.identifiersOf',
    collection: COLLECTIONS.personIdentifiers,
    op: 'find',
    filter: { storeId: EQ, personId: IN },
    sort: { personId: 1, _id: 1 },
    index: 'store_person',
  },
  {
    name: 'personIdentifiers.page',
    collection: COLLECTIONS.personIdentifiers,
    op: 'find',
    filter: { storeId: EQ, personId: opt(RANGE) },
    sort: { personId: 1, _id: 1 },
    index: 'store_person',
  },
  {
    name: 'personIdentifiers.movePeople',
    collection: COLLECTIONS.personIdentifiers,
    op: 'updateMany',
    filter: { storeId: EQ, personId: IN },
    index: 'store_person',
  },
  {
    name: 'personIdentifiers.moveKeys',
    collection: COLLECTIONS.personIdentifiers,
    op: 'updateMany',
    filter: { ...BY_IDS, personId: EQ },
    index: '_id_',
  },
  {
    name: 'personIdentifiers.deletePerson',
    collection: COLLECTIONS.personIdentifiers,
    op: 'deleteMany',
    filter: { storeId: EQ, personId: EQ },
    index: 'store_person',
  },
  // person-audit.ts: identity changes and the identity lock.
  {
    name: 'peopleAudit.finish',
    collection: COLLECTIONS.peopleAudit,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'peopleAudit.pending',
    collection: COLLECTIONS.peopleAudit,
    op: 'find',
    filter: { storeId: EQ, state: EQ },
    sort: { at: 1, _id: 1 },
    index: 'store_state',
  },
  {
    name: 'peopleAudit.ofPerson',
    collection: COLLECTIONS.peopleAudit,
    op: 'find',
    filter: { storeId: EQ, personIds: EQ },
    sort: { at: -1, _id: -1 },
    limit: true,
    index: 'store_person_at',
  },
  {
    name: 'peopleAudit.forgetPerson',
    collection: COLLECTIONS.peopleAudit,
    op: 'deleteMany',
    filter: { storeId: EQ, personIds: EQ },
    index: 'store_person_at',
  },
  {
    name: 'peopleLocks.get',
    collection: COLLECTIONS.peopleLocks,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'peopleLocks.refresh',
    collection: COLLECTIONS.peopleLocks,
    op: 'updateOne',
    filter: { ...BY_ID, holder: EQ },
    index: '_id_',
  },
  {
    name: 'peopleLocks.release',
    collection: COLLECTIONS.peopleLocks,
    op: 'deleteOne',
    filter: { ...BY_ID, holder: EQ },
    index: '_id_',
  },
  // memberships.ts
  {
    name: 'memberships.getMany',
    collection: COLLECTIONS.memberships,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'memberships.put',
    collection: COLLECTIONS.memberships,
    op: 'replaceOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'memberships.ofIdentifiers',
    collection: COLLECTIONS.memberships,
    op: 'find',
    filter: { storeId: EQ, identifiers: IN },
    sort: { _id: 1 },
    index: 'store_identifiers',
    memorySort: 'no limit: it orders what it returns, the directory people of some identifiers',
  },
  {
    name: 'memberships.deleteOfIdentifiers',
    collection: COLLECTIONS.memberships,
    op: 'deleteMany',
    filter: { storeId: EQ, identifiers: IN },
    index: 'store_identifiers',
  },
  {
    name: 'memberships.list',
    collection: COLLECTIONS.memberships,
    op: 'find',
    filter: { storeId: EQ, _id: opt(RANGE) },
    sort: { _id: 1 },
    limit: true,
    index: 'store_id',
  },
  // report-settings.ts: one document per store, by key.
  {
    name: 'reportSettings.get',
    collection: COLLECTIONS.reportSettings,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'reportSettings.change',
    collection: COLLECTIONS.reportSettings,
    op: 'findOneAndUpdate',
    filter: BY_ID,
    index: '_id_',
  },
  // evidence.ts: a statement's rows through its manifest, both by key.
  {
    name: 'statementEvidence.ofStatements',
    collection: COLLECTIONS.statementEvidence,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'statementEvidence.record',
    collection: COLLECTIONS.statementEvidence,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'statementEvidence.deleteAll',
    collection: COLLECTIONS.statementEvidence,
    op: 'deleteMany',
    filter: { storeId: EQ },
    index: 'store',
  },
  {
    name: 'statementEvidence.deleteMany',
    collection: COLLECTIONS.statementEvidence,
    op: 'deleteMany',
    filter: BY_IDS,
    index: '_id_',
  },
  { name: 'evidence.byKeys', collection: evidence, op: 'find', filter: BY_IDS, index: '_id_' },
  {
    name: 'evidence.transition',
    collection: evidence,
    op: 'updateOne',
    filter: { ...BY_ID, storeId: EQ, state: EQ },
    index: '_id_',
  },
  {
    // transitionAll: the rows read by key (evidence.byKeys), then moved by key alone.
    name: 'evidence.transitionAll',
    collection: evidence,
    op: 'updateMany',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'evidence.page',
    collection: evidence,
    op: 'find',
    filter: { storeId: EQ, state: EQ, _id: opt(RANGE) },
    sort: { _id: 1 },
    limit: true,
    index: 'store_state',
  },
  // ofSubjectSkill: `$or` of the days before the page's last day and that day's rows after its
  // last key, so each branch is one bounded scan of store_subject_skill_day in its order.
  {
    name: 'evidence.ofSubjectSkill',
    collection: evidence,
    op: 'find',
    filter: {
      storeId: EQ,
      subject: inOf(MAX_SUBJECT_KEYS),
      skill: inOf(MAX_DRILL_SKILLS),
      day: opt(RANGE),
    },
    sort: { day: -1, _id: -1 },
    limit: true,
    index: 'store_subject_skill_day',
  },
  {
    name: 'evidence.ofSubjectSkill.sameDay',
    collection: evidence,
    op: 'find',
    filter: {
      storeId: EQ,
      subject: inOf(MAX_SUBJECT_KEYS),
      skill: inOf(MAX_DRILL_SKILLS),
      day: EQ,
      _id: RANGE,
    },
    sort: { day: -1, _id: -1 },
    limit: true,
    index: 'store_subject_skill_day',
  },
  {
    name: 'evidence.count',
    collection: evidence,
    op: 'countDocuments',
    filter: { storeId: EQ, state: EQ },
    index: 'store_state',
  },
  {
    name: 'evidence.deleteAll',
    collection: evidence,
    op: 'deleteMany',
    filter: { storeId: EQ },
    index: 'store_state',
  },
  {
    // An erasure: its retracted rows, read by key (evidence.byKeys), deleted by key.
    name: 'evidence.deleteRetracted',
    collection: evidence,
    op: 'deleteMany',
    filter: { ...BY_IDS, state: EQ },
    index: '_id_',
  },
  {
    // An erasure: the counterpart of others' rows of its redacted statements, by key.
    name: 'evidence.setCounterpart',
    collection: evidence,
    op: 'updateOne',
    filter: { ...BY_ID, counterpart: EQ },
    index: '_id_',
  },
  {
    name: 'evidence.migrateManifests',
    collection: evidence,
    op: 'aggregate',
    filter: {},
    index: 'none',
    scan: 'once per database, at the first start-up of a version with evidence manifests',
  },
  // skill-days.ts: buckets read by key, then written by key (one writer per bucket).
  { name: 'skillDays.read', collection: skillDays, op: 'find', filter: BY_IDS, index: '_id_' },
  {
    name: 'skillDays.add',
    collection: skillDays,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'skillDays.replace',
    collection: skillDays,
    op: 'replaceOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'skillDays.list',
    collection: skillDays,
    op: 'find',
    filter: { storeId: EQ, _id: opt(RANGE) },
    sort: { _id: 1 },
    limit: true,
    index: 'store_id',
  },
  {
    name: 'skillDays.ofSubjects',
    collection: skillDays,
    op: 'find',
    filter: { storeId: EQ, subject: IN, skill: opt(EQ), day: opt(RANGE) },
    index: 'store_subject_skill_day',
  },
  {
    name: 'skillDays.ofSkills',
    collection: skillDays,
    op: 'find',
    filter: { storeId: EQ, skill: IN, day: opt(RANGE) },
    index: 'store_skill_day',
  },
  {
    name: 'skillDays.prune',
    collection: skillDays,
    op: 'deleteMany',
    filter: { storeId: EQ, _id: NIN },
    index: 'store_id',
  },
  // rollups.ts, rollup-reads.ts: the roll-ups beside the buckets.
  ...rollupShapes(ROLLUP_SPECS.platformDays),
  ...rollupShapes(ROLLUP_SPECS.activityOutcomes),
  ...rollupShapes(ROLLUP_SPECS.knowledgeSharing),
  // An erasure (docs/identity.md, "Erasure"): every family's zero roll-ups naming the person.
  ...Object.values(ROLLUP_SPECS).flatMap(erasureShapes),
  // tombstones.ts: keyed (store, target).
  {
    name: 'tombstones.voidedAmong',
    collection: COLLECTIONS.tombstones,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    // An erasure's own tombstones, once its statements and their rows are gone.
    name: 'tombstones.forget',
    collection: COLLECTIONS.tombstones,
    op: 'deleteMany',
    filter: { ...BY_IDS, voidingStatementId: EQ },
    index: '_id_',
  },
  {
    name: 'tombstones.migrate',
    collection: COLLECTIONS.tombstones,
    op: 'find',
    filter: {},
    index: 'none',
    scan: 'once per database, at the first start-up of a version with tombstones keyed by target',
  },
  {
    name: 'tombstones.migrateDelete',
    collection: COLLECTIONS.tombstones,
    op: 'deleteMany',
    filter: BY_IDS,
    index: '_id_',
  },
  // rederivations.ts: marks keyed (store, statement).
  {
    name: 'derivationMarks.latest',
    collection: COLLECTIONS.derivationMarks,
    op: 'find',
    filter: BY_IDS,
    index: '_id_',
  },
  {
    name: 'derivationMarks.mark',
    collection: COLLECTIONS.derivationMarks,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'derivationMarks.deleteAll',
    collection: COLLECTIONS.derivationMarks,
    op: 'deleteMany',
    filter: { storeId: EQ },
    index: 'store',
  },
  {
    name: 'derivationMarks.migrate',
    collection: COLLECTIONS.derivationMarks,
    op: 'find',
    filter: {},
    index: 'none',
    scan: 'once per database, at the first start-up of a version with marks keyed by statement',
  },
  {
    name: 'derivationMarks.migrateDelete',
    collection: COLLECTIONS.derivationMarks,
    op: 'deleteMany',
    filter: BY_IDS,
    index: '_id_',
  },
  // keyed-lookups-migration.ts: whether it ran.
  {
    name: 'migrations.done',
    collection: COLLECTIONS.migrations,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'rederivations.get',
    collection: COLLECTIONS.rederivations,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'rederivations.save',
    collection: COLLECTIONS.rederivations,
    op: 'replaceOne',
    filter: BY_ID,
    index: '_id_',
  },
  // unknown-verbs.ts
  {
    name: 'unknownVerbs.count',
    collection: COLLECTIONS.unknownVerbs,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'unknownVerbs.list',
    collection: COLLECTIONS.unknownVerbs,
    op: 'find',
    filter: { storeId: EQ },
    sort: { statements: -1, _id: 1 },
    index: 'store_statements',
  },
  {
    name: 'unalignedActivities.count',
    collection: COLLECTIONS.unalignedActivities,
    op: 'updateOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'unalignedActivities.list',
    collection: COLLECTIONS.unalignedActivities,
    op: 'find',
    filter: { storeId: EQ },
    sort: { statements: -1, _id: 1 },
    index: 'store_statements',
  },
  // derivation-settings.ts
  {
    name: 'skillSettings.current',
    collection: COLLECTIONS.skillSettings,
    op: 'find',
    filter: { storeId: EQ },
    sort: { generation: -1 },
    limit: true,
    index: 'store_generation',
  },
  {
    name: 'skillSettings.get',
    collection: COLLECTIONS.skillSettings,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'skillSettings.prune',
    collection: COLLECTIONS.skillSettings,
    op: 'deleteMany',
    filter: { storeId: EQ, generation: RANGE },
    index: 'store_generation',
  },
  // erasures.ts: read and written by `_id` (store, erasure) only.
  {
    name: 'erasures.get',
    collection: COLLECTIONS.erasures,
    op: 'findOne',
    filter: BY_ID,
    index: '_id_',
  },
  {
    name: 'erasures.update',
    collection: COLLECTIONS.erasures,
    op: 'updateOne',
    filter: { ...BY_ID, plan: opt({ op: 'exists' }) },
    index: '_id_',
  },
];
