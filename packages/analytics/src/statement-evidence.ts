import {
  isActivity,
  personKeyOrUndefined,
  VOIDED_VERB_ID,
  type Agent,
  type Statement,
} from '@cairn/xapi';
import type { AlignmentRuleSet } from './alignment-rules.js';
import {
  counterpartOf,
  creditedOf,
  evidenceDayOf,
  eventCountOf,
  outcomeOf,
  type EventCount,
  type EvidenceDay,
} from './evidence-inputs.js';
import {
  evidenceKey,
  type EvidenceRole,
  type EvidenceRow,
  type Tombstone,
} from './evidence-row.js';
import { eventDamping, outcomeUnits, unitsToWeight, weightUnits, Y_SCALE } from './fixed-point.js';
import { resolveAlignment, type AlignmentReason, type AlignmentResult } from './skill-alignment.js';
import type { VerbTable } from './verb-concepts.js';
import { resolveVerb, type VerbResolution } from './verb-resolution.js';

/** The connector extension carrying the number of events a statement stands for. */
export const EVENT_COUNT_EXTENSION = 'https://cairn-lrs.org/xapi/extensions/event-count';

/** The extensions naming the author of liked or voted content. */
export const AUTHOR_EXTENSIONS: readonly string[] = [
  'https://w3id.org/xapi/acrossx/extensions/by-whom',
];

/** What {@link statementEvidence} needs: a stored statement and the store's tables. */
export interface EvidenceInput {
  readonly store: string;
  readonly statement: Statement;
  /** The statement's `stored` time; defaults to `statement.stored`. */
  readonly stored?: string;
  readonly verbs: VerbTable;
  readonly rules: AlignmentRuleSet;
  /**
   * The person key of an Agent; defaults to its canonical IFI key (`personKeyOrUndefined`: none
   * for the account that stands for erased people, so a redacted statement credits nobody there).
   */
  readonly subjectOf?: (agent: Agent) => string | undefined;
  /** Defaults to {@link EVENT_COUNT_EXTENSION}. */
  readonly eventCountExtension?: string;
  /** Defaults to {@link AUTHOR_EXTENSIONS}. */
  readonly authorExtensions?: readonly string[];
}

/** One row as a dry run shows it: its key, floats for people, and why its skill was chosen. */
export interface ExplainedRow {
  readonly key: string;
  readonly skill: string;
  readonly subject: string;
  readonly role: EvidenceRole;
  readonly w: number;
  readonly y: number | null;
  readonly reasons: readonly AlignmentReason[];
}

/** Everything a dry run shows about one statement: which rows it would produce and why. */
export interface EvidenceExplanation {
  readonly statementId?: string;
  readonly verb: VerbResolution | { readonly status: 'voiding'; readonly iri: string };
  readonly alignment: AlignmentResult;
  readonly subjects: readonly string[];
  readonly day: EvidenceDay;
  readonly events: EventCount & { readonly damping: number };
  /** The outcome y before quantisation, when the concept has one. */
  readonly y?: number;
  readonly rows: readonly ExplainedRow[];
  /** Why some or all rows are missing, in order of discovery. */
  readonly notes: readonly string[];
}

/** What a statement turns into. */
export type StatementEvidence =
  | {
      readonly type: 'void';
      readonly tombstone: Tombstone;
      readonly explanation: EvidenceExplanation;
    }
  | {
      readonly type: 'evidence';
      readonly rows: readonly EvidenceRow[];
      /** The verb IRI when the verb table does not know it: the caller counts these. */
      readonly unknownVerb?: string;
      readonly explanation: EvidenceExplanation;
    };

const NO_ALIGNMENT: AlignmentResult = { skills: [], unknownSkills: [] };

/**
 * Statement -> 0..n evidence rows (docs/analytics-core.md, section 3), one per (skill, person
 * credited), or a tombstone for a voiding statement. Pure: the same input always gives the same
 * rows, so a re-derivation after a rule change can subtract exactly what was added.
 */
