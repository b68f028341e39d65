import type { Db, Filter } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { insertNew } from './duplicate-keys.js';

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
  /** Marks the targets voided, except those that are themselves voiding statements. */
  markVoided(targetIds: readonly string[]): Promise<void>;
  /** Those of `statementIds` that a stored statement voids (a void may arrive first). */
  voidedAmong(statementIds: readonly string[]): Promise<string[]>;
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
  /** The outbox: work the pipeline owes this statement (architecture.md). */
  pipeline: { state: 'pending' | 'done'; since: Date };
}

/** Statement ids are unique per store: the document id is the pair, so a get by id is a key lookup. */
export function docId(storeId: string, statementId: string): string {
  return `${storeId}|${statementId}`;
}

/** StatementRefs followed down one chain (a round trip each) before it counts as not matching. */
const MAX_REF_DEPTH = 8;
/** StatementRefs judged per round of chain lookups. */
const REF_BATCH = 500;

type OrderRange = { $gt?: string; $lt?: string };
type RefCandidate = Pick<StatementDoc, 'statementId' | 'refStatementId'>;

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

/** `order` strictly after `start` and strictly before `end`, in page direction. */
function orderRange(
  ascending: boolean,
  start: string | undefined,
  end: string | undefined,
): OrderRange | undefined {
  const range: OrderRange = {};
  if (start !== undefined) range[ascending ? '$gt' : '$lt'] = start;
  if (end !== undefined) range[ascending ? '$lt' : '$gt'] = end;
  return Object.keys(range).length > 0 ? range : undefined;
}

/** Two lists already in page order, as one, each statement once. */
function mergeInOrder(
  a: readonly StatementDoc[],
  b: readonly StatementDoc[],
  ascending: boolean,
): StatementDoc[] {
  const byId = new Map([...a, ...b].map((d) => [d._id, d]));
  // `order` is ASCII, so code-unit comparison is the server's bytewise order.
  const sign = ascending ? 1 : -1;
  return [...byId.values()].sort(
    (x, y) => sign * (x.order < y.order ? -1 : x.order > y.order ? 1 : 0),
  );
}

