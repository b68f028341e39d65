import { partitionOf } from '@cairn/jobs';
import {
  addRollupSums,
  familyContribution,
  ROLLUP_FAMILIES,
  type EvidenceRow,
  type RollupFamily,
} from '@cairn/analytics';
import type {
  RollupAddition,
  RollupKeyRecord,
  RollupTotals,
  StoredEvidence,
  Store,
} from '@cairn/store';
import { generationOf, rollupKeyRecordOf, rowOf } from './evidence-records.js';

/**
 * Resolves while this run is still the partition's only writer, rejects once it may not be (its
 * job's lock was lost: another worker may be running the job again). Checked before each write
 * step, so a run that lost its lock stops before its next write instead of racing the new one:
 * an addition written after the other run had settled the same op id would count a row twice.
 */
export type StillOwned = () => Promise<void>;

/** What a partition job run for an erasure knows (docs/identity.md, "Erasure"). */
export interface ErasureReconcile {
  /** The erased person's identifier keys: their rows are not live. */
  readonly subjects: ReadonlySet<string>;
  /**
   * The counterpart a row should have now that its statement is redacted (undefined: the
   * statement is not one the erasure redacted, leave the row's counterpart as it is).
   */
  counterpartOf(row: StoredEvidence): string | null | undefined;
}

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
 * partition) and its subject is not one of `erasure.subjects` (the identifiers of a person being
 * erased, docs/identity.md), else `retracted`. Only this partition's jobs write these rows
 * and their buckets and roll-ups (every roll-up key holds the row's subject, or, for knowledge
 * sharing, its helper, which is the row's subject), one job at a time (the partition queue's
 * global concurrency is 1), so the moves below never race.
 *
 * During an erasure, a row of a redacted statement whose counterpart the redaction changed (the
 * erased person was the one helped, or one of a Group that liked: the Group is now one person)
 * takes the counterpart the redacted statement gives, before any retraction: the row is then
 * what the redacted statement gives. Where that changes the row's place in a family (knowledge
 * sharing), it moves from its old roll-up to its new one.
 *
 * Every move is safe to repeat: rows are never deleted, only moved pending -> counted ->
 * retracted, and each bucket addition carries an id (`+key`, `-key`; `~-key`, `~+key` for a
 * counterpart changed) that the bucket remembers until the row's new state is written
 * (rollups.ts `addOnce`, `addEachOnce`). Marking a row first and adding second, the simpler
 * order, would lose the addition for good if the worker died in between.
 */
export async function reconcileEvidence(
  store: Store,
  storeId: string,
  partition: number,
  partitions: number,
  statementIds: readonly string[],
  stillOwned: StillOwned = () => Promise.resolve(),
  erasure?: ErasureReconcile,
): Promise<ReconcileCounts> {
  const erasedSubjects = erasure?.subjects ?? new Set<string>();
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
  // A pending row may already be in its bucket: finish counting it, then subtract it.
  const toFinish = rows.filter((r) => r.state === 'pending' && !live(r));
  const counting = [...toCount, ...toFinish];
  await moveRows(store, storeId, counting, 'pending', 'counted', stillOwned);
  // Every row is counted or retracted now: a counterpart is changed from where it is counted.
  const nowCounted = new Set(counting.map((r) => r.key));
  const settled = rows.map((r): StoredEvidence =>
    nowCounted.has(r.key) ? { ...r, state: 'counted' } : r,
  );
  const current =
    erasure === undefined
      ? settled
      : await changeCounterparts(store, storeId, settled, erasure, stillOwned);
  const toRetract = current.filter((r) => r.state === 'counted' && !live(r));
  await moveRows(store, storeId, toRetract, 'counted', 'retracted', stillOwned);
  return { counted: toCount.length, retracted: toRetract.length };
}

/** One row's addition to one roll-up (negative when retracted), under its op id. */
interface RowMove {
  readonly opId: string;
  readonly totals: RollupTotals;
}

/** A family's additions of one move: per roll-up, the rows' summed totals and their op ids. */
interface FamilyAdditions {
  readonly family: RollupFamily;
  readonly additions: readonly (RollupAddition & { readonly moves: readonly RowMove[] })[];
}

/** What one row adds to (sign 1) or subtracts from (sign -1) a family, under `opId`. */
interface RowContribution {
  readonly row: EvidenceRow;
  readonly sign: 1 | -1;
  readonly opId: string;
}

/** One family's additions of some row contributions, summed per roll-up. */
function familyAdditions(
  family: RollupFamily,
  contributions: readonly RowContribution[],
): FamilyAdditions {
  const byRollup = new Map<string, { key: RollupKeyRecord; moves: RowMove[] }>();
  for (const { row, sign, opId } of contributions) {
    const c = familyContribution(family, row, sign);
    if (c === null) continue;
    const group = byRollup.get(c.id) ?? { key: rollupKeyRecordOf(c.key), moves: [] };
    group.moves.push({ opId, totals: c.sums });
    byRollup.set(c.id, group);
  }
  const additions = [...byRollup.values()].map(({ key, moves }) => ({
    key,
    totals: moves.map((m) => m.totals).reduce((a, b) => addRollupSums(family, a, b)),
    opIds: moves.map((m) => m.opId),
    moves,
  }));
  return { family, additions };
}

