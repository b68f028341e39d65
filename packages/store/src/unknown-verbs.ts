import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { upsertAll } from './upsert-all.js';

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

interface UnknownVerbDoc extends UnknownVerbCount {
  /** JSON [store, verb]. */
  _id: string;
  storeId: string;
}

export function mongoUnknownVerbRepository(db: Db, storeId: string): UnknownVerbRepository {
  const col = db.collection<UnknownVerbDoc>(COLLECTIONS.unknownVerbs);
  return {
    async count(sightings) {
      // Folded per verb first: one write per document.
      const byVerb = new Map<string, { n: number; last: string }>();
      for (const s of sightings) {
        const seen = byVerb.get(s.verb);
        byVerb.set(s.verb, { n: (seen?.n ?? 0) + 1, last: s.statementId });
      }
      await upsertAll(
        col,
        [...byVerb].map(([verb, { n, last }]) => ({
          updateOne: {
            filter: { _id: JSON.stringify([storeId, verb]) },
            update: {
              $setOnInsert: { storeId, verb },
              $inc: { statements: n },
              $set: { lastStatementId: last },
            },
            upsert: true,
          },
        })),
      );
    },

    async list() {
      // Served by store_statements (indexes.ts).
      const docs = await col.find({ storeId }).sort({ statements: -1, _id: 1 }).toArray();
      return docs.map((d) => ({
        verb: d.verb,
        statements: d.statements,
        lastStatementId: d.lastStatementId,
      }));
    },
  };
}
