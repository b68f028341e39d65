import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKey } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';

/** Where an erasure stands (docs/identity.md, "Erasure"). */
export type ErasureState = 'pending' | 'done';

/**
 * The last step an erasure finished: `requested` (recorded), `planned` (the statements to delete
 * and to redact are chosen and saved), `removed` (statements, attachments, documents and
 * directory records gone, statements redacted), `retracted` (every affected evidence row is out
 * of its buckets), `done` (rows, zero buckets and the person's identity records deleted).
 */
export type ErasureStep = 'requested' | 'planned' | 'removed' | 'retracted' | 'done';

/** How many of each thing an erasure removed. */
export interface ErasureCounts {
  /** The person's own statements, deleted. */
  readonly statementsDeleted: number;
  /** Statements of others that named the person, kept with the person replaced. */
  readonly statementsRedacted: number;
  readonly attachments: number;
  readonly documents: number;
  readonly memberships: number;
  readonly evidenceRows: number;
  /** The person's skill-day buckets, zero once their rows were retracted, deleted. */
  readonly buckets: number;
  /**
   * The other roll-ups keyed by the person's identifiers (platform days, activity outcomes,
   * knowledge sharing as helper or as helped), zero likewise, deleted.
   */
  readonly rollups: number;
  readonly identifiers: number;
  readonly profiles: number;
  readonly auditRecords: number;
}

export const NO_ERASURE_COUNTS: ErasureCounts = {
  statementsDeleted: 0,
  statementsRedacted: 0,
  attachments: 0,
  documents: 0,
  memberships: 0,
  evidenceRows: 0,
  buckets: 0,
  rollups: 0,
  identifiers: 0,
  profiles: 0,
  auditRecords: 0,
};

/** The credential that asked for an erasure. */
export interface ErasureRequester {
  readonly credential: string;
  readonly label: string;
}

/**
 * The audit record of an erasure: what it is kept for once the person is gone. It holds no
 * identifier, name or person id: its id is a SHA-256 of the store and person id
 * ({@link erasureIdOf}), so that asking again for the same person finds it.
 */
export interface ErasureRecord {
  readonly erasureId: string;
  readonly state: ErasureState;
  readonly step: ErasureStep;
  readonly requestedAt: Date;
  readonly requestedBy: ErasureRequester;
  readonly finishedAt: Date | null;
  readonly counts: ErasureCounts;
}

/** The statements an erasure deletes and those it redacts, chosen once (`planned`). */
export interface ErasurePlan {
  readonly deleted: readonly string[];
  readonly redacted: readonly string[];
}

/**
 * What a pending erasure still needs to know about the person: held only while it runs, and
 * removed from the record when it is done.
 */
export interface ErasureWork {
  readonly personId: string;
  /** The person's identifier keys when the erasure was asked for (with each mbox's SHA-1 key). */
  readonly identifiers: readonly string[];
  readonly plan: ErasurePlan | null;
}

/** Port: the erasures of one store (collection `erasures`, read by `_id` only). */
export interface ErasureRepository {
  /**
   * Records a new erasure (`pending`, step `requested`) unless one with its id exists; returns
   * the stored record and whether this call created it.
   */
  begin(
    erasure: { readonly requestedAt: Date; readonly requestedBy: ErasureRequester } & Omit<
      ErasureWork,
      'plan'
    >,
  ): Promise<{ readonly record: ErasureRecord; readonly created: boolean }>;
  get(erasureId: string): Promise<ErasureRecord | null>;
  /** The person's keys and plan of a pending erasure; null when done or unknown. */
  work(erasureId: string): Promise<ErasureWork | null>;
  /** Saves the plan once: a plan already saved is kept (a retried step plans the same way). */
  savePlan(erasureId: string, plan: ErasurePlan): Promise<ErasurePlan>;
  /** Records a finished step and adds to its counts. */
  advance(erasureId: string, step: ErasureStep, counts: Partial<ErasureCounts>): Promise<void>;
  /** Marks it done with its last counts, and removes the person's id, keys and plan. */
  finish(erasureId: string, at: Date, counts: Partial<ErasureCounts>): Promise<void>;
}

