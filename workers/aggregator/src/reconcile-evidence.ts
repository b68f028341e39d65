import { partitionOf } from '@cairn/jobs';
import type { StoredEvidence, Store } from '@cairn/store';
import { generationOf, rowOf, skillDayKeyOf, totalsOf } from './evidence-records.js';

export interface ReconcileCounts {
  /** Rows this run counted into their buckets. */
  readonly counted: number;
  /** Rows this run retracted from their buckets (voided, or replaced by a re-derivation). */
  readonly retracted: number;
}

/**
 * The partition half of aggregation: brings every evidence row of `statementIds` whose subject
 * belongs to `partition` to the state it owes, reading that state when it runs: `counted` when
 * its statement is not voided (no tombstone) and the row is of the statement's latest
 * generation (the highest of its derivation marks and of all its rows' generations, in every
 * partition), else `retracted`. Only this partition's jobs write these rows
 * and their buckets, one job at a time (the partition queue's global concurrency is 1), so the
 * moves below never race.
 *
 * Every move is safe to repeat: rows are never deleted, only moved pending -> counted ->
 * retracted, and each bucket addition carries an id (`+key`, `-key`) that the bucket remembers
 * until the row's new state is written (skill-days.ts `addOnce`). Marking a row first and adding
 * second, the simpler order, would lose the addition for good if the worker died in between.
 */
export async function reconcileEvidence(
  store: Store,
  storeId: string,
  partition: number,
  partitions: number,
  statementIds: readonly string[],
): Promise<ReconcileCounts> {
  const [all, marks, voids] = await Promise.all([
    store.evidenceOf(storeId).ofStatements(statementIds),
    store.rederivationsOf(storeId).latestMarks(statementIds),
    store.tombstonesOf(storeId).voidedAmong(statementIds),
  ]);
  const latest = new Map(marks);
  for (const r of all) {
    latest.set(r.statementId, Math.max(latest.get(r.statementId) ?? 0, generationOf(r)));
  }
  const voided = new Set(voids);
  const live = (r: StoredEvidence): boolean =>
    !voided.has(r.statementId) && generationOf(r) === latest.get(r.statementId);
  const rows = all.filter((r) => partitionOf(r.subject, partitions) === partition);
  const toCount = rows.filter((r) => r.state === 'pending' && live(r));
  const toRetract = rows.filter((r) => r.state !== 'retracted' && !live(r));
  await forEachBucket(toCount, (row) => countRow(store, storeId, row));
  await forEachBucket(toRetract, (row) => retractRow(store, storeId, row));
  return { counted: toCount.length, retracted: toRetract.length };
}

/** pending -> counted: add the row to its bucket once, then record that it was added. */
async function countRow(store: Store, storeId: string, record: StoredEvidence): Promise<void> {
  const row = rowOf(storeId, record);
  const bucket = skillDayKeyOf(row);
  const op = `+${record.key}`;
  const skillDays = store.skillDaysOf(storeId);
  await skillDays.addOnce(bucket, totalsOf(row, 1), op);
  await store.evidenceOf(storeId).transition(record.key, 'pending', 'counted');
  await skillDays.settle(bucket, op);
}

/** counted -> retracted: subtract the row from its bucket once, then record that it was. */
async function retractRow(store: Store, storeId: string, record: StoredEvidence): Promise<void> {
  // A pending row may already be in its bucket: finish counting it, then subtract it.
  if (record.state === 'pending') await countRow(store, storeId, record);
  const row = rowOf(storeId, record);
  const bucket = skillDayKeyOf(row);
  const op = `-${record.key}`;
  const skillDays = store.skillDaysOf(storeId);
  await skillDays.addOnce(bucket, totalsOf(row, -1), op);
  await store.evidenceOf(storeId).transition(record.key, 'counted', 'retracted');
  await skillDays.settle(bucket, op);
}

/**
 * Runs `work` over rows, one at a time per bucket (FerretDB loses concurrent updates of one
 * document) and buckets side by side. When one bucket's writes fail, the others are waited for
 * before the job fails: a retry starting while they still ran would be a second writer of their
 * buckets, and could count a row twice (settle removes the op id that guards the addition).
 */
async function forEachBucket(
  rows: readonly StoredEvidence[],
  work: (row: StoredEvidence) => Promise<void>,
): Promise<void> {
  const byBucket = new Map<string, StoredEvidence[]>();
  for (const r of rows) {
    const id = JSON.stringify([r.subject, r.skill, r.day, r.source, r.kind]);
    byBucket.set(id, [...(byBucket.get(id) ?? []), r]);
  }
  const results = await Promise.allSettled(
    [...byBucket.values()].map(async (group) => {
      for (const row of group) await work(row);
    }),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
