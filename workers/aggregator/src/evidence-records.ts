import {
  bucketKeyOf,
  contributionOf,
  DEFAULT_VERB_TABLE,
  EMPTY_RULE_SET,
  evidenceKey,
  negateSums,
  statementEvidence,
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

/**
 * What a stored statement turns into. No per-store verb tables or rules yet (issue 6 follows up):
 * the default verb table, and only the statements' own skill conventions (ways A, B, C).
 */
export function evidenceOfStatement(storeId: string, s: StoredStatement): StatementEvidence {
  return statementEvidence({
    store: storeId,
    statement: JSON.parse(s.json) as EvidenceInput['statement'],
    stored: s.stored.toISOString(),
    verbs: DEFAULT_VERB_TABLE,
    rules: EMPTY_RULE_SET,
  });
}

export function recordOf(row: EvidenceRow): EvidenceRecord {
  const { store: _store, ...fields } = row;
  return { key: evidenceKey(row), ...fields };
}

export function rowOf(storeId: string, record: StoredEvidence): EvidenceRow {
  const { key: _key, state: _state, ...fields } = record;
  return { store: storeId, ...fields };
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
