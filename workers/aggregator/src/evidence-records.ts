import {
  bucketKeyOf,
  contributionOf,
  evidenceKey,
  negateSums,
  statementEvidence,
  type Derivation,
  type EvidenceInput,
  type EvidenceRow,
  type StatementEvidence,
} from '@cairn/analytics';
import type {
  EvidenceRecord,
  SkillDayKey,
  SkillDayTotals,
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
  const { key: _key, state: _state, generation: _generation, ...fields } = record;
  return { store: storeId, ...fields };
}

/** The settings generation a stored row was derived under. */
export function generationOf(record: EvidenceRecord): number {
  return record.generation ?? 0;
}

export function skillDayKeyOf(row: EvidenceRow): SkillDayKey {
  const { store: _store, ...key } = bucketKeyOf(row);
  return key;
}

/** What the row adds to its bucket, or, with `sign` -1, what retracting it subtracts. */
export function totalsOf(row: EvidenceRow, sign: 1 | -1): SkillDayTotals {
  const sums = contributionOf(row);
  return sign === 1 ? sums : negateSums(sums);
}
