import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { mongoSightingCounter } from './sightings.js';

/** How many statements of a store came with a verb its verb table does not know. */
export interface UnknownVerbCount {
  readonly verb: string;
  readonly statements: number;
  /** The latest statement counted, to look at an example. */
  readonly lastStatementId: string;
}

/**
 * Port: unknown verbs of one store, for the admin view (docs/analytics-core.md: never dropped
 * silently). A diagnostic, not a sum: a job retried after a crash may count its statements again.
 */
export interface UnknownVerbRepository {
  /** Adds one per sighting (a verb and the statement that used it). */
  count(sightings: readonly { verb: string; statementId: string }[]): Promise<void>;
  /** Every unknown verb of the store, most used first. */
  list(): Promise<UnknownVerbCount[]>;
}

export function mongoUnknownVerbRepository(db: Db, storeId: string): UnknownVerbRepository {
  const counter = mongoSightingCounter(db, COLLECTIONS.unknownVerbs, 'verb', storeId);
  return {
    count: (sightings) =>
      counter.count(sightings.map((s) => ({ value: s.verb, statementId: s.statementId }))),
    list: async () =>
      (await counter.list()).map((c) => ({
        verb: c.value,
        statements: c.statements,
        lastStatementId: c.lastStatementId,
      })),
  };
}

/** How many statements of a store had an activity that its frameworks and rules align to no skill. */
export interface UnalignedActivityCount {
  readonly activityId: string;
  readonly statements: number;
  readonly lastStatementId: string;
}

/** Port: unaligned activities of one store, for the data-health report (a diagnostic count). */
export interface UnalignedActivityRepository {
  count(sightings: readonly { activityId: string; statementId: string }[]): Promise<void>;
  /** Every unaligned activity of the store, most used first. */
  list(): Promise<UnalignedActivityCount[]>;
}

export function mongoUnalignedActivityRepository(
  db: Db,
  storeId: string,
): UnalignedActivityRepository {
  const counter = mongoSightingCounter(db, COLLECTIONS.unalignedActivities, 'activityId', storeId);
  return {
    count: (sightings) =>
      counter.count(sightings.map((s) => ({ value: s.activityId, statementId: s.statementId }))),
    list: async () =>
      (await counter.list()).map((c) => ({
        activityId: c.value,
        statements: c.statements,
        lastStatementId: c.lastStatementId,
      })),
  };
}
