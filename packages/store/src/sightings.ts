import type { Db } from 'mongodb';
import { upsertAll } from './upsert-all.js';

/**
 * A diagnostic count of one store: how many statements came with something the pipeline could
 * not use (a verb the verb table does not know, an activity aligned to no skill), with the latest
 * statement as an example. Not a sum: a job retried after a crash may count its statements again.
 */
export interface SightingCount {
  /** The verb IRI, or the activity id. */
  readonly value: string;
  readonly statements: number;
  readonly lastStatementId: string;
}

export interface SightingCounter {
  /** Adds one per sighting (a value and the statement it came with). */
  count(sightings: readonly { value: string; statementId: string }[]): Promise<void>;
  /** Every value of the store, most seen first. */
  list(): Promise<SightingCount[]>;
}

interface SightingDoc {
  /** JSON [store, value]. */
  _id: string;
  storeId: string;
  statements: number;
  lastStatementId: string;
}

/**
 * The counter of one collection, whose documents name their value in `field` (`verb`,
 * `activityId`): one upsert per distinct value of a call, by `_id`; the list is served by the
 * collection's `store_statements` index (indexes.ts).
 */
export function mongoSightingCounter(
  db: Db,
  collection: string,
  field: string,
  storeId: string,
): SightingCounter {
  const col = db.collection<SightingDoc>(collection);
  return {
    async count(sightings) {
      // Folded per value first: one write per document.
      const byValue = new Map<string, { n: number; last: string }>();
      for (const s of sightings) {
        const seen = byValue.get(s.value);
        byValue.set(s.value, { n: (seen?.n ?? 0) + 1, last: s.statementId });
      }
      await upsertAll(
        col,
        [...byValue].map(([value, { n, last }]) => ({
          updateOne: {
            filter: { _id: JSON.stringify([storeId, value]) },
            update: {
              // The value under the collection's own field name (`verb`, `activityId`).
              $setOnInsert: { storeId, [field]: value },
              $inc: { statements: n },
              $set: { lastStatementId: last },
            },
            upsert: true,
          },
        })),
      );
    },

    async list() {
      const docs = await col.find({ storeId }).sort({ statements: -1, _id: 1 }).toArray();
      return docs.map((d) => ({
        value: String((d as unknown as Readonly<Record<string, unknown>>)[field]),
        statements: d.statements,
        lastStatementId: d.lastStatementId,
      }));
    },
  };
}
