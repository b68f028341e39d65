import { createHash } from 'node:crypto';
import type { Db } from 'mongodb';
import { canonicalJson, type ActivityDefinition } from '@cairn/xapi';
import { COLLECTIONS } from './collections.js';
import { upsertAll } from './upsert-all.js';

/**
 * One distinct definition of an activity, as statements carried it, with the order stamps of the
 * earliest and latest statement that carried it (see `orderStamp`).
 */
export interface ActivityDefinitionRecord {
  readonly activityId: string;
  readonly definition: ActivityDefinition;
  readonly first: string;
  readonly last: string;
}

/** Most distinct definitions of one activity read back, latest first. */
export const MAX_DEFINITIONS_PER_ACTIVITY = 200;

/**
 * Port: the activity definitions statements brought to one store. The canonical definition is
 * not stored but merged when read (`mergeDefinitions` of @cairn/xapi) from the few distinct
 * definitions an activity has: recording one is then an insert-or-widen of its own document,
 * which needs no read before the write, cannot lose another writer's update, and is idempotent.
 */
export interface ActivityRepository {
  /**
   * Records definitions: per activity and distinct definition (compared as canonical JSON), one
   * document whose `first` only moves earlier and whose `last` only moves later.
   */
  record(definitions: readonly ActivityDefinitionRecord[]): Promise<void>;
  /** The recorded definitions of an activity, latest first, at most {@link MAX_DEFINITIONS_PER_ACTIVITY}. */
  definitionsOf(activityId: string): Promise<ActivityDefinitionRecord[]>;
  /**
   * The recorded definitions of each of these activities, latest first per activity, at most
   * {@link MAX_DEFINITIONS_PER_ACTIVITY} each: one round trip for a page of statements.
   */
  definitionsOfMany(activityIds: readonly string[]): Promise<ActivityDefinitionRecord[]>;
}

interface ActivityDoc {
  /** `${storeId}|${sha256 of [activityId, definition]}`: one document per distinct definition. */
  _id: string;
  storeId: string;
  activityId: string;
  /** Canonical JSON: extension keys are IRIs, which contain dots (docs/local-database.md). */
  definition: string;
  first: string;
  last: string;
}

function docId(storeId: string, activityId: string, definition: string): string {
  const digest = createHash('sha256').update(JSON.stringify([activityId, definition]), 'utf8');
  return `${storeId}|${digest.digest('hex')}`;
}

export function mongoActivityRepository(db: Db, storeId: string): ActivityRepository {
  const col = db.collection<ActivityDoc>(COLLECTIONS.activities);
  return {
    async record(definitions) {
      // Folded first, so that a batch writes each document once.
      const byId = new Map<string, Omit<ActivityDoc, 'storeId'>>();
      for (const d of definitions) {
        const definition = canonicalJson(d.definition);
        const _id = docId(storeId, d.activityId, definition);
        const seen = byId.get(_id);
        byId.set(_id, {
          _id,
          activityId: d.activityId,
          definition,
          first: seen === undefined || d.first < seen.first ? d.first : seen.first,
          last: seen === undefined || d.last > seen.last ? d.last : seen.last,
        });
      }
      await upsertAll(
        col,
        [...byId.values()].map((d) => ({
          updateOne: {
            filter: { _id: d._id },
            update: {
              $setOnInsert: { storeId, activityId: d.activityId, definition: d.definition },
              $min: { first: d.first },
              $max: { last: d.last },
            },
            upsert: true,
          },
        })),
      );
    },

    async definitionsOf(activityId) {
      // Served by store_activity_last.
      const docs = await col
        .find({ storeId, activityId })
        .sort({ last: -1, _id: 1 })
        .limit(MAX_DEFINITIONS_PER_ACTIVITY)
        .toArray();
      return docs.map(toRecord);
    },

    async definitionsOfMany(activityIds) {
      if (activityIds.length === 0) return [];
      // Served by store_activity_last; the cap per activity is applied here, as one sorted read
      // cannot limit each activity of an $in separately.
      const docs = await col
        .find({ storeId, activityId: { $in: [...new Set(activityIds)] } })
        .sort({ last: -1, _id: 1 })
        .toArray();
      const kept = new Map<string, number>();
      return docs.flatMap((d) => {
        const n = kept.get(d.activityId) ?? 0;
        if (n >= MAX_DEFINITIONS_PER_ACTIVITY) return [];
        kept.set(d.activityId, n + 1);
        return [toRecord(d)];
      });
    },
  };
}

function toRecord(d: ActivityDoc): ActivityDefinitionRecord {
  return {
    activityId: d.activityId,
    definition: JSON.parse(d.definition) as ActivityDefinition,
    first: d.first,
    last: d.last,
  };
}
