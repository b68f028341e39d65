import {
  bucketKeyString,
  EvidenceLedger,
  isZeroRollup,
  rebuildBuckets,
  rebuildRollups,
  ROLLUP_FAMILIES,
  rollupKeyString,
  type Bucket,
  type Derivation,
  type EvidenceRow,
  type RollupFamily,
  type RollupFamilyName,
  type Tombstone,
} from '@cairn/analytics';
import {
  TOTAL_FIELDS,
  type RollupKeyRecord,
  type RollupRecord,
  type RollupTotals,
  type SkillDay,
  type SkillDayKey,
  type Store,
} from '@cairn/store';
import { currentDerivation } from './current-derivation.js';
import { evidenceOfStatement, recordOf, rollupKeyRecordOf } from './evidence-records.js';

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

/** A roll-up whose live sums differ from the recomputation; null where one side has none. */
export interface RollupDifference {
  readonly family: RollupFamilyName;
  readonly key: RollupKeyRecord;
  readonly live: RollupTotals | null;
  readonly expected: RollupTotals | null;
}

/** One family's roll-ups of a set of rows, as the store keeps them (keys within the store). */
function rollupRecordsOf(family: RollupFamily, rows: readonly EvidenceRow[]): RollupRecord[] {
  return [...rebuildRollups(family, rows).values()].map((r) => ({
    key: rollupKeyRecordOf(r.key),
    totals: r.sums,
  }));
}

/**
 * Every family's roll-ups (the skill-day buckets included) as the store's statements alone give
 * them, as {@link recomputeSkillDays} does for the buckets.
 */
export async function recomputeRollups(
  store: Store,
  storeId: string,
): Promise<Map<RollupFamilyName, RollupRecord[]>> {
  const derivation = await currentDerivation(store, storeId);
  const rows = (await ledgerOfStatements(store, storeId, derivation)).ledger.rows();
  return new Map(ROLLUP_FAMILIES.map((f) => [f.name, rollupRecordsOf(f, rows)]));
}

/**
 * The differences between every family's live roll-ups and {@link recomputeRollups}, family by
 * family in key order; empty when the pipeline is exact. Zero roll-ups count as absent.
 */
export async function verifyRollups(store: Store, storeId: string): Promise<RollupDifference[]> {
  const expectedOf = await recomputeRollups(store, storeId);
  const differences: RollupDifference[] = [];
  for (const family of ROLLUP_FAMILIES) {
    const idOfKey = (key: RollupKeyRecord): string =>
      rollupKeyString(family, { ...key, store: storeId });
    const live = new Map<string, RollupRecord>();
    for (const r of await store.rollupsOf(storeId, family.name).list()) {
      if (!isZeroRollup(family, r.totals)) live.set(idOfKey(r.key), r);
    }
    const expected = new Map((expectedOf.get(family.name) ?? []).map((r) => [idOfKey(r.key), r]));
    for (const id of [...new Set([...live.keys(), ...expected.keys()])].sort()) {
      const l = live.get(id);
      const e = expected.get(id);
      const key = l?.key ?? e?.key;
      if (key === undefined) continue;
      const same =
        l !== undefined &&
        e !== undefined &&
        family.sumFields.every((f) => l.totals[f] === e.totals[f]);
      if (!same)
        differences.push({
          family: family.name,
          key,
          live: l?.totals ?? null,
          expected: e?.totals ?? null,
        });
    }
  }
  return differences;
}

/** What a rebuild from statements wrote. */
export interface RebuildResult {
  readonly statements: number;
  readonly rows: number;
  readonly buckets: number;
  /** Roll-ups written per family (`skillDays` is `buckets`). */
  readonly rollups: Readonly<Record<RollupFamilyName, number>>;
  /** The settings generation the evidence was derived under. */
  readonly generation: number;
}

/**
 * Recomputes a store's evidence and buckets from its statements alone, under its current
 * settings (`npm run cairn -- rebuild --store S`): the rows the statements give, voids applied,
 * replace the store's evidence (all counted), its derivation marks and every family's roll-ups
 * (the buckets among them), and its
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
  const written: Partial<Record<RollupFamilyName, number>> = {};
  for (const family of ROLLUP_FAMILIES) {
    const records = rollupRecordsOf(family, rows);
    await store.rollupsOf(storeId, family.name).replaceAll(records);
    written[family.name] = records.length;
  }
  const rollups = {
    skillDays: written.skillDays ?? 0,
    platformDays: written.platformDays ?? 0,
    activityOutcomes: written.activityOutcomes ?? 0,
    knowledgeSharing: written.knowledgeSharing ?? 0,
  };
  await store.rederivationsOf(storeId).saveStatus({
    generation: derivation.generation,
    state: 'done',
    total: statements,
    scanned: statements,
    changed: 0,
    startedAt,
    finishedAt: now(),
  });
  return {
    statements,
    rows: rows.length,
    buckets: rollups.skillDays,
    rollups,
    generation: derivation.generation,
  };
}
