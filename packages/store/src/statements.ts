import type { Db, Filter } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { insertNew } from './duplicate-keys.js';
import { insertAllOrNothing } from './statement-batches.js';
import { docId } from './statement-keys.js';

/** The fields of a statement that queries filter on; extracted by @cairn/xapi, stored as is. */
export interface StatementIndexFields {
  readonly verbId: string;
  /** Actor and object agents: the `agent` filter. */
  readonly agentKeys: readonly string[];
  /** Every agent anywhere in the statement: `agent` with `related_agents=true`. */
  readonly relatedAgentKeys: readonly string[];
  readonly objectActivityId: string | null;
  /** Object and context activities: `activity` with `related_activities=true`. */
  readonly relatedActivityIds: readonly string[];
  readonly registration: string | null;
  /** Set on a voiding statement: the id of the statement it voids. */
  readonly voidsStatementId: string | null;
  /** Set when the object is a StatementRef (voiding or not): the id it targets. */
  readonly refStatementId: string | null;
  /** IFI key of the authority: what `statements/read/mine` filters on. */
  readonly authorityKey: string;
}

/** A prepared statement ready to store. */
export interface NewStatement {
  readonly statementId: string;
  /** The statement exactly as stored, serialised once: GET returns these bytes. */
  readonly json: string;
  readonly stored: Date;
  readonly fields: StatementIndexFields;
  /** SHA-256 hex of each attachment's content stored with it. */
  readonly attachmentHashes: readonly string[];
  /**
   * Whether the credential that stored it held the `define` scope (xAPI Communication 4.2), so
   * that its activity definitions and agent names may update Cairn's canonical ones. Default false.
   */
  readonly mayDefine?: boolean;
}

export interface StoredStatement {
  readonly statementId: string;
  readonly json: string;
  readonly stored: Date;
  readonly voided: boolean;
  readonly authorityKey: string;
  /** See {@link NewStatement.mayDefine}; false for statements stored before it existed. */
  readonly mayDefine: boolean;
}

/** A voiding statement and the statement it voids. */
export interface StatementVoid {
  readonly targetStatementId: string;
  readonly voidingStatementId: string;
}

/** Statements about one activity or one agent: see {@link StatementRepository.latestAbout}. */
export type StatementSubject =
  { readonly activityId: string } | { readonly agentKeys: readonly string[] };

/**
 * A string that sorts like the statements' storage order (the `order` of a page): `stored` as
 * an ISO string, `|`, the statement id. Used to tell which of two statements is the later one.
 */
export function orderStamp(s: Pick<StoredStatement, 'stored' | 'statementId'>): string {
  return `${s.stored.toISOString()}|${s.statementId}`;
}

/** Filters of GET /statements, already resolved to index fields. */
export interface StatementQuery {
  readonly agentKey?: string;
  readonly relatedAgents?: boolean;
  readonly verbId?: string;
  readonly activityId?: string;
  readonly relatedActivities?: boolean;
  readonly registration?: string;
  /** Only statements with this authority (`statements/read/mine`). */
  readonly authorityKey?: string;
  /** Exclusive lower bound on `stored`. */
  readonly since?: Date;
  /** Inclusive upper bound on `stored`. */
  readonly until?: Date;
  readonly ascending: boolean;
  readonly limit: number;
  /** Opaque position after which the page starts (from a previous page's `next`). */
  readonly after?: string;
}

export interface StatementPage {
  readonly statements: readonly StoredStatement[];
  /** Position to continue from, or null when this was the last page. */
  readonly next: string | null;
}

