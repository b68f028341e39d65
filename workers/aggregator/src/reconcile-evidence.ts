import { partitionOf } from '@cairn/jobs';
import { addSums, bucketKeyOf, bucketKeyString } from '@cairn/analytics';
import type { SkillDayKey, SkillDayTotals, StoredEvidence, Store } from '@cairn/store';
import { generationOf, rowOf, skillDayKeyOf, totalsOf } from './evidence-records.js';

/**
 * Resolves while this run is still the partition's only writer, rejects once it may not be (its
 * job's lock was lost: another worker may be running the job again). Checked before each write
 * step, so a run that lost its lock stops before its next write instead of racing the new one:
 * an addition written after the other run had settled the same op id would count a row twice.
 */
export type StillOwned = () => Promise<void>;

export interface ReconcileCounts {
  /** Rows this run counted into their buckets. */
  readonly counted: number;
  /** Rows this run retracted from their buckets (voided, or replaced by a re-derivation). */
  readonly retracted: number;
}

/**
 * The partition half of aggregation: brings every evidence row of `statementIds` whose subject
 * belongs to `partition` to the state it owes, reading that state when it runs: `counted` when
 * its statement is not voided (no tombstone), the row is of the statement's latest
 * generation (the highest of its derivation marks and of all its rows' generations, in every
 * partition) and its subject is not in `erasedSubjects` (the identifiers of a person being
 * erased, docs/identity.md), else `retracted`. Only this partition's jobs write these rows
 * and their buckets, one job at a time (the partition queue's global concurrency is 1), so the
 * moves below never race.
 *
 * Every move is safe to repeat: rows are never deleted, only moved pending -> counted ->
 * retracted, and each bucket addition carries an id (`+key`, `-key`) that the bucket remembers
 * until the row's new state is written (skill-days.ts `addOnce`, `addEachOnce`). Marking a row
 * first and adding second, the simpler order, would lose the addition for good if the worker
 * died in between.
 */
export async function reconcileEvidence(
  store: Store,
  storeId: string,
  partition: number,
  partitions: number,
  statementIds: readonly string[],
  stillOwned: StillOwned = () => Promise.resolve(),
  erasedSubjects: ReadonlySet<string> = new Set(),
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
    !voided.has(r.statementId) &&
    generationOf(r) === latest.get(r.statementId) &&
    !erasedSubjects.has(r.subject);
  const rows = all.filter((r) => partitionOf(r.subject, partitions) === partition);
  const toCount = rows.filter((r) => r.state === 'pending' && live(r));
  const toRetract = rows.filter((r) => r.state !== 'retracted' && !live(r));
  // A pending row may already be in its bucket: finish counting it, then subtract it.
  const toFinish = toRetract.filter((r) => r.state === 'pending');
  await moveRows(store, storeId, [...toCount, ...toFinish], 'pending', 'counted', stillOwned);
  await moveRows(store, storeId, toRetract, 'counted', 'retracted', stillOwned);
  return { counted: toCount.length, retracted: toRetract.length };
}

/** One row's addition to its bucket (negative when retracted), under its op id. */
interface RowMove {
  readonly opId: string;
  readonly totals: SkillDayTotals;
}

/**
 * Moves `rows` from `from` to `to`, adding each to its bucket (`counted`) or subtracting it
 * (`retracted`) once, in three round trips whatever their number: the additions, summed per
 * bucket; the rows' new state; the op ids forgotten. A retry after a crash finds some op ids on
 * their buckets already: those buckets go op by op, and `addOnce` skips what did land.
 */
async function moveRows(
  store: Store,
  storeId: string,
  rows: readonly StoredEvidence[],
  from: 'pending' | 'counted',
  to: 'counted' | 'retracted',
  stillOwned: StillOwned,
): Promise<void> {
  if (rows.length === 0) return;
  const sign = to === 'counted' ? 1 : -1;
  const opOf = (r: StoredEvidence): string => `${sign === 1 ? '+' : '-'}${r.key}`;
  const skillDays = store.skillDaysOf(storeId);
  // Each row's bucket and what it adds there, by bucket.
  const byBucket = new Map<string, { key: SkillDayKey; moves: RowMove[] }>();
  for (const record of rows) {
    const row = rowOf(storeId, record);
    const id = bucketKeyString(bucketKeyOf(row));
    const group = byBucket.get(id) ?? { key: skillDayKeyOf(row), moves: [] };
    group.moves.push({ opId: opOf(record), totals: totalsOf(row, sign) });
    byBucket.set(id, group);
  }
  const additions = [...byBucket.values()].map(({ key, moves }) => ({
    key,
    totals: moves.map((m) => m.totals).reduce(addSums),
    opIds: moves.map((m) => m.opId),
    moves,
  }));
  await stillOwned();
  const unsure = new Set(await skillDays.addEachOnce(additions));
  // One write at a time per bucket (addOnce reads, then writes), buckets side by side. When one
  // fails, the others are waited for before the job fails: a retry
  // starting while they still ran would be a second writer of their buckets.
  const results = await Promise.allSettled(
    additions
      .filter((a) => unsure.has(a))
      .map(async (a) => {
        for (const m of a.moves) await skillDays.addOnce(a.key, m.totals, m.opId);
      }),
  );
  const failed = results.find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  await stillOwned();
  await store.evidenceOf(storeId).transitionAll(
    rows.map((r) => r.key),
    from,
    to,
  );
  await stillOwned();
  await skillDays.settleAll(additions);
}
