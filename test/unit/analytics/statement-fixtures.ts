import type { Activity, Agent, Context, Result, Statement } from '@cairn/xapi';
import {
  COMPETENCY_ACTIVITY_TYPE,
  DEFAULT_VERB_TABLE,
  EMPTY_RULE_SET,
  statementEvidence,
  type AlignmentRuleSet,
  type StatementEvidence,
} from '@cairn/analytics';

export const SKILL = 'https://skills.example/sql';
export const OTHER_SKILL = 'https://skills.example/statistics';
export const ALIGNMENT = 'https://cairn-lrs.org/xapi/extensions/skill-alignment';
export const BY_WHOM = 'https://w3id.org/xapi/acrossx/extensions/by-whom';
export const EVENT_COUNT = 'https://cairn-lrs.org/xapi/extensions/event-count';

export const ann: Agent = { mbox: 'mailto:ann@Example.com' };
export const bob: Agent = { account: { homePage: 'https://forum.example', name: 'bob' } };
export const ANN = 'mbox::mailto:ann@example.com';
export const BOB = 'account::https://forum.example::bob';

/** An activity aligned to SKILL by way C unless told otherwise. */
export function course(extensions: Record<string, unknown> = { [ALIGNMENT]: [SKILL] }): Activity {
  return {
    id: 'https://lms.example/courses/sql-1',
    definition: { type: 'http://adlnet.gov/expapi/activities/lesson', extensions },
  };
}

export const competency = (id: string): Activity => ({
  id,
  definition: { type: COMPETENCY_ACTIVITY_TYPE },
});

/** A statement about `object` (default: a course aligned to SKILL), stored 2025-03-01 noon. */
export function statement(
  verb: string,
  parts: {
    object?: Activity;
    result?: Result;
    context?: Context;
    actor?: Agent;
    timestamp?: string;
  } = {},
): Statement {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    actor: parts.actor ?? ann,
    verb: { id: verb },
    object: parts.object ?? course(),
    ...(parts.result === undefined ? {} : { result: parts.result }),
    ...(parts.context === undefined ? {} : { context: parts.context }),
    timestamp: parts.timestamp ?? '2025-03-01T10:00:00Z',
    stored: '2025-03-01T12:00:00Z',
  };
}

/** Evidence of a statement with the default verb table and `rules`. */
export function evidence(
  s: Statement,
  rules: AlignmentRuleSet = EMPTY_RULE_SET,
): StatementEvidence {
  return statementEvidence({ store: 'store-1', statement: s, verbs: DEFAULT_VERB_TABLE, rules });
}

/** The rows of an outcome that must be evidence (fails loudly on a tombstone). */
export function rowsOf(outcome: StatementEvidence) {
  if (outcome.type !== 'evidence') throw new Error('expected evidence, got a tombstone');
  return outcome.rows;
}
