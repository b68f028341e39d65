import {
  evidenceKey,
  statementEvidence,
  type Derivation,
  type EvidenceInput,
  type EvidenceRow,
  type RollupKey,
  type StatementEvidence,
} from '@cairn/analytics';
import type {
  EvidenceRecord,
  RollupKeyRecord,
  StoredEvidence,
  StoredStatement,
} from '@cairn/store';

/*
 * The seam between the analytics core's rows and the store's records. The store mirrors the
 * row's shape without depending on @cairn/analytics, so these assignments are where a change on
 * either side stops compiling.
 */

/** What a stored statement turns into under its store's verb table and rules (`derivation`). */
export function evidenceOfStatement(
  storeId: string,
  s: StoredStatement,
  derivation: Derivation,
): StatementEvidence {
  return statementEvidence({
    store: storeId,
    statement: JSON.parse(s.json) as EvidenceInput['statement'],
    stored: s.stored.toISOString(),
    verbs: derivation.verbs,
    rules: derivation.rules,
  });
}

/**
 * The record of a row derived under settings generation `generation`. Generation 0 (a store
 * whose settings never changed) keeps the bare evidence key; later ones append `@generation`, so
 * a re-derived row with the same evidence key is a new record with op ids of its own.
 */
export function recordOf(row: EvidenceRow, generation: number): EvidenceRecord {
  const { store: _store, ...fields } = row;
  const key = evidenceKey(row);
  return generation === 0
    ? { key, ...fields }
    : { key: `${key}@${generation}`, ...fields, generation };
}

export function rowOf(storeId: string, record: StoredEvidence): EvidenceRow {
  const { key: _key, state: _state, generation: _generation, counterpart, ...fields } = record;
  return { store: storeId, ...fields, counterpart: counterpart ?? null };
}

/** The settings generation a stored row was derived under. */
export function generationOf(record: EvidenceRecord): number {
  return record.generation ?? 0;
}

/** A roll-up key of @cairn/analytics as the store keys it: within its store. */
export function rollupKeyRecordOf(key: RollupKey): RollupKeyRecord {
  const { store: _store, ...fields } = key;
  return fields;
}