/** What `rows` add to (sign 1) or subtract from (sign -1) every family, per roll-up. */
function additionsOf(
  storeId: string,
  rows: readonly StoredEvidence[],
  sign: 1 | -1,
): FamilyAdditions[] {
  const contributions = rows.map((r) => ({
    row: rowOf(storeId, r),
    sign,
    opId: `${sign === 1 ? '+' : '-'}${r.key}`,
  }));
  return ROLLUP_FAMILIES.map((family) => familyAdditions(family, contributions));
}

/** Whether a row adds the same to a family's same roll-up before and after a change. */
function sameContribution(family: RollupFamily, before: EvidenceRow, after: EvidenceRow): boolean {
  const a = familyContribution(family, before, 1);
  const b = familyContribution(family, after, 1);
  if (a === null || b === null) return a === b;
  return a.id === b.id && family.sumFields.every((f) => a.sums[f] === b.sums[f]);
}

/**
 * An erasure's re-keying of the rows of its redacted statements whose counterpart the redaction
 * changed: each counted one moves, in every family where the counterpart places it, from its
 * roll-up to the one it belongs in now; then every such row, whatever its state, is stored with
 * its new counterpart. Returns `rows` as they are now. Safe to repeat as {@link moveRows} is: a
 * retry finds the rows still to change, and the roll-ups that already hold their op ids skip them.
 */
async function changeCounterparts(
  store: Store,
  storeId: string,
  rows: readonly StoredEvidence[],
  erasure: ErasureReconcile,
  stillOwned: StillOwned,
): Promise<StoredEvidence[]> {
  const changes = new Map<string, { from: string | null; to: string | null }>();
  for (const r of rows) {
    const to = erasure.counterpartOf(r);
    const from = r.counterpart ?? null;
    if (to !== undefined && to !== from) changes.set(r.key, { from, to });
  }
  if (changes.size === 0) return [...rows];
  const families = ROLLUP_FAMILIES.map((family) =>
    familyAdditions(
      family,
      rows
        .filter((r) => r.state === 'counted')
        .flatMap((r): RowContribution[] => {
          const change = changes.get(r.key);
          if (change === undefined) return [];
          const before = rowOf(storeId, r);
          const after: EvidenceRow = { ...before, counterpart: change.to };
          if (sameContribution(family, before, after)) return [];
          return [
            { row: before, sign: -1, opId: `~-${r.key}` },
            { row: after, sign: 1, opId: `~+${r.key}` },
          ];
        }),
    ),
  );
  await writeThenSettle(store, storeId, families, stillOwned, () =>
    store
      .evidenceOf(storeId)
      .setCounterparts([...changes].map(([key, { from, to }]) => ({ key, from, to }))),
  );
  return rows.map((r) => {
    const change = changes.get(r.key);
    return change === undefined ? r : { ...r, counterpart: change.to };
  });
}

/** Waits for every promise; then rejects with the first failure, if any. */
async function settledAll(work: readonly Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

/**
 * Moves `rows` from `from` to `to`, adding each to its roll-up of every family (the skill-day
 * bucket among them) when `counted`, or subtracting it when `retracted`, once: see
 * {@link writeThenSettle}.
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
  const families = additionsOf(storeId, rows, to === 'counted' ? 1 : -1);
  await writeThenSettle(store, storeId, families, stillOwned, () =>
    store.evidenceOf(storeId).transitionAll(
      rows.map((r) => r.key),
      from,
      to,
    ),
  );
}

/**
 * Writes `families`' additions once, then `record`s the rows' new state, then forgets the op ids,
 * in three steps whatever their number: the additions, summed per roll-up (a read and a bulk
 * write per family, families side by side); the record; the op ids forgotten. A retry after a
 * crash finds some op ids on their roll-ups already: those roll-ups go op by op, and `addOnce`
 * skips what did land.
 */
async function writeThenSettle(
  store: Store,
  storeId: string,
  families: readonly FamilyAdditions[],
  stillOwned: StillOwned,
  record: () => Promise<unknown>,
): Promise<void> {
  await stillOwned();
  // One write at a time per roll-up (addOnce reads, then writes), roll-ups side by side. When one
  // fails, the others are waited for before the job fails: a retry starting while they still ran
  // would be a second writer of their roll-ups.
  await settledAll(
    families.map(async ({ family, additions }) => {
      const rollups = store.rollupsOf(storeId, family.name);
      const unsure = new Set(await rollups.addEachOnce(additions));
      await settledAll(
        additions
          .filter((a) => unsure.has(a))
          .map(async (a) => {
            for (const m of a.moves) await rollups.addOnce(a.key, m.totals, m.opId);
          }),
      );
    }),
  );
  await stillOwned();
  await record();
  await stillOwned();
  await Promise.all(
    families.map(({ family, additions }) =>
      store.rollupsOf(storeId, family.name).settleAll(additions),
    ),
  );
}
