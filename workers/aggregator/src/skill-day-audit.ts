import {
  bucketKeyString,
  EvidenceLedger,
  rebuildBuckets,
  type Bucket,
  type EvidenceRow,
} from '@cairn/analytics';
import { TOTAL_FIELDS, type SkillDay, type SkillDayKey, type Store } from '@cairn/store';
import { currentDerivation } from './current-derivation.js';
import { evidenceOfStatement, rowOf } from './evidence-records.js';

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

/**
 * The buckets one store's statements should have, computed from the statements alone with the
 * in-memory reference of the incremental rules (EvidenceLedger) and grouped by rebuildBuckets:
 * independent of the evidence collection, so it checks the whole pipeline. Reads every unvoided
 * statement (voided ones add nothing), a page at a time.
 */
export async function recomputeSkillDays(store: Store, storeId: string): Promise<SkillDay[]> {
  const statements = store.statementsOf(storeId);
  const derivation = await currentDerivation(store, storeId);
  const ledger = new EvidenceLedger();
  let after: string | undefined;
  for (;;) {
    const page = await statements.query({
      ascending: true,
      limit: PAGE,
      ...(after === undefined ? {} : { after }),
    });
    for (const s of page.statements) {
      const ev = evidenceOfStatement(storeId, s, derivation);
      if (ev.type === 'void') ledger.void(ev.tombstone);
      else ledger.insert(ev.rows);
    }
    if (page.next === null) break;
    after = page.next;
  }
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

/**
 * Rebuilds a store's buckets from its counted evidence rows (rebuildBuckets: a pure grouping)
 * and replaces the live ones with them. Run only while no job of the store is processed (stop its
 * aggregator partitions): a job adding meanwhile could be overwritten. Rows still pending are
 * left out and their pending additions forgotten, so the next run of their job counts them.
 * Returns the number of buckets written.
 */
export async function rebuildSkillDays(store: Store, storeId: string): Promise<number> {
  const evidence = store.evidenceOf(storeId);
  const rows: EvidenceRow[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await evidence.page('counted', after, PAGE);
    for (const r of page) rows.push(rowOf(storeId, r));
    const last = page[page.length - 1];
    if (page.length < PAGE || last === undefined) break;
    after = last.key;
  }
  const days = [...rebuildBuckets(rows).values()].map(skillDayOf);
  await store.skillDaysOf(storeId).replaceAll(days);
  return days.length;
}