export function mongoStatementRepository(db: Db, storeId: string): StatementRepository {
  const col = db.collection<StatementDoc>(COLLECTIONS.statements);
  const toStored = (d: StatementDoc): StoredStatement => ({
    statementId: d.statementId,
    json: d.json,
    stored: d.stored,
    voided: d.voided,
    authorityKey: d.authorityKey,
    mayDefine: d.mayDefine === true,
  });

  /**
   * Statements that match the query's filters only through their StatementRef (xAPI
   * Communication 2.1.3, "Filter Conditions for StatementRefs"), in page order, at most `want`.
   *
   * Resolved when queried, not materialised when stored: the rule depends on statements that may
   * arrive after the one referring to them, and copying filter fields down reference chains at
   * insert time would be a second write per chain with no transaction to keep the copies right.
   * Without $lookup (compatibility floor, architecture.md) the join is done here: walk the
   * StatementRefs in page order (the `store_ref_order` index holds only them), follow each one's
   * chain by key lookups, a level per round trip, and stop once `want` are found. So only queries
   * with a filter pay, and they pay for the StatementRefs within their page's range, not for
   * every statement the filter matches. Chain members count whether voided or not (2.1.4.s1.b2)
   * and whatever their `stored` (since/until apply to the referring statement); with
   * `statements/read/mine`, only statements of the same authority can make another one match.
   */
  async function matchesThroughRefs(
    own: Filter<StatementDoc>,
    content: Filter<StatementDoc>,
    authorityKey: string | undefined,
    range: OrderRange | undefined,
    ascending: boolean,
    want: number,
  ): Promise<StatementDoc[]> {
    const readable: Filter<StatementDoc> = authorityKey === undefined ? {} : { authorityKey };
    /** statementId -> whether it, or a statement down its chain, meets `content`. */
    const verdicts = new Map<string, boolean>();

    const resolve = async (ids: readonly string[]): Promise<void> => {
      const links = new Map<string, string>();
      let frontier = [...new Set(ids)].filter((id) => !verdicts.has(id));
      for (let depth = 0; depth < MAX_REF_DEPTH && frontier.length > 0; depth++) {
        const keys = frontier.map((id) => docId(storeId, id));
        const hits = await col
          .find({ _id: { $in: keys }, ...readable, ...content }, { projection: { statementId: 1 } })
          .toArray();
        for (const h of hits) verdicts.set(h.statementId, true);
        const rest = frontier.filter((id) => !verdicts.has(id));
        if (rest.length === 0) break;
        const refs = await col
          .find(
            { _id: { $in: rest.map((id) => docId(storeId, id)) }, ...readable },
            { projection: { statementId: 1, refStatementId: 1 } },
          )
          .toArray();
        for (const r of refs)
          if (typeof r.refStatementId === 'string') links.set(r.statementId, r.refStatementId);
        // Missing, unreadable, or no StatementRef: the chain ends here without a match.
        for (const id of rest) if (!links.has(id)) verdicts.set(id, false);
        const next = rest.flatMap((id) => links.get(id) ?? []);
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
    };

    const found: string[] = [];
    const judge = async (batch: readonly RefCandidate[]): Promise<void> => {
      await resolve(
        batch.flatMap((c) => (typeof c.refStatementId === 'string' ? [c.refStatementId] : [])),
      );
      for (const c of batch) {
        if (typeof c.refStatementId === 'string' && verdicts.get(c.refStatementId) === true)
          found.push(c.statementId);
      }
    };
    const cursor = col
      .find(
        { ...own, isStatementRef: true, ...(range === undefined ? {} : { order: range }) },
        { projection: { statementId: 1, refStatementId: 1 } },
      )
      .sort({ order: ascending ? 1 : -1 })
      .batchSize(REF_BATCH);
    try {
      let batch: RefCandidate[] = [];
      for await (const candidate of cursor) {
        batch.push(candidate);
        if (batch.length < REF_BATCH) continue;
        await judge(batch);
        batch = [];
        if (found.length >= want) break;
      }
      if (found.length < want) await judge(batch);
    } finally {
      await cursor.close();
    }
    const chosen = found.slice(0, want);
    if (chosen.length === 0) return [];
    return col
      .find({ _id: { $in: chosen.map((id) => docId(storeId, id)) } })
      .sort({ order: ascending ? 1 : -1 })
      .toArray();
  }

  return {
    async insertMany(statements) {
      if (statements.length === 0) return [];
      // One unordered command for the batch: a duplicate id fails only its own document, and
      // the error names it by index (FerretDB reports duplicates without the key, ferretdb.md).
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
      const fresh = await insertNew(col, docs);
      return fresh.map((isNew): 'inserted' | 'exists' => (isNew ? 'inserted' : 'exists'));
    },

    async get(statementId) {
      const d = await col.findOne({ _id: docId(storeId, statementId) });
      return d === null ? null : toStored(d);
    },

    async getMany(statementIds) {
      if (statementIds.length === 0) return [];
      const docs = await col
        .find({ _id: { $in: statementIds.map((id) => docId(storeId, id)) } })
        .toArray();
      return docs.map(toStored);
    },

    async markVoided(targetIds) {
      if (targetIds.length === 0) return;
      await col.updateMany(
        { _id: { $in: targetIds.map((id) => docId(storeId, id)) }, voidsStatementId: null },
        { $set: { voided: true } },
      );
    },

    async voidedAmong(statementIds) {
      if (statementIds.length === 0) return [];
      const voiders = await col
        .find(
          { storeId, voidsStatementId: { $in: [...statementIds] } },
          { projection: { voidsStatementId: 1 } },
        )
        .toArray();
      return [...new Set(voiders.map((v) => v.voidsStatementId ?? ''))].filter((id) => id !== '');
    },

    async query(q) {
      // What the returned statement itself must satisfy, whatever made it match.
      const own: Filter<StatementDoc> = { storeId, voided: false };
      if (q.authorityKey !== undefined) own.authorityKey = q.authorityKey;
      const stored: { $gt?: Date; $lte?: Date } = {};
      if (q.since !== undefined) stored.$gt = q.since;
      if (q.until !== undefined) stored.$lte = q.until;
      if (Object.keys(stored).length > 0) own.stored = stored;
      const content = contentFilter(q);
      const want = q.limit + 1;
      const range = orderRange(q.ascending, q.after, undefined);

      const direct = await col
        .find({ ...own, ...content, ...(range === undefined ? {} : { order: range }) })
        .sort({ order: q.ascending ? 1 : -1 })
        .limit(want)
        .toArray();
      let docs = direct;
      if (Object.keys(content).length > 0) {
        // A referring statement later in the order than the last direct match cannot make
        // this page: scan the StatementRefs only up to it.
        const boundary = direct.length === want ? direct[want - 1]?.order : undefined;
        const viaRefs = await matchesThroughRefs(
          own,
          content,
          q.authorityKey,
          orderRange(q.ascending, q.after, boundary),
          q.ascending,
          want,
        );
        docs = mergeInOrder(direct, viaRefs, q.ascending).slice(0, want);
      }
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        statements: page.map(toStored),
        next: docs.length > q.limit && last !== undefined ? last.order : null,
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
      await col.updateMany(
        { _id: { $in: statementIds.map((id) => docId(storeId, id)) }, 'pipeline.state': 'pending' },
        { $set: { pipeline: { state: 'done', since: at } } },
      );
    },
  };
}
