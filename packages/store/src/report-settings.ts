import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/** The default smallest cohort a report shows (k). */
export const DEFAULT_MIN_COHORT = 5;

/** How a store's reports protect people: the smallest cohort shown, the pseudonymisation key. */
export interface ReportSettings {
  /** k: a cohort cell with fewer people is withheld in every report and export. */
  readonly minCohort: number;
  /**
   * The key of the keyed hash (HMAC-SHA-256) that pseudonymised exports replace person ids with;
   * null: pseudonymised exports are refused until one is set. A secret: never listed.
   */
  readonly pseudonymKey: string | null;
  /** When the settings last changed; null while they are the defaults. */
  readonly changedAt: Date | null;
}

export interface ReportSettingsChanges {
  readonly minCohort?: number;
  readonly pseudonymKey?: string | null;
}

/** Port: one store's report settings (one document, keyed by the store). */
export interface ReportSettingsRepository {
  get(): Promise<ReportSettings>;
  /** Applies the changes (absent ones stay); the settings after. */
  change(changes: ReportSettingsChanges, now: Date): Promise<ReportSettings>;
}

interface ReportSettingsDoc {
  /** The store id. */
  _id: string;
  minCohort?: number;
  pseudonymKey?: string | null;
  changedAt: Date;
}

const of = (d: ReportSettingsDoc | null): ReportSettings => ({
  minCohort: d?.minCohort ?? DEFAULT_MIN_COHORT,
  pseudonymKey: d?.pseudonymKey ?? null,
  changedAt: d?.changedAt ?? null,
});

export function mongoReportSettingsRepository(db: Db, storeId: string): ReportSettingsRepository {
  const col = db.collection<ReportSettingsDoc>(COLLECTIONS.reportSettings);
  return {
    get: async () => of(await col.findOne({ _id: storeId })),
    async change(changes, now) {
      const doc = await col.findOneAndUpdate(
        { _id: storeId },
        {
          $set: {
            changedAt: now,
            ...(changes.minCohort === undefined ? {} : { minCohort: changes.minCohort }),
            ...(changes.pseudonymKey === undefined ? {} : { pseudonymKey: changes.pseudonymKey }),
          },
        },
        { upsert: true, returnDocument: 'after' },
      );
      return of(doc);
    },
  };
}