/** Port: statements of one store. Every method is scoped by the store id it is built with. */
export interface StatementRepository {
  /**
   * Inserts new statements. Returns, per input, 'inserted' or 'exists' (same id already stored;
   * the caller compares content). Never overwrites a stored statement.
   */
  insertMany(statements: readonly NewStatement[]): Promise<('inserted' | 'exists')[]>;
  get(statementId: string): Promise<StoredStatement | null>;
  getMany(statementIds: readonly string[]): Promise<StoredStatement[]>;
  /**
   * Records, under each target's id, that a stored voiding statement voids it, so that a target
   * that arrives later is found voided by key ({@link voidedAmong}). Idempotent: the first
   * voiding statement recorded for a target stays.
   */
  recordVoids(voids: readonly StatementVoid[]): Promise<void>;
  /** Marks the targets voided, except those that are themselves voiding statements. */
  markVoided(targetIds: readonly string[]): Promise<void>;
  /** Those of `statementIds` that a recorded void targets (a void may arrive first). */
  voidedAmong(statementIds: readonly string[]): Promise<string[]>;
  /**
   * Applies every void these stored statements take part in: each voiding statement among them
   * is recorded against its target ({@link recordVoids}) and the target marked voided, and each
   * of them that a recorded void targets is marked voided. Idempotent, and read from what is
   * stored, not from the request: the LRS calls it after every write, and the sweeper for every
   * statement it re-drives, so a write that died between its insert and its voids still
   * converges to the voided state (docs/pipeline.md, "Voids").
   */
  settleVoids(statementIds: readonly string[]): Promise<void>;
  /**
   * A page of unvoided statements matching the filters, in `order`; with any of the agent, verb,
   * activity or registration filters, also those whose StatementRef chain reaches a statement
   * that matches them (xAPI Communication 2.1.3, Filter Conditions for StatementRefs).
   */
  query(query: StatementQuery): Promise<StatementPage>;
  /** The latest `stored` of this store (its statistics), voided statements included. */
  lastStored(): Promise<Date | null>;
  /**
   * The `limit` latest statements, voided or not, in which the activity appears anywhere (as with
   * `related_activities`) or in which any of the agent keys appears (as with `related_agents`),
   * latest first.
   */
  latestAbout(subject: StatementSubject, limit: number): Promise<StoredStatement[]>;
  /**
   * Clears the outbox of these statements (`pipeline.state` pending -> done) once the pipeline
   * has done their work, so the sweeper does not re-drive them. Idempotent.
   */
  markProcessed(statementIds: readonly string[], at: Date): Promise<void>;
  /**
   * Every statement of the store, voided or not, in storage order, a page at a time after the
   * position `after` (a page's `next`; null from the start): what an erasure reads to find the
   * statements that name a person (docs/identity.md, "Erasure").
   */
  scan(after: string | null, limit: number): Promise<StatementPage>;
  /** Those of `statementIds` that the pipeline still owes work (outbox `pending`). */
  pendingAmong(statementIds: readonly string[]): Promise<string[]>;
  /**
   * Rewrites stored statements in place: their JSON and index fields (an erasure's redaction of
   * the statements of others that named the erased person). Idempotent; returns how many of the
   * statements exist.
   */
  redact(statements: readonly RedactedStatement[]): Promise<number>;
  /**
   * Deletes statements and the voids recorded under their ids; returns how many were deleted and
   * the attachment hashes they held (idempotent: a second call deletes nothing).
   */
  deleteMany(
    statementIds: readonly string[],
  ): Promise<{ readonly deleted: number; readonly attachmentHashes: readonly string[] }>;
  /** Those of `hashes` that some statement of the store still holds. */
  attachmentsInUse(hashes: readonly string[]): Promise<string[]>;
}

/** A statement's new content after an erasure's redaction: see {@link StatementRepository.redact}. */
export interface RedactedStatement {
  readonly statementId: string;
  readonly json: string;
  readonly fields: StatementIndexFields;
}

interface StatementDoc {
  _id: string;
  storeId: string;
  statementId: string;
  json: string;
  stored: Date;
  /** `stored` ISO string + '|' + id: one sortable field, so pages need a single range bound. */
  order: string;
  voided: boolean;
  verbId: string;
  agentKeys: string[];
  relatedAgentKeys: string[];
  objectActivityId: string | null;
  relatedActivityIds: string[];
  registration: string | null;
  voidsStatementId: string | null;
  /** Absent on statements stored before StatementRef filtering: they never match through a ref. */
  refStatementId?: string | null;
  /** `refStatementId !== null`, as an equality the `store_ref_order` index can sort under. */
  isStatementRef?: boolean;
  authorityKey: string;
  attachmentHashes: string[];
  /** Absent on statements stored before the `define` scope was recorded: false. */
  mayDefine?: boolean;
  /** The outbox: work the pipeline owes this statement (docs/pipeline.md); `staged` until its batch is published. */
  pipeline: { state: 'staged' | 'pending' | 'done' | 'failed'; since: Date };
  /** Set while the statement's batch is staged (statement-batches.ts): invisible until published. */
  batch?: string;
}