export function statementEvidence(input: EvidenceInput): StatementEvidence {
  const { statement, store } = input;
  const notes: string[] = [];
  const base = {
    ...(statement.id === undefined ? {} : { statementId: statement.id }),
    alignment: NO_ALIGNMENT,
    subjects: [],
    day: { capped: false },
    events: { n: 1, damping: 1 },
    rows: [],
    notes,
  };
  if (statement.verb.id === VOIDED_VERB_ID) {
    const verb = { status: 'voiding', iri: VOIDED_VERB_ID } as const;
    if (statement.object.objectType === 'StatementRef' && statement.id !== undefined) {
      const tombstone = {
        store,
        voidingStatementId: statement.id,
        targetStatementId: statement.object.id,
      };
      notes.push('a voiding statement: its target is retracted, it adds no evidence itself');
      return { type: 'void', tombstone, explanation: { ...base, verb } };
    }
    notes.push('a voiding statement without an id or a StatementRef object: ignored');
    return { type: 'evidence', rows: [], explanation: { ...base, verb } };
  }
  const verb = resolveVerb(statement, input.verbs);
  if (verb.status === 'unknown') {
    notes.push('the verb is not in the verb table');
    return {
      type: 'evidence',
      rows: [],
      unknownVerb: verb.iri,
      explanation: { ...base, verb },
    };
  }
  const empty = (note: string, extra: Partial<EvidenceExplanation> = {}): StatementEvidence => {
    notes.push(note);
    return { type: 'evidence', rows: [], explanation: { ...base, verb, ...extra } };
  };
  const { meaning } = verb;
  if (meaning.kind === 'none') return empty(`the concept ${verb.concept} carries no evidence`);
  const object = statement.object;
  if (!isActivity(object)) return empty('the object is not an activity');
  const alignment = resolveAlignment(statement, input.rules);
  if (alignment.unknownSkills.length > 0) {
    notes.push(`skills the store does not know: ${alignment.unknownSkills.join(', ')}`);
  }
  if (alignment.skills.length === 0)
    return empty('the activity is aligned to no skill', { alignment });
  const credited = creditedOf(
    meaning.credit,
    statement,
    input.authorExtensions ?? AUTHOR_EXTENSIONS,
    input.subjectOf ?? personKeyOrUndefined,
  );
  const subjects = credited.subjects;
  if (credited.note !== undefined) notes.push(credited.note);
  const day = evidenceDayOf(statement.timestamp, input.stored ?? statement.stored);
  if (day.note !== undefined) notes.push(day.note);
  if (day.capped) notes.push('the timestamp is later than stored: its day is capped at stored');
  const count = eventCountOf(statement, input.eventCountExtension ?? EVENT_COUNT_EXTENSION);
  if (count.note !== undefined) notes.push(count.note);
  const events = { ...count, damping: eventDamping(count.n) };
  let kind = meaning.kind;
  const y = outcomeOf(meaning.outcome, statement.result);
  if (kind === 'outcome' && y === undefined) {
    kind = 'practice';
    notes.push('an outcome verb without a readable outcome: counted as practice');
  }
  const explained = {
    ...base,
    verb,
    alignment,
    subjects,
    day,
    events,
    ...(y === undefined ? {} : { y }),
  };
  if (statement.id === undefined) return empty('the statement has no id yet', explained);
  if (day.day === undefined || subjects.length === 0 || count.n === 0) {
    return { type: 'evidence', rows: [], explanation: explained };
  }
  const role: EvidenceRole =
    meaning.credit === 'author' ? 'author' : kind === 'assertion' ? 'subject' : 'actor';
  const yUnits = y === undefined ? null : outcomeUnits(y);
  const counterpart = counterpartOf(
    meaning.credit,
    verb.concept,
    statement,
    input.authorExtensions ?? AUTHOR_EXTENSIONS,
    input.subjectOf ?? personKeyOrUndefined,
  );
  const rows: EvidenceRow[] = [];
  const shown: ExplainedRow[] = [];
  for (const aligned of alignment.skills) {
    const wUnits = weightUnits(meaning.weight * aligned.weight * events.damping);
    for (const subject of subjects) {
      const row: EvidenceRow = {
        store,
        statementId: statement.id,
        skill: aligned.skill,
        subject,
        role,
        day: day.day,
        source: meaning.source,
        kind,
        concept: verb.concept,
        verb: verb.iri,
        platform: statement.context?.platform ?? null,
        activityId: object.id,
        yUnits,
        wUnits,
        n: count.n,
        counterpart,
      };
      rows.push(row);
      shown.push({
        key: evidenceKey(row),
        skill: aligned.skill,
        subject,
        role,
        w: unitsToWeight(wUnits),
        y: yUnits === null ? null : yUnits / Y_SCALE,
        reasons: aligned.reasons,
      });
    }
  }
  return { type: 'evidence', rows, explanation: { ...explained, rows: shown } };
}

/**
 * The counterpart {@link statementEvidence} gives a row of this role and concept of `statement`
 * (its other inputs are left as they were): what a stored row's counterpart becomes when the
 * statement's agents change but its verb and object do not (an erasure's redaction). Defaults as
 * in {@link EvidenceInput}.
 */
export function counterpartOfRow(
  row: Pick<EvidenceRow, 'role' | 'concept'>,
  statement: Statement,
  authorExtensions: readonly string[] = AUTHOR_EXTENSIONS,
  subjectOf: (agent: Agent) => string | undefined = personKeyOrUndefined,
): string | null {
  const credit = row.role === 'author' ? 'author' : 'actor';
  return counterpartOf(credit, row.concept, statement, authorExtensions, subjectOf);
}
