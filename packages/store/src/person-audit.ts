import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKey } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';
import { PeopleErrors } from './people-errors.js';
import type { PersonIdentifiers } from './person-identity.js';

/** Who asked for an identity change: the credential, by key and label. */
export interface IdentityActor {
  readonly credential: string;
  readonly label: string;
}

export type IdentityChangeKind = 'merge' | 'split';
export type IdentityChangeSource = 'api' | 'directory';

/**
 * What an identity change does, written before it starts so that anyone can finish it:
 * merge moves every key of the `from` people to `to`; split moves `identifiers` of `from[0]` to
 * the new person `to`.
 */
export interface IdentityPlan {
  readonly from: readonly string[];
  readonly to: string;
  readonly identifiers?: readonly string[];
}

/** One audited merge or split (collection `people_audit`). */
export interface IdentityChange {
  readonly id: string;
  readonly kind: IdentityChangeKind;
  readonly source: IdentityChangeSource;
  /** `pending` from the moment it is written until its moves are done. */
  readonly state: 'pending' | 'done';
  readonly actor: IdentityActor;
  readonly at: Date;
  readonly plan: IdentityPlan;
  /** The people involved, with their identifiers, before the change. */
  readonly before: readonly PersonIdentifiers[];
  /** The same people after it (absent while pending); a merged-away person is not listed. */
  readonly after?: readonly PersonIdentifiers[];
}

interface AuditDoc {
  /** `${storeId}|${id}`. */
  _id: string;
  storeId: string;
  id: string;
  kind: IdentityChangeKind;
  source: IdentityChangeSource;
  state: 'pending' | 'done';
  actor: IdentityActor;
  at: Date;
  plan: { from: string[]; to: string; identifiers?: string[] };
  /** Every person id of `before`, `after` and the plan: what GET /people/:id/audit finds. */
  personIds: string[];
  before: PersonIdentifiers[];
  after?: PersonIdentifiers[];
}

interface LockDoc {
  /** The store id: one identity lock per store. */
  _id: string;
  holder: string;
  since: Date;
}

/**
 * A lock older than this is taken over: its holder died (or is so slow that it stalls every other
 * change). Holders refresh it while they work (directory imports).
 */
export const IDENTITY_LOCK_LEASE_MS = 60_000;

/** How many audit records one read answers at most. */
export const MAX_AUDIT_RECORDS = 200;

/** The audit log and the identity lock of one store. */
export interface IdentityAudit {
  /** Writes a pending change; its moves follow. */
  begin(change: IdentityChange): Promise<void>;
  /** Marks a change done, with the people after it. Idempotent. */
  finish(id: string, after: readonly PersonIdentifiers[]): Promise<void>;
  /** Changes still pending (their writer died): to be finished before any new change. */
  pending(): Promise<IdentityChange[]>;
  /** The changes that involved a person, latest first. */
  ofPerson(personId: string, limit: number): Promise<IdentityChange[]>;
  /**
   * Takes the store's identity lock for `holder`, taking over one older than the lease; throws
   * PEOPLE_ERR_BUSY when another holder has it.
   */
  lock(holder: string): Promise<void>;
  /** Renews the lease of `holder`'s lock. */
  refresh(holder: string): Promise<void>;
  /** Releases `holder`'s lock (someone who took it over keeps it). */
  unlock(holder: string): Promise<void>;
  /**
   * Deletes every change that involved the person (an erasure: they hold its identifiers);
   * returns how many there were.
   */
  forgetPerson(personId: string): Promise<number>;
}

function changeOf(d: AuditDoc): IdentityChange {
  return {
    id: d.id,
    kind: d.kind,
    source: d.source,
    state: d.state,
    actor: d.actor,
    at: d.at,
    plan: d.plan,
    before: d.before,
    ...(d.after === undefined ? {} : { after: d.after }),
  };
}

export function mongoIdentityAudit(
  db: Db,
  storeId: string,
  now: () => Date = () => new Date(),
): IdentityAudit {
  const audit = db.collection<AuditDoc>(COLLECTIONS.peopleAudit);
  const locks = db.collection<LockDoc>(COLLECTIONS.peopleLocks);
  const idOf = (id: string): string => `${storeId}|${id}`;

  const tryLock = async (holder: string): Promise<boolean> => {
    try {
      // An insert: one of concurrent inserts wins, the rest get 11000.
      await locks.insertOne({ _id: storeId, holder, since: now() });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw StoreErrors.wrap(error);
    }
  };

  return {
    async begin(change) {
      const personIds = new Set([
        ...change.before.map((p) => p.personId),
        ...change.plan.from,
        change.plan.to,
      ]);
      await audit.insertOne({
        _id: idOf(change.id),
        storeId,
        id: change.id,
        kind: change.kind,
        source: change.source,
        state: change.state,
        actor: change.actor,
        at: change.at,
        plan: {
          from: [...change.plan.from],
          to: change.plan.to,
          ...(change.plan.identifiers === undefined
            ? {}
            : { identifiers: [...change.plan.identifiers] }),
        },
        personIds: [...personIds].sort(),
        before: change.before.map((p) => ({ ...p, identifiers: [...p.identifiers] })),
      });
    },

    async finish(id, after) {
      await audit.updateOne(
        { _id: idOf(id) },
        {
          $set: {
            state: 'done',
            after: after.map((p) => ({ ...p, identifiers: [...p.identifiers] })),
          },
        },
      );
    },

    async pending() {
      // Served by store_state.
      const docs = await audit
        .find({ storeId, state: 'pending' })
        .sort({ at: 1, _id: 1 })
        .toArray();
      return docs.map(changeOf);
    },

    async ofPerson(personId, limit) {
      // Served by store_person_at.
      const docs = await audit
        .find({ storeId, personIds: personId })
        .sort({ at: -1, _id: -1 })
        .limit(Math.min(limit, MAX_AUDIT_RECORDS))
        .toArray();
      return docs.map(changeOf);
    },

    async lock(holder) {
      if (await tryLock(holder)) return;
      const current = await locks.findOne({ _id: storeId });
      const stale =
        current !== null && now().getTime() - current.since.getTime() > IDENTITY_LOCK_LEASE_MS;
      if (current === null || stale) {
        // The holder is gone: remove its lock (only that one) and race for a new one.
        if (current !== null) await locks.deleteOne({ _id: storeId, holder: current.holder });
        if (await tryLock(holder)) return;
      }
      throw new PeopleErrors.busy(
        `another merge, split or directory import of this store is in progress` +
          (current === null ? '' : ` (since ${current.since.toISOString()})`) +
          '; retry when it is done',
      );
    },

    async refresh(holder) {
      await locks.updateOne({ _id: storeId, holder }, { $set: { since: now() } });
    },

    async unlock(holder) {
      await locks.deleteOne({ _id: storeId, holder });
    },

    async forgetPerson(personId) {
      // Served by store_person_at.
      return (await audit.deleteMany({ storeId, personIds: personId })).deletedCount;
    },
  };
}
