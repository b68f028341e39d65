import type { ConceptKind, EvidenceSource } from './verb-concepts.js';

/** Whose evidence a row is: the actor, the author of liked content, the subject of an assertion. */
export type EvidenceRole = 'actor' | 'author' | 'subject';

/** The kinds of evidence rows: every concept kind but `none`, which yields no rows. */
export type EvidenceKind = Exclude<ConceptKind, 'none'>;

/**
 * One evidence row (docs/analytics-core.md, section 3). Weights and outcomes are in fixed-point
 * units (fixed-point.ts), so that a row's bucket contribution is exact integers.
 */
export interface EvidenceRow {
  readonly store: string;
  readonly statementId: string;
  /** Skill IRI. */
  readonly skill: string;
  /** Canonical person key (`mbox::`, `sha1::`, `openid::`, `account::homePage::name`). */
  readonly subject: string;
  readonly role: EvidenceRole;
  /** UTC day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly source: EvidenceSource;
  readonly kind: EvidenceKind;
  /** The verb concept (after refinement by context). */
  readonly concept: string;
  /** The verb IRI as sent. */
  readonly verb: string;
  readonly platform: string | null;
  /** The object activity's id. */
  readonly activityId: string;
  /** Outcome y in units of 1 / Y_SCALE, in [0, Y_SCALE]; null when the row has no outcome. */
  readonly yUnits: number | null;
  /** Weight w = verb weight x alignment weight x event damping, in units of 1 / W_SCALE. */
  readonly wUnits: number;
  /** Event count n (raw, capped at N_MAX): the practice-volume measures count events. */
  readonly n: number;
  /**
   * The other person of a row that links two people (docs/analytics-core.md, "Knowledge
   * sharing"): for a row credited to an author (a like, a vote), the actor who liked or voted;
   * for an answer or a reply whose statement names the author it answers, that author. Null
   * otherwise. Not part of the evidence key: it is a fact of the statement, like the day.
   */
  readonly counterpart: string | null;
}

/** The parts of the evidence key: (store, statement id, skill, subject, role). */
export type EvidenceKeyParts = Pick<
  EvidenceRow,
  'store' | 'statementId' | 'skill' | 'subject' | 'role'
>;

/**
 * The evidence key as one string: a JSON array, so that no IRI or account name containing a
 * separator can make two keys equal. Rows with equal keys are duplicates: only the first adds.
 */
export function evidenceKey(row: EvidenceKeyParts): string {
  return JSON.stringify([row.store, row.statementId, row.skill, row.subject, row.role]);
}

/** What a voiding statement leaves: the worker retracts the target's rows and remembers it. */
export interface Tombstone {
  readonly store: string;
  /** The voiding statement's id. */
  readonly voidingStatementId: string;
  /** The id of the voided statement. */
  readonly targetStatementId: string;
}
