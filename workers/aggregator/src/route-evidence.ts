import { partitionOf } from '@cairn/jobs';
import type { Derivation, EvidenceRow, Tombstone } from '@cairn/analytics';
import type { DerivationMark, EvidenceRecord, StoredStatement, Store } from '@cairn/store';
import { evidenceOfStatement, generationOf, recordOf, rowOf } from './evidence-records.js';

/** What the intake step did with a batch, and where its evidence goes next. */
export interface EvidenceRouting {
  /** Evidence rows this run inserted (a retried batch inserts none). */
  readonly inserted: number;
  /** Statements whose evidence changed under a later settings generation (re-derived). */
  readonly rederived: number;
  /** Voiding statements in the batch. */
  readonly voids: number;
  /**
   * Partition -> the statements whose rows that partition must bring to their final state:
   * the batch's own statements and the targets of its voids (`intake`), or the statements
   * whose evidence changed (`rederive`).
   */
  readonly parts: ReadonlyMap<number, readonly string[]>;
}

/**
 * `intake`: a batch the LRS stored (or the sweeper re-drove). `rederive`: statements read back
 * after a settings change; only those whose evidence changed are routed, and unknown verbs,
 * already counted at intake, are not counted again.
 */
export type RoutingMode = 'intake' | 'rederive';

/**
 * The intake half of aggregation, for statements of one store: record voids as tombstones,
 * insert the statements' evidence rows (derived under `derivation`) as `pending`, and say which
 * partitions own rows that must now be counted or retracted. It writes no bucket and moves no
 * row: buckets and row states are written only by the partition that owns their subject
 * (reconcileEvidence), one job at a time, which lets those writes read a bucket and then write
 * it by key. Everything here is an insert or an idempotent upsert, safe to repeat.
 *
 * Why voids cannot be lost between the two halves, in any order of jobs: the target's rows are
 * inserted before its partition jobs are added, and a partition job reads the tombstones when it
 * runs. A void recorded before that read is seen there; a void recorded after it was recorded
 * after the rows were inserted, so this step, reading the target's rows after writing the
 * tombstone, finds them and routes their retraction.
 *
 * Generations (a rule change): a statement's rows of its latest generation are its live ones
 * (see reconcileEvidence). When `derivation` is newer and gives different rows, a mark of the new
 * generation is inserted first, then the new rows; the statement's partitions then retract the
 * old rows and count the new. Unchanged statements keep their rows. A derivation older than a
 * statement's latest (settings read just before a change) inserts nothing for it.
 */
export async function routeEvidence(
  store: Store,
  storeId: string,
  statements: readonly StoredStatement[],
  partitions: number,
  derivation: Derivation,
  mode: RoutingMode = 'intake',
): Promise<EvidenceRouting> {
  const evidence = store.evidenceOf(storeId);
  const tombstones = store.tombstonesOf(storeId);
  const generation = derivation.generation;
  const derived = statements.map((s) => ({ s, ev: evidenceOfStatement(storeId, s, derivation) }));

  // 1. Tombstones first, durably: from here on their targets add nothing, in any job.
  const voids: Tombstone[] = derived.flatMap(({ ev }) =>
    ev.type === 'void' ? [ev.tombstone] : [],
  );
  await tombstones.record(voids);

  // 2. Statements neither flagged voided (the LRS sets the flag when it stores the voider) nor
  // tombstoned by a voider the pipeline has already seen. Skipping the others only saves
  // writes: a row inserted anyway would be retracted by its partition.
  const unknownVerbs: { verb: string; statementId: string }[] = [];
  const unaligned: { activityId: string; statementId: string }[] = [];
  const candidates = derived.flatMap(({ s, ev }) => {
    if (ev.type !== 'evidence') return [];
    if (ev.unknownVerb !== undefined)
      unknownVerbs.push({ verb: ev.unknownVerb, statementId: s.statementId });
    if (ev.unalignedActivity !== undefined)
      unaligned.push({ activityId: ev.unalignedActivity, statementId: s.statementId });
    return s.voided ? [] : [{ id: s.statementId, rows: ev.rows }];
  });
  const tombstoned = new Set(await tombstones.voidedAmong(candidates.map((c) => c.id)));
  const live = candidates.filter((c) => !tombstoned.has(c.id));

  // 3. What to insert, statement by statement, against what is stored already.
  const ids = live.map((c) => c.id);
  const [existing, marked] = await Promise.all([
    evidence.ofStatements(ids),
    store.rederivationsOf(storeId).latestMarks(ids),
  ]);
  const storedRows = groupBy(existing, (r) => r.statementId);
  const marks: DerivationMark[] = [];
  const records: EvidenceRecord[] = [];
  // Statements derived under `generation` now (or again, after a crash), and how many of them
  // had their evidence changed by it.
  const derivedNow: string[] = [];
  let changed = 0;
  for (const c of live) {
    const rows = storedRows.get(c.id) ?? [];
    const latest = Math.max(marked.get(c.id) ?? 0, ...rows.map(generationOf));
    if (latest > generation) continue;
    if (latest < generation) {
      const current = rows.filter((r) => generationOf(r) === latest).map((r) => rowOf(storeId, r));
      if (sameEvidence(current, c.rows)) continue;
      if (rows.length > 0) marks.push({ statementId: c.id, generation });
      changed++;
    }
    derivedNow.push(c.id);
    records.push(...c.rows.map((row) => recordOf(row, generation)));
  }
  await store.rederivationsOf(storeId).mark(marks);
  const inserted = await evidence.insertMany(records);

  // 4. Every row of the statements owed (inserted now or by an attempt that crashed, of any
  // generation), by the partition of its subject.
  const owed =
    mode === 'intake'
      ? [...statements.map((s) => s.statementId), ...voids.map((v) => v.targetStatementId)]
      : derivedNow;
  const parts = new Map<number, Set<string>>();
  for (const row of await evidence.ofStatements(owed)) {
    const partition = partitionOf(row.subject, partitions);
    const set = parts.get(partition) ?? new Set<string>();
    set.add(row.statementId);
    parts.set(partition, set);
  }

  // A diagnostic, not an aggregate: a retried job may count a statement again.
  if (mode === 'intake') {
    await store.unknownVerbsOf(storeId).count(unknownVerbs);
    await store.unalignedActivitiesOf(storeId).count(unaligned);
  }
  return {
    inserted: inserted.length,
    rederived: changed,
    voids: voids.length,
    parts: new Map([...parts].map(([p, set]) => [p, [...set].sort()])),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/** Whether two derivations of one statement give the same rows, field for field. */
function sameEvidence(a: readonly EvidenceRow[], b: readonly EvidenceRow[]): boolean {
  if (a.length !== b.length) return false;
  const canonical = (rows: readonly EvidenceRow[]): string[] =>
    rows
      .map((row) =>
        JSON.stringify(Object.entries(row).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
      )
      .sort();
  const left = canonical(a);
  const right = canonical(b);
  return left.every((text, i) => text === right[i]);
}
