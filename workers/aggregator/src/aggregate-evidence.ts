import type { Tombstone } from '@cairn/analytics';
import type { StoredEvidence, StoredStatement, Store } from '@cairn/store';
import {
  evidenceOfStatement,
  recordOf,
  rowOf,
  skillDayKeyOf,
  totalsOf,
} from './evidence-records.js';

export interface EvidenceCounts {
  /** Evidence rows this run inserted (a retried batch inserts none). */
  readonly inserted: number;
  /** Evidence rows this run retracted (their statement was voided). */
  readonly retracted: number;
  /** Voiding statements in the batch. */
  readonly voids: number;
}

/**
 * Statements -> evidence rows -> skill-day buckets, for one batch of one store, with the
 * incremental rules of EvidenceLedger (@cairn/analytics): a row adds to its bucket once, a void
 * retracts its target's rows once, a target that arrives after its voider adds nothing.
 *
 * Every step is safe to repeat, so a job retried after a crash at any point converges on the
 * same buckets: rows are never deleted, only moved pending -> counted -> retracted, and each
 * bucket addition carries an id (`+key`, `-key`) that the bucket remembers until the row's new
 * state is written (skill-days.ts `addOnce`). Marking a row first and adding second, the simpler
 * order, would lose the addition for good if the worker died between the two writes.
 */
export async function aggregateEvidence(
  store: Store,
  storeId: string,
  statements: readonly StoredStatement[],
): Promise<EvidenceCounts> {
  const evidence = store.evidenceOf(storeId);
  const tombstones = store.tombstonesOf(storeId);
  const derived = statements.map((s) => ({ s, ev: evidenceOfStatement(storeId, s) }));

  // 1. Tombstones first, durably: from here on their targets add nothing, in any job.
  const voids: Tombstone[] = derived.flatMap(({ ev }) =>
    ev.type === 'void' ? [ev.tombstone] : [],
  );
  await tombstones.record(voids);

  // 2. Rows of statements neither flagged voided (the LRS sets the flag when the voider is
  // stored) nor tombstoned by a voider the pipeline has already seen.
  const unknownVerbs: { verb: string; statementId: string }[] = [];
  const candidates = derived.flatMap(({ s, ev }) => {
    if (ev.type !== 'evidence') return [];
    if (ev.unknownVerb !== undefined)
      unknownVerbs.push({ verb: ev.unknownVerb, statementId: s.statementId });
    return s.voided || ev.rows.length === 0 ? [] : [{ s, rows: ev.rows }];
  });
  const ids = candidates.map((c) => c.s.statementId);
  const tombstoned = new Set(await tombstones.voidedAmong(ids));
  const records = candidates
    .filter((c) => !tombstoned.has(c.s.statementId))
    .flatMap((c) => c.rows.map(recordOf));
  const inserted = await evidence.insertMany(records);

  // 3. Count every pending row of these statements: those inserted now and any a crashed
  // attempt left pending (a duplicate insert above says nothing about whether it was counted).
  const stored = await evidence.ofStatements(ids);
  await forEachBucket(
    stored.filter((r) => r.state === 'pending'),
    (row) => countRow(store, storeId, row),
  );

  // 4. Retract the targets of this batch's voids, and statements of this batch that a void
  // processed meanwhile in another job tombstoned after step 2 (it found no rows to retract).
  const targets = new Set([
    ...voids.map((v) => v.targetStatementId),
    ...(await tombstones.voidedAmong(ids)),
  ]);
  const toRetract = (await evidence.ofStatements([...targets])).filter(
    (r) => r.state !== 'retracted',
  );
  await forEachBucket(toRetract, (row) => retractRow(store, storeId, row));

  await store.unknownVerbsOf(storeId).count(unknownVerbs);
  return { inserted: inserted.length, retracted: toRetract.length, voids: voids.length };
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
 * document) and buckets side by side.
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
  await Promise.all(
    [...byBucket.values()].map(async (group) => {
      for (const row of group) await work(row);
    }),
  );
}
