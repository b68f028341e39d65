import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { StoreErrors } from './errors.js';

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
}

export interface StoredStatement {
  readonly statementId: string;
  readonly json: string;
  readonly stored: Date;
  readonly voided: boolean;
  readonly authorityKey: string;
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
  /** Marks `targetId` voided unless it is itself a voiding statement. */
  markVoided(targetId: string): Promise<void>;
  /** True when a stored statement voids `statementId`. */
  isVoidedByStored(statementId: string): Promise<boolean>;
  query(query: StatementQuery): Promise<StatementPage>;
  /** The latest `stored` of this store, for X-Experience-API-Consistent-Through. */
  lastStored(): Promise<Date | null>;
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
  authorityKey: string;
  attachmentHashes: string[];
  /** The outbox: work the pipeline owes this statement (architecture.md). */
  pipeline: { state: 'pending' | 'done'; since: Date };
}

const DUPLICATE_KEY = 11000;

/** Statement ids are unique per store: the document id is the pair, so a get by id is a key lookup. */
function docId(storeId: string, statementId: string): string {
  return `${storeId}|${statementId}`;
}

export function mongoStatementRepository(db: Db, storeId: string): StatementRepository {
  const col = db.collection<StatementDoc>(COLLECTIONS.statements);
  const toStored = (d: StatementDoc): StoredStatement => ({
    statementId: d.statementId,
    json: d.json,
    stored: d.stored,
    voided: d.voided,
    authorityKey: d.authorityKey,
  });

  return {
    async insertMany(statements) {
      const results: ('inserted' | 'exists')[] = [];
      // One at a time, in order: a duplicate must be told apart from a failure per statement,
      // and FerretDB reports duplicates without the key (docs/ferretdb.md).
      for (const s of statements) {
        try {
          await col.insertOne({
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
            authorityKey: s.fields.authorityKey,
            attachmentHashes: [...s.attachmentHashes],
            pipeline: { state: 'pending', since: s.stored },
          });
          results.push('inserted');
        } catch (error) {
          if ((error as { code?: unknown }).code === DUPLICATE_KEY) results.push('exists');
          else throw StoreErrors.wrap(error);
        }
      }
      return results;
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

    async markVoided(targetId) {
      await col.updateOne(
        { _id: docId(storeId, targetId), voidsStatementId: null },
        { $set: { voided: true } },
      );
    },

    async isVoidedByStored(statementId) {
      const voider = await col.find({ storeId, voidsStatementId: statementId }).limit(1).toArray();
      return voider.length > 0;
    },

    async query(q) {
      const filter: Record<string, unknown> = { storeId, voided: false };
      if (q.verbId !== undefined) filter['verbId'] = q.verbId;
      if (q.agentKey !== undefined)
        filter[q.relatedAgents ? 'relatedAgentKeys' : 'agentKeys'] = q.agentKey;
      if (q.activityId !== undefined) {
        filter[q.relatedActivities ? 'relatedActivityIds' : 'objectActivityId'] = q.activityId;
      }
      if (q.registration !== undefined) filter['registration'] = q.registration;
      if (q.authorityKey !== undefined) filter['authorityKey'] = q.authorityKey;
      const stored: Record<string, Date> = {};
      if (q.since !== undefined) stored['$gt'] = q.since;
      if (q.until !== undefined) stored['$lte'] = q.until;
      if (Object.keys(stored).length > 0) filter['stored'] = stored;
      if (q.after !== undefined)
        filter['order'] = q.ascending ? { $gt: q.after } : { $lt: q.after };

      const docs = await col
        .find(filter)
        .sort({ order: q.ascending ? 1 : -1 })
        .limit(q.limit + 1)
        .toArray();
      const page = docs.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        statements: page.map(toStored),
        next: docs.length > q.limit && last !== undefined ? last.order : null,
      };
    },

    async lastStored() {
      const latest = await col.find({ storeId }).sort({ order: -1 }).limit(1).toArray();
      return latest[0]?.stored ?? null;
    },
  };
}