/** An erasure's id: hex SHA-256 of JSON [store, person id] (docs/identity.md, "Erasure"). */
export function erasureIdOf(storeId: string, personId: string): string {
  return createHash('sha256')
    .update(JSON.stringify([storeId, personId]), 'utf8')
    .digest('hex');
}

interface ErasureDoc {
  /** `${storeId}|${erasureId}`. */
  _id: string;
  storeId: string;
  erasureId: string;
  state: ErasureState;
  step: ErasureStep;
  requestedAt: Date;
  requestedBy: ErasureRequester;
  finishedAt: Date | null;
  counts: ErasureCounts;
  /** Present only while pending. */
  personId?: string;
  identifiers?: string[];
  plan?: { deleted: string[]; redacted: string[] };
}

function recordOf(d: ErasureDoc): ErasureRecord {
  return {
    erasureId: d.erasureId,
    state: d.state,
    step: d.step,
    requestedAt: d.requestedAt,
    requestedBy: d.requestedBy,
    finishedAt: d.finishedAt,
    counts: { ...NO_ERASURE_COUNTS, ...d.counts },
  };
}

const incOf = (counts: Partial<ErasureCounts>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).map(([k, v]) => [`counts.${k}`, v]));

export function mongoErasureRepository(db: Db, storeId: string): ErasureRepository {
  const col = db.collection<ErasureDoc>(COLLECTIONS.erasures);
  const idOf = (erasureId: string): string => `${storeId}|${erasureId}`;
  const get = async (erasureId: string): Promise<ErasureDoc | null> =>
    col.findOne({ _id: idOf(erasureId) });

  return {
    async begin(erasure) {
      const erasureId = erasureIdOf(storeId, erasure.personId);
      const doc: ErasureDoc = {
        _id: idOf(erasureId),
        storeId,
        erasureId,
        state: 'pending',
        step: 'requested',
        requestedAt: erasure.requestedAt,
        requestedBy: { ...erasure.requestedBy },
        finishedAt: null,
        counts: NO_ERASURE_COUNTS,
        personId: erasure.personId,
        identifiers: [...erasure.identifiers],
      };
      try {
        // An insert: of two requests at once, one creates the erasure, the other finds it.
        await col.insertOne(doc);
        return { record: recordOf(doc), created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw StoreErrors.wrap(error);
      }
      const stored = await get(erasureId);
      if (stored === null) throw StoreErrors.wrap(new Error(`erasure ${erasureId} vanished`));
      return { record: recordOf(stored), created: false };
    },

    async get(erasureId) {
      const d = await get(erasureId);
      return d === null ? null : recordOf(d);
    },

    async work(erasureId) {
      const d = await get(erasureId);
      if (d === null || d.state === 'done' || d.personId === undefined) return null;
      return { personId: d.personId, identifiers: d.identifiers ?? [], plan: d.plan ?? null };
    },

    async savePlan(erasureId, plan) {
      await col.updateOne(
        { _id: idOf(erasureId), plan: { $exists: false } },
        { $set: { plan: { deleted: [...plan.deleted], redacted: [...plan.redacted] } } },
      );
      const d = await get(erasureId);
      return d?.plan ?? plan;
    },

    async advance(erasureId, step, counts) {
      await col.updateOne({ _id: idOf(erasureId) }, { $set: { step }, $inc: incOf(counts) });
    },

    async finish(erasureId, at, counts) {
      await col.updateOne(
        { _id: idOf(erasureId) },
        {
          $set: { state: 'done', step: 'done', finishedAt: at },
          $inc: incOf(counts),
          $unset: { personId: '', identifiers: '', plan: '' },
        },
      );
    },
  };
}
