import { counterpartOfRow } from '@cairn/analytics';
import { partitionOf, type BatchRouter } from '@cairn/jobs';
import {
  ROLLUP_SPECS,
  statementFieldsOf,
  type ErasureCounts,
  type ErasurePlan,
  type ErasureRecord,
  type ErasureStep,
  type ErasureWork,
  type RedactedStatement,
  type Store,
  type StoredEvidence,
} from '@cairn/store';
import { redactAgents, type Statement } from '@cairn/xapi';
import { erasurePlanner, type ErasedKeys } from './erasure-plan.js';
import type { ErasureReconcile } from './reconcile-evidence.js';

/** Statements read per round trip by the plan's scan, and ids per `$in` after it. */
const PAGE = 500;

export interface ErasureDeps {
  readonly store: Store;
  /** Where the retraction's partition jobs go (createBatchRouter of @cairn/jobs). */
  readonly router: Pick<BatchRouter, 'retract'>;
  /** CAIRN_PARTITIONS. */
  readonly partitions: number;
  readonly now?: () => Date;
}

/** Where a run of an erasure left it: done, or waiting for the pipeline (run it again later). */
export type ErasureProgress =
  | { readonly state: 'done'; readonly record: ErasureRecord }
  | { readonly state: 'waiting'; readonly reason: string };

const STEPS: readonly ErasureStep[] = ['requested', 'planned', 'removed', 'retracted', 'done'];
const reached = (record: ErasureRecord, step: ErasureStep): boolean =>
  STEPS.indexOf(record.step) >= STEPS.indexOf(step);

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PAGE) out.push(items.slice(i, i + PAGE));
  return out;
}

async function inChunks<T, R>(
  items: readonly T[],
  read: (chunk: T[]) => Promise<readonly R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (const chunk of chunks(items)) out.push(...(await read(chunk)));
  return out;
}

/**
 * What a partition job run for a pending erasure needs (reconcile-evidence.ts): the erased
 * identifiers, and the counterpart each row of a redacted statement among `statementIds` has now
 * (read from the statement as stored, redacted once the erasure's step `removed` is done).
 */
export async function erasureReconcileOf(
  store: Store,
  storeId: string,
  work: ErasureWork,
  statementIds: readonly string[],
): Promise<ErasureReconcile> {
  const redacted = new Set(work.plan?.redacted ?? []);
  const ids = [...new Set(statementIds)].filter((id) => redacted.has(id));
  const stored = await inChunks(ids, (c) => store.statementsOf(storeId).getMany(c));
  const statements = new Map(stored.map((s) => [s.statementId, JSON.parse(s.json) as Statement]));
  return {
    subjects: new Set(work.identifiers),
    counterpartOf(row) {
      const statement = statements.get(row.statementId);
      return statement === undefined ? undefined : counterpartOfRow(row, statement);
    },
  };
}

/** The store's statements, read once in storage order, sorted into the erasure's plan. */
async function planOf(store: Store, storeId: string, erased: ErasedKeys): Promise<ErasurePlan> {
  const planner = erasurePlanner(erased);
  const statements = store.statementsOf(storeId);
  let after: string | null = null;
  for (;;) {
    const page = await statements.scan(after, PAGE);
    for (const s of page.statements) planner.add(s.statementId, JSON.parse(s.json) as Statement);
    if (page.next === null) return planner.plan();
    after = page.next;
  }
}

/**
 * Runs one erasure of one store as far as it can (docs/identity.md, "Erasure"). Every step is
 * idempotent and the record says which one was finished last, so a run that crashed anywhere is
 * simply run again:
 *
 * 1. plan: the store's statements are scanned once; the person's own are to be deleted, those of
 *    others naming the person to be redacted (erasure-plan.ts). Saved once.
 * 2. wait until the pipeline has finished with every planned statement (outbox not pending), so
 *    that no intake still holds one as it was; then tombstone the deleted ones (a void's
 *    mark: from here on they add nothing in any job), redact, delete the statements, the
 *    attachments no other statement holds, the person's documents and directory records.
 * 3. retract: partition jobs, on the partitions' own queues, bring every row of a deleted
 *    statement and every row whose subject is the person to `retracted`, exactly as for a void,
 *    out of every roll-up family (reconcile-evidence.ts, with the erasure's subjects); the rows
 *    of redacted statements that name the person as their counterpart lose it, and move to
 *    where the redacted statement puts them; waits until they all have.
 * 4. delete the retracted rows, the erasure's tombstones, every family's roll-ups keyed by the
 *    person's identifiers (zero by now), and the person's identity records; the record keeps
 *    only its counts.
 */