/**
 * A void recorded under its target's id (`statement_voids`): every POST asks whether any of its
 * statements was voided before it arrived, and a lookup by `_id` answers that without a scan on
 * any server (the local server builds no secondary index).
 */
interface StatementVoidDoc extends StatementVoid {
  /** {@link docId} of the target. */
  _id: string;
  storeId: string;
}

export { docId } from './statement-keys.js';

/** StatementRefs followed down one chain (a round trip each) before it counts as not matching. */
const MAX_REF_DEPTH = 8;
/** Statements read per round of the single pass over a filtered query (see `query`). */
const PASS_BATCH = 500;
/**
 * A filtered page reads at most this many statements per statement it may return (and at least
 * one round's worth): StatementRefs that lead nowhere cost the page that meets them, not the
 * store. Past it, the page ends early with a position to continue from.
 */
export const FILTERED_READS_PER_RESULT = 10;

type OrderRange = { $gt?: string; $lt?: string };

/** The filters of 2.1.3 that StatementRefs carry over to the statement referring (not time). */
function contentFilter(q: StatementQuery): Filter<StatementDoc> {
  const filter: Filter<StatementDoc> = {};
  if (q.verbId !== undefined) filter.verbId = q.verbId;
  if (q.agentKey !== undefined) {
    if (q.relatedAgents === true) filter.relatedAgentKeys = q.agentKey;
    else filter.agentKeys = q.agentKey;
  }
  if (q.activityId !== undefined) {
    if (q.relatedActivities === true) filter.relatedActivityIds = q.activityId;
    else filter.objectActivityId = q.activityId;
  }
  if (q.registration !== undefined) filter.registration = q.registration;
  return filter;
}

/**
 * Sorts after every `order` of a statement stored at that instant: `order` is the ISO string of
 * `stored`, `|`, the id, and no id reaches U+FFFF.
 */
