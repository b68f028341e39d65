import type { AbstractCursor, Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { insertNew } from './duplicate-keys.js';
import { addToManifests } from './evidence.js';
import { markId } from './rederivations.js';
import { docId } from './statements.js';
import { tombstoneId } from './tombstones.js';
import { upsertAll } from './upsert-all.js';

/**
 * The one-time move of data written before lookups by statement went through `_id` (2026-12):
 * voids by target (`statement_voids`), tombstones keyed (store, target), derivation marks keyed
 * (store, statement), and evidence manifests (`statement_evidence`). Before, each was found by a
 * query on a secondary field, so a database written by an earlier version lacks them.
 *
 * Every step is idempotent (inserts that ignore duplicates, `$max` and `$addToSet` upserts), so
 * two processes starting at once, or a process killed half way, do no harm: the marker is written
 * last, and a later start redoes what is missing.
 */
const MIGRATION_ID = 'keyed-lookups-2026-12';
const BATCH = 1000;

/** Runs `write` on the cursor's documents, `BATCH` at a time. */
async function inBatches<T>(
  cursor: AbstractCursor<T>,
  write: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  let batch: T[] = [];
  for await (const doc of cursor) {
    batch.push(doc);
    if (batch.length < BATCH) continue;
    await write(batch);
    batch = [];
  }
  if (batch.length > 0) await write(batch);
}

/** Whether a key is a JSON array of `n` parts: the earlier key shapes had three. */
function isKeyOf(id: unknown, n: number): boolean {
  if (typeof id !== 'string' || !id.startsWith('[')) return false;
  try {
    const parts: unknown = JSON.parse(id);
    return Array.isArray(parts) && parts.length === n;
  } catch {
    return false;
  }
}

interface Keyed {
  _id: string;
  storeId: string;
}

/** Moves the database to keyed lookups once; a no-op once done (one read by `_id`). */
export async function migrateToKeyedLookups(db: Db): Promise<void> {
  const migrations = db.collection<{ _id: string; at: Date }>(COLLECTIONS.migrations);
  if ((await migrations.findOne({ _id: MIGRATION_ID })) !== null) return;

  // 1. Voids by target, from the voiding statements stored.
  const statements = db.collection<Keyed & { statementId: string; voidsStatementId: string }>(
    COLLECTIONS.statements,
  );
  await inBatches(
    statements.find(
      { voidsStatementId: { $type: 'string' } },
      { projection: { storeId: 1, statementId: 1, voidsStatementId: 1 } },
    ),
    (batch) =>
      insertNew(
        db.collection<Keyed>(COLLECTIONS.statementVoids),
        batch.map((v) => ({
          _id: docId(v.storeId, v.voidsStatementId),
          storeId: v.storeId,
          targetStatementId: v.voidsStatementId,
          voidingStatementId: v.statementId,
        })),
      ),
  );

  // 2. Tombstones keyed [store, target, voiding statement] become [store, target].
  const tombstones = db.collection<
    Keyed & { targetStatementId: string; voidingStatementId: string }
  >(COLLECTIONS.tombstones);
  await inBatches(tombstones.find({}), async (batch) => {
    const old = batch.filter((d) => isKeyOf(d._id, 3));
    if (old.length === 0) return;
    await insertNew(
      tombstones,
      old.map((d) => ({ ...d, _id: tombstoneId(d.storeId, d.targetStatementId) })),
    );
    await tombstones.deleteMany({ _id: { $in: old.map((d) => d._id) } });
  });

  // 3. Derivation marks keyed [store, statement, generation] become [store, statement], highest.
  const marks = db.collection<Keyed & { statementId: string; generation: number }>(
    COLLECTIONS.derivationMarks,
  );
  await inBatches(marks.find({}), async (batch) => {
    const old = batch.filter((d) => isKeyOf(d._id, 3));
    if (old.length === 0) return;
    await upsertAll(
      marks,
      old.map((d) => ({
        updateOne: {
          filter: { _id: markId(d.storeId, d.statementId) },
          update: {
            $setOnInsert: { storeId: d.storeId, statementId: d.statementId },
            $max: { generation: d.generation },
          },
          upsert: true,
        },
      })),
    );
    await marks.deleteMany({ _id: { $in: old.map((d) => d._id) } });
  });

  // 4. Each statement's evidence keys, gathered into its manifest.
  await inBatches(
    db
      .collection(COLLECTIONS.evidence)
      .aggregate<{ _id: { storeId: string; statementId: string }; keys: string[] }>(
        [
          {
            $group: {
              _id: { storeId: '$storeId', statementId: '$statementId' },
              keys: { $push: '$_id' },
            },
          },
        ],
        { allowDiskUse: true },
      ),
    (batch) =>
      addToManifests(
        db,
        batch.map(({ _id, keys }) => ({ ..._id, keys })),
      ),
  );

  await insertNew(migrations, [{ _id: MIGRATION_ID, at: new Date() }]);
}