export async function runErasure(
  deps: ErasureDeps,
  storeId: string,
  erasureId: string,
  jobId: string,
): Promise<ErasureProgress> {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const erasures = store.erasuresOf(storeId);
  const record = await erasures.get(erasureId);
  if (record === null) throw new Error(`no erasure ${erasureId} in store ${storeId}`);
  const work = await erasures.work(erasureId);
  if (record.state === 'done' || work === null) return { state: 'done', record };
  const keys = new Set(work.identifiers);
  const erased: ErasedKeys = (lookup) => lookup.some((k) => keys.has(k));
  const statements = store.statementsOf(storeId);
  /** The voiding statement id of the erasure's own tombstones. */
  const mark = `erasure.${erasureId}`;

  const plan =
    work.plan ?? (await erasures.savePlan(erasureId, await planOf(store, storeId, erased)));
  if (!reached(record, 'planned')) await erasures.advance(erasureId, 'planned', {});
  const planned = [...plan.deleted, ...plan.redacted];
  const deletedIds = new Set(plan.deleted);

  if (!reached(record, 'removed')) {
    const owed = await inChunks(planned, (c) => statements.pendingAmong(c));
    if (owed.length > 0)
      return { state: 'waiting', reason: `${owed.length} statements still owed by the pipeline` };
    await store
      .tombstonesOf(storeId)
      .record(
        plan.deleted.map((targetStatementId) => ({ targetStatementId, voidingStatementId: mark })),
      );
    const redactions: RedactedStatement[] = (
      await inChunks(plan.redacted, (c) => statements.getMany(c))
    ).map((s) => {
      const statement = redactAgents(JSON.parse(s.json) as Statement, erased).value;
      return {
        statementId: s.statementId,
        json: JSON.stringify(statement),
        fields: statementFieldsOf(statement),
      };
    });
    let redacted = 0;
    for (const c of chunks(redactions)) redacted += await statements.redact(c);
    let deleted = 0;
    const hashes = new Set<string>();
    for (const c of chunks(plan.deleted)) {
      const res = await statements.deleteMany(c);
      deleted += res.deleted;
      for (const h of res.attachmentHashes) hashes.add(h);
    }
    const inUse = new Set(await statements.attachmentsInUse([...hashes]));
    const attachments = await store
      .attachmentsOf(storeId)
      .deleteMany([...hashes].filter((h) => !inUse.has(h)));
    const documents = await store.documentsOf(storeId).deleteOfAgents(work.identifiers);
    const memberships = await store.membershipsOf(storeId).deleteOfIdentifiers(work.identifiers);
    await erasures.advance(erasureId, 'removed', {
      statementsDeleted: deleted,
      statementsRedacted: redacted,
      attachments,
      documents,
      memberships,
    });
  }

  // The rows the erasure removes: every row of a deleted statement (other people's included),
  // and the person's own rows of the redacted ones. And the rows it re-keys: others' rows of the
  // redacted ones whose counterpart the redaction changed (the person was the one helped).
  const all = await inChunks(planned, (c) => store.evidenceOf(storeId).ofStatements(c));
  const removed = (r: StoredEvidence): boolean =>
    deletedIds.has(r.statementId) || keys.has(r.subject);
  const rows = all.filter(removed);
  if (!reached(record, 'retracted')) {
    const reconcile = await erasureReconcileOf(store, storeId, { ...work, plan }, plan.redacted);
    const naming = all.filter((r) => {
      const to = reconcile.counterpartOf(r);
      return !removed(r) && to !== undefined && to !== (r.counterpart ?? null);
    });
    const owed = [...rows.filter((r) => r.state !== 'retracted'), ...naming];
    if (owed.length > 0) {
      const parts = new Map<number, Set<string>>();
      for (const r of owed) {
        const partition = partitionOf(r.subject, deps.partitions);
        parts.set(partition, (parts.get(partition) ?? new Set()).add(r.statementId));
      }
      await deps.router.retract(
        jobId,
        { storeId, erasureId },
        new Map([...parts].map(([p, ids]) => [p, [...ids].sort()])),
      );
      return { state: 'waiting', reason: `${owed.length} evidence rows being retracted` };
    }
    await erasures.advance(erasureId, 'retracted', {});
  }

  let evidenceRows = 0;
  for (const c of chunks(rows.map((r) => r.key)))
    evidenceRows += await store.evidenceOf(storeId).deleteRetracted(c);
  for (const c of chunks(plan.deleted)) {
    await store.evidenceOf(storeId).deleteManifests(c);
    // The statements and their rows are gone: their ids are free again (a statement sent later
    // under one is new data, counted as any other).
    await store.tombstonesOf(storeId).forget(c, mark);
  }
  // Every family's roll-ups keyed by the person's identifiers, zero by now: the skill-day
  // buckets, and the others' (knowledge sharing's by helper and by helped).
  let buckets = 0;
  let rollups = 0;
  for (const { name } of Object.values(ROLLUP_SPECS)) {
    const deletedOf = await store.rollupsOf(storeId, name).deleteZeroOf(work.identifiers);
    if (name === 'skillDays') buckets += deletedOf;
    else rollups += deletedOf;
  }
  const people = await store.peopleOf(storeId).erase(work.personId, work.identifiers);
  const counts: Partial<ErasureCounts> = {
    evidenceRows,
    buckets,
    rollups,
    identifiers: people.identifiers,
    profiles: people.profiles,
    auditRecords: people.auditRecords,
  };
  await erasures.finish(erasureId, now(), counts);
  const finished = await erasures.get(erasureId);
  return { state: 'done', record: finished ?? record };
}