const AFTER_INSTANT = '|\uffff';
/** The instants whose ISO strings sort as the times do (four-digit years, `toISOString`). */
const FIRST_ISO = Date.parse('0000-01-01T00:00:00.000Z');
const LAST_ISO = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The page's range on `order`, the field every statement index sorts by: `since` (exclusive) and
 * `until` (inclusive) on `stored` become bounds of `order`, so that they bound the index scan
 * rather than filter the documents it reads, and `after` (the previous page's last) is the bound
 * in page direction; where two bounds fall on one side, the tighter wins. Null when the range is
 * empty (an `until` before any storable instant).
 */
function orderRange(q: StatementQuery): OrderRange | null {
  let lower: string | undefined;
  let upper: string | undefined;
  const raise = (b: string): void => {
    if (lower === undefined || b > lower) lower = b;
  };
  const cut = (b: string): void => {
    if (upper === undefined || b < upper) upper = b;
  };
  // stored > since  <=>  order > ISO(since) + AFTER_INSTANT. Outside four-digit years the ISO
  // string does not sort, and no statement is stored there: no bound, or an empty range.
  if (q.since !== undefined) {
    const t = q.since.getTime();
    if (t > LAST_ISO) return null;
    if (t >= FIRST_ISO) raise(q.since.toISOString() + AFTER_INSTANT);
  }
  // stored <= until  <=>  order < ISO(until) + AFTER_INSTANT.
  if (q.until !== undefined) {
    const t = q.until.getTime();
    if (t < FIRST_ISO) return null;
    if (t <= LAST_ISO) cut(q.until.toISOString() + AFTER_INSTANT);
  }
  if (q.after !== undefined) {
    if (q.ascending) raise(q.after);
    else cut(q.after);
  }
  if (lower !== undefined && upper !== undefined && lower >= upper) return null;
  const range: OrderRange = {};
  if (lower !== undefined) range.$gt = lower;
  if (upper !== undefined) range.$lt = upper;
  return range;
}

/** The fields a StatementRef chain is judged on. */
const CHAIN_FIELDS = {
  statementId: 1,
  storeId: 1,
  refStatementId: 1,
  authorityKey: 1,
  verbId: 1,
  agentKeys: 1,
  relatedAgentKeys: 1,
  objectActivityId: 1,
  relatedActivityIds: 1,
  registration: 1,
} as const;

type ContentFields = Pick<
  StatementDoc,
  | 'verbId'
  | 'agentKeys'
  | 'relatedAgentKeys'
  | 'objectActivityId'
  | 'relatedActivityIds'
  | 'registration'
>;

/**
 * Whether a statement meets the content filters itself, judged here on the fields the query read:
 * the same equalities as {@link contentFilter} (an array field matches when it holds the value).
 */
function meetsContent(d: ContentFields, q: StatementQuery): boolean {
  if (q.verbId !== undefined && d.verbId !== q.verbId) return false;
  if (q.agentKey !== undefined) {
    const keys = q.relatedAgents === true ? d.relatedAgentKeys : d.agentKeys;
    if (!keys.includes(q.agentKey)) return false;
  }
  if (q.activityId !== undefined) {
    if (q.relatedActivities === true) {
      if (!d.relatedActivityIds.includes(q.activityId)) return false;
    } else if (d.objectActivityId !== q.activityId) return false;
  }
  if (q.registration !== undefined && d.registration !== q.registration) return false;
  return true;
}

export function mongoStatementRepository(db: Db, storeId: string): StatementRepository {
  const col = db.collection<StatementDoc>(COLLECTIONS.statements);
  const voids = db.collection<StatementVoidDoc>(COLLECTIONS.statementVoids);
  /**
   * Whether a document read by key is a published statement of this store: a staged one
   * (statement-batches.ts) has the same key and another `storeId`. Checked here, not in the
   * filter, so that the read stays a key lookup on every server.
   */
  const visible = (d: Pick<StatementDoc, 'storeId'>): boolean => d.storeId === storeId;
  const toStored = (d: StatementDoc): StoredStatement => ({
    statementId: d.statementId,
    json: d.json,
    stored: d.stored,
    voided: d.voided,
    authorityKey: d.authorityKey,
    mayDefine: d.mayDefine === true,
  });

  /**
   * Judges StatementRef chains for a filtered query (xAPI Communication 2.1.3, "Filter Conditions
   * for StatementRefs"): records in `verdicts`, for each of `ids` and every statement walked down
   * its chain, whether it or a statement further down meets the query's content filters. Chain
   * members count whether voided or not (2.1.4.s1.b2) and whatever their `stored` (since/until
   * apply to the referring statement); with `statements/read/mine`, only statements of the same
   * authority can make another one match.
   *
   * Each level of the chains is one read by `_id $in`, judged here: a key lookup on any server,
   * where a filter beside the `_id` would make the local server scan.
   */
  async function judgeChains(
    ids: readonly string[],
    q: StatementQuery,
    verdicts: Map<string, boolean>,
  ): Promise<void> {
    const links = new Map<string, string>();
    let frontier = [...new Set(ids)].filter((id) => !verdicts.has(id));
    for (let depth = 0; depth < MAX_REF_DEPTH && frontier.length > 0; depth++) {
      const docs = await col
        .find(
          { _id: { $in: frontier.map((id) => docId(storeId, id)) } },
          { projection: CHAIN_FIELDS },
        )
        .toArray();
      const byId = new Map(docs.filter(visible).map((d) => [d.statementId, d]));
      const next: string[] = [];
      for (const id of frontier) {
        const d = byId.get(id);
        // Missing, unreadable, or no StatementRef: the chain ends here without a match.
        if (d === undefined || (q.authorityKey !== undefined && d.authorityKey !== q.authorityKey))
          verdicts.set(id, false);
        else if (meetsContent(d, q)) verdicts.set(id, true);
        else if (typeof d.refStatementId === 'string') {
          links.set(id, d.refStatementId);
          next.push(d.refStatementId);
        } else verdicts.set(id, false);
      }
      frontier = [...new Set(next)].filter((id) => !verdicts.has(id) && !links.has(id));
    }
    // Settle every chain walked: a chain that ends unmatched, missing, in a cycle or beyond
    // MAX_REF_DEPTH does not match.
    for (const id of ids) {
      const path: string[] = [];
      let verdict = false;
      for (let at: string | undefined = id; at !== undefined; at = links.get(at)) {
        const known = verdicts.get(at);
        if (known !== undefined) {
          verdict = known;
          break;
        }
        if (path.includes(at)) break;
        path.push(at);
      }
      for (const p of path) verdicts.set(p, verdict);
    }
  }

  /**
   * A filtered page: the statements that meet the filters themselves, and the StatementRefs whose
   * chain reaches one that does, merged in page order, at most `want`.
   *
   * One query reads both kinds in page order (`$or` of the filters and `isStatementRef`), and
   * each batch's StatementRefs are judged by key lookups down their chains. Resolved when
   * queried, not materialised when stored: the rule depends on statements that may arrive after
   * the one referring to them, and copying filter fields down reference chains at insert time
   * would be a second write per chain with no transaction to keep the copies right. On MongoDB
   * each branch of the `$or` is served by its index in `order` (store_*_order and
   * store_ref_order, merged); on the local server, which scans, it is one scan instead of two.
   * It stops once `want` are found, so a query pays for the StatementRefs within its page's
   * range, not for every statement the filters match.
   */
  async function filteredPage(
    own: Filter<StatementDoc>,
    q: StatementQuery,
    want: number,
  ): Promise<{ found: StatementDoc[]; stoppedAt: string | null }> {
    const verdicts = new Map<string, boolean>();
    const found: StatementDoc[] = [];
    let pending: StatementDoc[] = [];
    let directInPending = 0;
    const budget = Math.max(PASS_BATCH, want * FILTERED_READS_PER_RESULT);
    let read = 0;
    let last: string | null = null;
    const judge = async (): Promise<void> => {
      const refs = pending.flatMap((d) =>
        !meetsContent(d, q) && typeof d.refStatementId === 'string' ? [d.refStatementId] : [],
      );
      await judgeChains(refs, q, verdicts);
      for (const d of pending) {
        if (found.length >= want) break;
        const viaRef = typeof d.refStatementId === 'string' && verdicts.get(d.refStatementId);
        if (meetsContent(d, q) || viaRef === true) found.push(d);
      }
      pending = [];
      directInPending = 0;
    };
    const cursor = col
      .find({ ...own, $or: [contentFilter(q), { isStatementRef: true }] })
      .sort({ order: q.ascending ? 1 : -1 })
      // A page's worth per round trip, at least a round's of refs: where StatementRefs are few,
      // the first batch is the page, and where they are many, a page is a few round trips.
      .batchSize(Math.min(PASS_BATCH, Math.max(want, budget / FILTERED_READS_PER_RESULT)));
    let exhausted = false;
    try {
      for await (const d of cursor) {
        pending.push(d);
        read++;
        last = d.order;
        if (meetsContent(d, q)) directInPending++;
        // Judge early when the page may already be full: no StatementRef is then read past it.
        if (
          pending.length >= PASS_BATCH ||
          found.length + directInPending >= want ||
          read >= budget
        ) {
          await judge();
          if (found.length >= want) break;
          if (read >= budget) {
            exhausted = true;
            break;
          }
        }
      }
      if (found.length < want) await judge();
    } finally {
      await cursor.close();
    }
    // Every statement read was judged: a page cut short by the budget continues after the last.
    return { found, stoppedAt: exhausted && found.length < want ? last : null };
  }

  const repo: StatementRepository = {
    async insertMany(statements) {
      if (statements.length === 0) return [];
      // One unordered command for the batch: a duplicate id fails only its own document, and
      // the error names it by index.
      const docs = statements.map((s): StatementDoc => ({
        _id: docId(storeId, s.statementId),
        storeId,
        statementId: s.statementId,
        json: s.json,
        stored: s.stored,
        order: `${s.stored.toISOString()}|${s.statementId}`,
        voided: false,
        verbId: s.fields.verbId,
        agentKeys: [...s.fields.agentKeys],
        relatedAgentKeys: [...s.fields.relatedAgentKeys],
        objectActivityId: s.fields.objectActivityId,
        relatedActivityIds: [...s.fields.relatedActivityIds],
        registration: s.fields.registration,
        voidsStatementId: s.fields.voidsStatementId,
        refStatementId: s.fields.refStatementId,
        isStatementRef: s.fields.refStatementId !== null,
        authorityKey: s.fields.authorityKey,
        attachmentHashes: [...s.attachmentHashes],
        mayDefine: s.mayDefine === true,
        pipeline: { state: 'pending', since: s.stored },
      }));
      // All or nothing to readers and to the pipeline, even if this process dies half-way.
      const fresh = await insertAllOrNothing(db, storeId, docs, new Date());
      return fresh.map((isNew): 'inserted' | 'exists' => (isNew ? 'inserted' : 'exists'));
    },

    async get(statementId) {
      const d = await col.findOne({ _id: docId(storeId, statementId) });
      return d === null || !visible(d) ? null : toStored(d);
    },

    async getMany(statementIds) {
      if (statementIds.length === 0) return [];
      const docs = await col
        .find({ _id: { $in: statementIds.map((id) => docId(storeId, id)) } })
        .toArray();
      return docs.filter(visible).map(toStored);
    },

    async recordVoids(list) {
      if (list.length === 0) return;
      // Inserts: a target already recorded keeps its first voiding statement (11000 is "taken").
      await insertNew(
        voids,
        list.map((v) => ({
          _id: docId(storeId, v.targetStatementId),
          storeId,
          targetStatementId: v.targetStatementId,
          voidingStatementId: v.voidingStatementId,
        })),
      );
    },

    async markVoided(targetIds) {
      if (targetIds.length === 0) return;
      const keys = [...new Set(targetIds)].map((id) => docId(storeId, id));
      // A voiding statement is never voided. Read first, by key, and update by key alone: a
      // statement's voidsStatementId never changes once stored, so the read cannot go stale.
      const targets = await col
        .find({ _id: { $in: keys } }, { projection: { voidsStatementId: 1, voided: 1 } })
        .toArray();
      const toVoid = targets.filter((d) => d.voidsStatementId === null && !d.voided);
      if (toVoid.length === 0) return;
      await col.updateMany({ _id: { $in: toVoid.map((d) => d._id) } }, { $set: { voided: true } });
    },

    async voidedAmong(statementIds) {
      if (statementIds.length === 0) return [];
      const found = await voids
        .find(
          { _id: { $in: [...new Set(statementIds)].map((id) => docId(storeId, id)) } },
          { projection: { targetStatementId: 1 } },
        )
        .toArray();
      return found.map((v) => v.targetStatementId);
    },

    async settleVoids(statementIds) {
      if (statementIds.length === 0) return;
      const ids = [...new Set(statementIds)];
      // By key: which of them are voiding statements, and what they void.
      const docs = await col
        .find(
          { _id: { $in: ids.map((id) => docId(storeId, id)) } },
          { projection: { statementId: 1, storeId: 1, voidsStatementId: 1 } },
        )
        .toArray();
      // A staged voiding statement voids nothing until its batch is published.
      const list = docs
        .filter(visible)
        .flatMap((d) =>
          d.voidsStatementId === null
            ? []
            : [{ targetStatementId: d.voidsStatementId, voidingStatementId: d.statementId }],
        );
      // Recorded before marking: a target inserted meanwhile finds the record (voidedAmong).
      await repo.recordVoids(list);
      const voidedEarlier = await repo.voidedAmong(ids);
      await repo.markVoided([...list.map((v) => v.targetStatementId), ...voidedEarlier]);
    },

    async query(q) {
      // What the returned statement itself must satisfy, whatever made it match.
      const own: Filter<StatementDoc> = { storeId, voided: false };
      if (q.authorityKey !== undefined) own.authorityKey = q.authorityKey;
      const range = orderRange(q);
      if (range === null) return { statements: [], next: null };
      if (Object.keys(range).length > 0) own.order = range;
      const want = q.limit + 1;

      let docs: StatementDoc[];
      let stoppedAt: string | null = null;
      if (Object.keys(contentFilter(q)).length > 0) {
        ({ found: docs, stoppedAt } = await filteredPage(own, q, want));
      } else {
        docs = await col
          .find(own)
          .sort({ order: q.ascending ? 1 : -1 })
          .limit(want)
          .toArray();
      }
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      // A page cut short by its read budget may hold fewer than `limit`, even none, and still
      // has a next position (xAPI lets a page hold fewer statements than the limit).
      return {
        statements: page.map(toStored),
        next: docs.length > q.limit && last !== undefined ? last.order : stoppedAt,
      };
    },

    async lastStored() {
      // Served by store_latest (indexes.ts).
      const latest = await col.find({ storeId }).sort({ order: -1 }).limit(1).toArray();
      return latest[0]?.stored ?? null;
    },

    async latestAbout(subject, limit) {
      if (limit <= 0) return []; // a limit of 0 means none to the server
      // Served by store_related_activity_order and store_related_agent_order.
      const filter: Filter<StatementDoc> =
        'activityId' in subject
          ? { storeId, relatedActivityIds: subject.activityId }
          : { storeId, relatedAgentKeys: { $in: [...subject.agentKeys] } };
      const docs = await col.find(filter).sort({ order: -1 }).limit(limit).toArray();
      return docs.map(toStored);
    },

    async markProcessed(statementIds, at) {
      if (statementIds.length === 0) return;
      // By key alone: every batch clears its outbox, and a filter beside `_id` would make the
      // local server scan the statements for each batch. Done is the truth whatever the state
      // was (pending, or given up by the sweeper before this late job finished).
      await col.updateMany(
        { _id: { $in: statementIds.map((id) => docId(storeId, id)) } },
        { $set: { pipeline: { state: 'done', since: at } } },
      );
    },

    async scan(after, limit) {
      // Served by store_latest (storeId, order), read ascending.
      const docs = await col
        .find({ storeId, ...(after === null ? {} : { order: { $gt: after } }) })
        .sort({ order: 1 })
        .limit(limit + 1)
        .toArray();
      const page = docs.slice(0, limit);
      const last = page[page.length - 1];
      return {
        statements: page.map(toStored),
        next: docs.length > limit && last !== undefined ? last.order : null,
      };
    },

    async pendingAmong(statementIds) {
      if (statementIds.length === 0) return [];
      const docs = await col
        .find(
          { _id: { $in: [...new Set(statementIds)].map((id) => docId(storeId, id)) } },
          { projection: { statementId: 1, pipeline: 1 } },
        )
        .toArray();
      return docs.filter((d) => d.pipeline.state === 'pending').map((d) => d.statementId);
    },

    async redact(statements) {
      if (statements.length === 0) return 0;
      const res = await col.bulkWrite(
        statements.map(({ statementId, json, fields }) => ({
          updateOne: {
            filter: { _id: docId(storeId, statementId) },
            update: {
              $set: {
                json,
                ...fields,
                agentKeys: [...fields.agentKeys],
                relatedAgentKeys: [...fields.relatedAgentKeys],
                relatedActivityIds: [...fields.relatedActivityIds],
                isStatementRef: fields.refStatementId !== null,
              },
            },
          },
        })),
        { ordered: false },
      );
      return res.matchedCount;
    },

    async deleteMany(statementIds) {
      if (statementIds.length === 0) return { deleted: 0, attachmentHashes: [] };
      const ids = [...new Set(statementIds)].map((id) => docId(storeId, id));
      const docs = await col
        .find({ _id: { $in: ids } }, { projection: { attachmentHashes: 1 } })
        .toArray();
      const attachmentHashes = [...new Set(docs.flatMap((d) => d.attachmentHashes))].sort();
      const res = await col.deleteMany({ _id: { $in: ids } });
      await voids.deleteMany({ _id: { $in: ids } });
      return { deleted: res.deletedCount, attachmentHashes };
    },

    async attachmentsInUse(hashes) {
      if (hashes.length === 0) return [];
      // A scan of the store's statements by design (query-catalogue.ts): only an erasure asks.
      const docs = await col
        .find(
          { storeId, attachmentHashes: { $in: [...new Set(hashes)] } },
          { projection: { attachmentHashes: 1 } },
        )
        .toArray();
      const wanted = new Set(hashes);
      return [...new Set(docs.flatMap((d) => d.attachmentHashes.filter((h) => wanted.has(h))))];
    },
  };
  return repo;
}
