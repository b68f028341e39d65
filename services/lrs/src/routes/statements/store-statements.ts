import { randomUUID } from 'node:crypto';
import { statementFieldsOf, type NewStatement, type StatementRepository } from '@cairn/store';
import {
  lowerCaseUuids,
  prepareStatement,
  statementIndexFields,
  statementsEqual,
  type Agent,
  type Statement,
  type StatementIndexFields,
  type XapiVersion,
} from '@cairn/xapi';
import { LrsErrors } from '../../errors.js';
import { attachmentsOf } from './attachments.js';

export interface StoreStatementsInput {
  readonly repo: StatementRepository;
  /** Already validated statements, in request order. */
  readonly statements: readonly Statement[];
  readonly authority: Agent;
  /**
   * The credential holds `define` (xAPI Communication 4.2): its statements may update the
   * canonical activity definitions and agent names, which the pipeline builds from them.
   */
  readonly mayDefine: boolean;
  readonly version: XapiVersion;
  readonly now: Date;
}

/** What storeStatements answers. */
export interface StoredBatch {
  /** Every statement's id, in request order. */
  readonly ids: readonly string[];
  /** Those this request stored (not already there): the pipeline's work. */
  readonly inserted: readonly string[];
}

/** One statement of the batch at every stage the checks and the insert need. */
interface Entry {
  /** As sent, UUIDs in lower case: what a second delivery is compared with. */
  readonly sent: Statement;
  /** With what the LRS assigns: what is stored. */
  readonly prepared: Statement;
  readonly id: string;
  /** Extracted once: the voiding checks and the stored document both use them. */
  readonly fields: StatementIndexFields;
}

/**
 * Stores a batch as the spec requires: ids assigned, one `stored` for the batch, authority from
 * the credential; a statement whose id is already stored with the same content is accepted and
 * not stored again, with different content the whole batch is refused (409) before anything is
 * written. Voiding statements void their targets, whichever arrives first.
 */
export async function storeStatements(input: StoreStatementsInput): Promise<StoredBatch> {
  const { repo, now } = input;
  const entries: Entry[] = input.statements.map((statement) => {
    // UUIDs in one case before anything compares or stores them (uuid-case.ts).
    const sent = lowerCaseUuids(statement);
    const prepared = prepareStatement(sent, {
      id: randomUUID,
      stored: now,
      authority: input.authority,
      version: input.version,
    });
    return { sent, prepared, id: idOf(prepared), fields: statementIndexFields(prepared) };
  });
  const ids = entries.map((e) => e.id);
  // Compare what was sent (with its id), not the prepared copy: the LRS-assigned parts (stored,
  // a defaulted timestamp, authority) would differ between two deliveries of one statement.
  const sameAsStored = (stored: { json: string }, e: Entry): boolean =>
    statementsEqual(JSON.parse(stored.json) as Statement, { ...e.sent, id: e.id });

  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new LrsErrors.duplicateInBatch(id);
    seen.add(id);
  }

  // A voiding statement may not target a voiding statement (stored, or in this batch).
  const voiders = new Map<string, string>();
  for (const e of entries) {
    if (e.fields.voidsStatementId !== undefined) voiders.set(e.id, e.fields.voidsStatementId);
  }
  // One read for the batch's ids and its voiding targets: round trips must not grow with size.
  const existing = new Map(
    (await repo.getMany([...new Set([...ids, ...voiders.values()])])).map((s) => [
      s.statementId,
      s,
    ]),
  );
  for (const e of entries) {
    const stored = existing.get(e.id);
    if (stored && !sameAsStored(stored, e)) throw new LrsErrors.conflict(e.id);
  }

  for (const target of voiders.values()) {
    const targetStored = existing.get(target);
    const targetIsVoider =
      voiders.has(target) ||
      (targetStored !== undefined &&
        statementIndexFields(JSON.parse(targetStored.json) as Statement).voidsStatementId !==
          undefined);
    if (targetIsVoider) throw new LrsErrors.voidingVoider(target);
  }

  const fresh = entries.filter((e) => !existing.has(e.id));
  const outcomes = await repo.insertMany(fresh.map((e) => toNew(e, now, input.mayDefine)));
  // Lost a race with a concurrent request for the same id: same rule as above, after the fact,
  // with one read for all of them.
  const raced = fresh.filter((_, i) => outcomes[i] === 'exists');
  if (raced.length > 0) {
    const winners = new Map(
      (await repo.getMany(raced.map((e) => e.id))).map((s) => [s.statementId, s]),
    );
    for (const e of raced) {
      const stored = winners.get(e.id);
      if (stored && !sameAsStored(stored, e)) throw new LrsErrors.conflict(e.id);
    }
  }

  const inserted = fresh.filter((_, i) => outcomes[i] === 'inserted').map((e) => e.id);
  // Every statement of the batch is now stored with this content, inserted now or by an earlier
  // delivery that may have died before this point: apply the voids they take part in (xAPI Data
  // 2.2.2.8: their targets, and those of them voided before they arrived), read from what is
  // stored, for all of them, not only those inserted now. Idempotent; the sweeper does the same
  // for every statement whose pipeline work is still owed, so a crash before this line converges
  // too (docs/pipeline.md, "Voids").
  await repo.settleVoids(ids);
  return { ids, inserted };
}

function idOf(s: Statement): string {
  if (s.id === undefined) throw new Error('prepareStatement left a statement without id');
  return s.id;
}

function toNew(e: Entry, stored: Date, mayDefine: boolean): NewStatement {
  const { prepared: s, fields: f } = e;
  return {
    statementId: e.id,
    json: JSON.stringify(s),
    stored,
    fields: statementFieldsOf(s, f),
    attachmentHashes: [...new Set(attachmentsOf(s).map((a) => a.sha2.toLowerCase()))],
    mayDefine,
  };
}
