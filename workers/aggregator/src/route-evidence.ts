import { partitionOf } from '@cairn/jobs';
import type { Tombstone } from '@cairn/analytics';
import type { StoredStatement, Store } from '@cairn/store';
import { evidenceOfStatement, recordOf } from './evidence-records.js';

/** What the intake step did with a batch, and where its evidence goes next. */
export interface EvidenceRouting {
  /** Evidence rows this run inserted (a retried batch inserts none). */
  readonly inserted: number;
  /** Voiding statements in the batch. */
  readonly voids: number;
  /**
   * Partition -> the statements whose rows that partition must bring to their final state:
   * the batch's own statements, and the targets of its voids.
   */
  readonly parts: ReadonlyMap<number, readonly string[]>;
}

/**
 * The intake half of aggregation, for one batch of one store: record the batch's voids as
 * tombstones, insert its statements' evidence rows as `pending`, and say which partitions own
 * rows that must now be counted or retracted. It writes no bucket: buckets are written only by
 * the partition that owns their subject (reconcileEvidence), one job at a time, which is what
 * keeps them exact on a server whose updates are read-modify-write (FerretDB).
 *
 * Why voids cannot be lost between the two halves, in any order of jobs: the target's rows are
 * inserted before its partition jobs are added, and a partition job reads the tombstones when it
 * runs. A void recorded before that read is seen there; a void recorded after it was recorded
 * after the rows were inserted, so this step, reading the target's rows after writing the
 * tombstone, finds them and routes their retraction.
 */
export async function routeEvidence(
  store: Store,
  storeId: string,
  statements: readonly StoredStatement[],
  partitions: number,
): Promise<EvidenceRouting> {
  const evidence = store.evidenceOf(storeId);
  const tombstones = store.tombstonesOf(storeId);
  const derived = statements.map((s) => ({ s, ev: evidenceOfStatement(storeId, s) }));

  // 1. Tombstones first, durably: from here on their targets add nothing, in any job.
  const voids: Tombstone[] = derived.flatMap(({ ev }) =>
    ev.type === 'void' ? [ev.tombstone] : [],
  );
  await tombstones.record(voids);

  // 2. Rows of statements neither flagged voided (the LRS sets the flag when it stores the
  // voider) nor tombstoned by a voider the pipeline has already seen. Skipping them only saves
  // writes: a row inserted anyway would be retracted by its partition.
  const unknownVerbs: { verb: string; statementId: string }[] = [];
  const candidates = derived.flatMap(({ s, ev }) => {
    if (ev.type !== 'evidence') return [];
    if (ev.unknownVerb !== undefined)
      unknownVerbs.push({ verb: ev.unknownVerb, statementId: s.statementId });
    return s.voided || ev.rows.length === 0 ? [] : [{ s, rows: ev.rows }];
  });
  const tombstoned = new Set(await tombstones.voidedAmong(candidates.map((c) => c.s.statementId)));
  const records = candidates
    .filter((c) => !tombstoned.has(c.s.statementId))
    .flatMap((c) => c.rows.map(recordOf));
  const inserted = await evidence.insertMany(records);

  // 3. Every row of the batch's statements (inserted now or by an attempt that crashed) and of
  // its void targets, by the partition of its subject.
  const owed = [...statements.map((s) => s.statementId), ...voids.map((v) => v.targetStatementId)];
  const parts = new Map<number, Set<string>>();
  for (const row of await evidence.ofStatements(owed)) {
    const partition = partitionOf(row.subject, partitions);
    const ids = parts.get(partition) ?? new Set<string>();
    ids.add(row.statementId);
    parts.set(partition, ids);
  }

  // A diagnostic, not an aggregate: a retried job may count a statement again.
  await store.unknownVerbsOf(storeId).count(unknownVerbs);
  return {
    inserted: inserted.length,
    voids: voids.length,
    parts: new Map([...parts].map(([p, ids]) => [p, [...ids].sort()])),
  };
}
