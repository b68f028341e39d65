import {
  bucketKeyString,
  EvidenceLedger,
  rebuildBuckets,
  type Bucket,
  type Derivation,
  type Tombstone,
} from '@cairn/analytics';
import { TOTAL_FIELDS, type SkillDay, type SkillDayKey, type Store } from '@cairn/store';
import { currentDerivation } from './current-derivation.js';
import { evidenceOfStatement, recordOf } from './evidence-records.js';

/** Statements or evidence rows read per round trip. */
const PAGE = 500;

/** A bucket whose live sums differ from the recomputation; null where one side has none. */
export interface SkillDayDifference {
  readonly key: SkillDayKey;
  readonly live: SkillDay['totals'] | null;
  readonly expected: SkillDay['totals'] | null;
}

function skillDayOf(bucket: Bucket): SkillDay {
  const { store: _store, ...key } = bucket.key;
  return { key, totals: bucket.sums };
}

const idOf = (storeId: string, key: SkillDayKey): string =>
  bucketKeyString({ store: storeId, ...key });

/** One store's statements read through the in-memory reference of the incremental rules. */
async function ledgerOfStatements(
  store: Store,
  storeId: string,
  derivation: Derivation,
): Promise<{ ledger: EvidenceLedger; voids: Tombstone[]; statements: number }> {
  const statements = store.statementsOf(storeId);
  const ledger = new EvidenceLedger();
  const voids: Tombstone[] = [];
  let count = 0;
  let after: string | undefined;
  for (;;) {
    const page = await statements.query({
      ascending: true,
      limit: PAGE,
      ...(after === undefined ? {} : { after }),
    });
    for (const s of page.statements) {
      const ev = evidenceOfStatement(storeId, s, derivation);
      if (ev.type === 'void') {
        ledger.void(ev.tombstone);
        voids.push(ev.tombstone);
      } else ledger.insert(ev.rows);
    }
    count += page.statements.length;
    if (page.next === null) break;
    after = page.next;
  }
  return { ledger, voids, statements: count };
}

/**
 * The buckets one store's statements should have, computed from the statements alone, under the
 * store's current settings, with the in-memory reference of the incremental rules
 * (EvidenceLedger) and grouped by rebuildBuckets: independent of the evidence collection, so it
 * checks the whole pipeline. Reads every unvoided statement (voided ones add nothing), a page at
 * a time.
 */
export async function recomputeSkillDays(store: Store, storeId: string): Promise<SkillDay[]> {
  const derivation = await currentDerivation(store, storeId);
  const { ledger } = await ledgerOfStatements(store, storeId, derivation);
  return [...rebuildBuckets(ledger.rows()).values()].map(skillDayOf);
}

/**
 * The differences between a store's live buckets and {@link recomputeSkillDays}; empty when the
 * pipeline is exact. Zero buckets (all their evidence retracted) count as absent. Meaningful once
 * the pipeline has drained: statements still owed to it show up as differences.
 */
export async function verifySkillDays(
  store: Store,
  storeId: string,
): Promise<SkillDayDifference[]> {
  const live = new Map<string, SkillDay>();
  for (const d of await store.skillDaysOf(storeId).list()) {
    if (TOTAL_FIELDS.some((f) => d.totals[f] !== 0n)) live.set(idOf(storeId, d.key), d);
  }
  const expected = new Map(
    (await recomputeSkillDays(store, storeId)).map((d) => [idOf(storeId, d.key), d]),
  );
  const differences: SkillDayDifference[] = [];
  for (const id of [...new Set([...live.keys(), ...expected.keys()])].sort()) {
    const l = live.get(id);
    const e = expected.get(id);
    const key = l?.key ?? e?.key;
    if (key === undefined) continue;
    if (
      l !== undefined &&
      e !== undefined &&
      TOTAL_FIELDS.every((f) => l.totals[f] === e.totals[f])
    )
      continue;
    differences.push({ key, live: l?.totals ?? null, expected: e?.totals ?? null });
  }
  return differences;
}

/** What a rebuild from statements wrote. */
export interface RebuildResult {
  readonly statements: number;
  readonly rows: number;
  readonly buckets: number;
  /** The settings generation the evidence was derived under. */
  readonly generation: number;
}

/**
 * Recomputes a store's evidence and buckets from its statements alone, under its current
 * settings (`npm run cairn -- rebuild --store S`): the rows the statements give, voids applied,
 * replace the store's evidence (all counted), its derivation marks and its buckets, and its
 * re-derivation is recorded as done at the current generation. Run only while no job of the store
 * is processed (stop its aggregators): a job writing meanwhile could be overwritten. A rebuild that
 * stops half-way leaves the store inexact; running it again repairs it.
 */
export async function rebuildFromStatements(
  store: Store,
  storeId: string,
  now: () => Date = () => new Date(),
): Promise<RebuildResult> {
  const startedAt = now();
  const derivation = await currentDerivation(store, storeId);
  const { ledger, voids, statements } = await ledgerOfStatements(store, storeId, derivation);
  const rows = ledger.rows();
  const evidence = store.evidenceOf(storeId);
  await evidence.deleteAll();
  await store.rederivationsOf(storeId).deleteMarks();
  for (let i = 0; i < rows.length; i += PAGE) {
    const records = rows.slice(i, i + PAGE).map((r) => recordOf(r, derivation.generation));
    await evidence.insertMany(records, 'counted');
  }
  await store.tombstonesOf(storeId).record(voids);
  const days = [...rebuildBuckets(rows).values()].map(skillDayOf);
  await store.skillDaysOf(storeId).replaceAll(days);
  await store.rederivationsOf(storeId).saveStatus({
    generation: derivation.generation,
    state: 'done',
    total: statements,
    scanned: statements,
    changed: 0,
    startedAt,
    finishedAt: now(),
  });
  return { statements, rows: rows.length, buckets: days.length, generation: derivation.generation };
}
