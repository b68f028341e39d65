import {
  agentKeyOrUndefined,
  parseTimestamp,
  type Agent,
  type Result,
  type Statement,
} from '@cairn/xapi';
import { N_MAX } from './fixed-point.js';
import { utcDay } from './utc-day.js';
import type { Credit, OutcomeRule } from './verb-concepts.js';

/**
 * The parts of a statement that evidence rows are made of, each read with its own explanation:
 * outcome y, event count n, day, and the people credited.
 */

/** score.scaled clamped to [0, 1] (a negative scaled score is a bad outcome, not a debt). */
function scaledScore(result: Result | undefined): number | undefined {
  const scaled = result?.score?.scaled;
  return typeof scaled === 'number' && Number.isFinite(scaled)
    ? Math.min(1, Math.max(0, scaled))
    : undefined;
}

/** The outcome y in [0, 1] of a statement under a concept's rule, or undefined for none. */
export function outcomeOf(rule: OutcomeRule, result: Result | undefined): number | undefined {
  const scaled = scaledScore(result);
  switch (rule) {
    case 'none':
      return undefined;
    case 'score-else-1':
      return scaled ?? 1;
    case 'score-else-0':
      return scaled ?? 0;
    case 'score':
      return scaled;
    case 'success':
      if (result?.success === true) return 1;
      if (result?.success === false) return 0;
      return scaled;
    case 'one':
      return 1;
    case 'zero':
      return 0;
  }
}

/** The event count a statement stands for, and why. */
export interface EventCount {
  /** The value found in the extension, if any. */
  readonly raw?: unknown;
  /** The count used: 1 without the extension or with an unreadable one; 0 means no evidence. */
  readonly n: number;
  readonly note?: string;
}

/** The event count from the connector extension, in result.extensions, else context.extensions. */
export function eventCountOf(statement: Statement, extension: string): EventCount {
  const raw =
    statement.result?.extensions?.[extension] ?? statement.context?.extensions?.[extension];
  if (raw === undefined) return { n: 1 };
  if (raw === 0) return { raw, n: 0, note: 'the event count is 0: no evidence' };
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0) {
    return { raw, n: 1, note: 'the event count is not a non-negative integer: counted as 1' };
  }
  if (raw > N_MAX) return { raw, n: N_MAX, note: `the event count is capped at ${N_MAX}` };
  return { raw, n: raw };
}

/** The day of a statement, and whether its future timestamp was capped at `stored`. */
export interface EvidenceDay {
  readonly day?: string;
  readonly capped: boolean;
  readonly note?: string;
}

/**
 * The UTC day of `timestamp` (or of `stored` when there is none), capped at `stored` when the
 * timestamp is later than it: a client clock in the future must not put evidence in days that
 * have not happened yet. Without `stored` (a dry run of an unsent statement) nothing is capped.
 */
export function evidenceDayOf(
  timestamp: string | undefined,
  stored: string | undefined,
): EvidenceDay {
  const storedMs = stored === undefined ? undefined : parseTimestamp(stored)?.epochMs;
  const timeMs = timestamp === undefined ? storedMs : parseTimestamp(timestamp)?.epochMs;
  if (timeMs === undefined) return { capped: false, note: 'no readable timestamp or stored time' };
  if (storedMs !== undefined && timeMs > storedMs) return { day: utcDay(storedMs), capped: true };
  return { day: utcDay(timeMs), capped: false };
}

/** A person credited by a statement, or why nobody is. */
export interface Credited {
  readonly subjects: readonly string[];
  readonly note?: string;
}

/** The person keys of an actor: itself, or the members of a Group (each gets the evidence). */
function actorSubjects(
  statement: Statement,
  keyOf: (agent: Agent) => string | undefined,
): Credited {
  const actor = statement.actor;
  const agents: Agent[] = actor.objectType === 'Group' ? (actor.member ?? []) : [actor];
  const subjects = [...new Set(agents.flatMap((a) => keyOf(a) ?? []))].sort();
  return subjects.length > 0
    ? { subjects }
    : { subjects, note: 'the actor identifies no person (a Group without members)' };
}

/** An Agent-shaped extension value with an IFI, or undefined. */
function agentValue(value: unknown): Agent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const candidate: Agent = value;
  return agentKeyOrUndefined(candidate) === undefined ? undefined : candidate;
}

/**
 * Who a concept credits: the actor, or the author named in an author extension (AcrossX
 * `by-whom` style). Self-recognition (liking one's own content) credits nobody.
 */
export function creditedOf(
  credit: Credit,
  statement: Statement,
  authorExtensions: readonly string[],
  keyOf: (agent: Agent) => string | undefined,
): Credited {
  if (credit === 'actor') return actorSubjects(statement, keyOf);
  const extensions = statement.context?.extensions ?? {};
  const author = authorExtensions
    .map((e) => agentValue(extensions[e]))
    .find((a) => a !== undefined);
  const key = author === undefined ? undefined : keyOf(author);
  if (key === undefined) return { subjects: [], note: 'no author with an identifier is named' };
  if (actorSubjects(statement, keyOf).subjects.includes(key)) {
    return { subjects: [], note: 'the author recognised their own content' };
  }
  return { subjects: [key] };
}

/**
 * The concepts whose actor answers or replies to someone: when the statement names the author of
 * what it answers (an author extension, as likes do), that author is the row's counterpart, the
 * person helped.
 */
export const ANSWERING_CONCEPTS: readonly string[] = [
  'replied',
  'commented',
  'peer-answered',
  'accepted-answer',
];

/**
 * The counterpart of a statement's rows (EvidenceRow.counterpart): for a concept crediting the
 * content's author, the actor (when the actor is one person: a Group liking names nobody in
 * particular); for an answering concept, the author named in an author extension, unless that is
 * the actor. Null otherwise.
 */
export function counterpartOf(
  credit: Credit,
  concept: string,
  statement: Statement,
  authorExtensions: readonly string[],
  keyOf: (agent: Agent) => string | undefined,
): string | null {
  const actors = actorSubjects(statement, keyOf).subjects;
  if (credit === 'author') return actors.length === 1 ? (actors[0] ?? null) : null;
  if (!ANSWERING_CONCEPTS.includes(concept)) return null;
  const extensions = statement.context?.extensions ?? {};
  const author = authorExtensions
    .map((e) => agentValue(extensions[e]))
    .find((a) => a !== undefined);
  const key = author === undefined ? undefined : keyOf(author);
  return key === undefined || actors.includes(key) ? null : key;
}
