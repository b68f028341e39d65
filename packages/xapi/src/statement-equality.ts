import { canonicalJson } from './canonical-json.js';
import { parseTimestamp } from './formats.js';
import { normaliseMbox } from './ifi.js';
import type {
  Actor,
  Agent,
  Context,
  Result,
  Statement,
  StatementObject,
  SubStatement,
} from './statement-types.js';
import { CONTEXT_ACTIVITY_TYPES, contextActivityList, isActivity } from './statement-types.js';

/*
 * Statement Comparison Requirements (xAPI-Data 2.3.1.s9): differences which could have been caused
 * by the exceptions to Statement Immutability (2.3.1) MUST be ignored; any other difference of
 * serialisation MUST NOT. The exceptions, and how each is applied here:
 *
 * - b1 "id", "authority", "stored", "timestamp", "version" may be assigned by the LRS:
 *   authority, stored and version are ignored; id and timestamp are ignored when either side lacks
 *   them, otherwise ids are compared (case-insensitively, a UUID is hex) and timestamps as instants.
 * - b2 Activity Definitions are not part of the statement: every Activity is compared by id only
 *   (object, context activities, SubStatement's).
 * - b3 the Verb's "display" is not part of the statement: verbs are compared by id.
 * - b4 timestamps may be serialised in another timezone: compared as instants, to the millisecond
 *   (4.5.s1.b7 allows truncation to milliseconds).
 * - b5 Group members are unordered: compared as multisets.
 * - b6 attachment *content* is not part of the statement; the attachment metadata (an ordered
 *   array, 2.4 table) is compared, in order.
 * - b7 case-insensitive values: the domain of an mbox; also hex digits of mbox_sha1sum and UUIDs.
 * - b8 Result Duration is compared as a string, ignoring precision beyond 0.01 s (4.6.s1.b5).
 *
 * Also ignored, as serialisations the LRS itself produces or that mean the same: a single context
 * Activity versus an array of one (2.4.6.2.s4.b3), and an absent `objectType` versus its default
 * (`Activity` for objects, `Agent` for agents).
 */

const stable = canonicalJson;

function agentForm(agent: Agent | Actor): Record<string, unknown> {
  const form: Record<string, unknown> = {
    ...agent,
    objectType: agent.objectType ?? 'Agent',
  };
  if (agent.mbox !== undefined) form.mbox = normaliseMbox(agent.mbox);
  if (agent.mbox_sha1sum !== undefined) form.mbox_sha1sum = agent.mbox_sha1sum.toLowerCase();
  if (agent.objectType === 'Group' && agent.member !== undefined) {
    form.member = agent.member.map(agentForm).map(stable).sort();
  }
  return form;
}

/** Seconds truncated to 0.01 s, trailing zeros dropped: `PT1.509S`, `PT1.50S` -> `PT1.5S`. */
function truncateDuration(duration: string): string {
  return duration.replace(/(\d+)[.,](\d*)S$/u, (_all, whole: string, fraction: string) => {
    const kept = fraction.slice(0, 2).replace(/0+$/u, '');
    return kept === '' ? `${whole}S` : `${whole}.${kept}S`;
  });
}

function resultForm(result: Result): Record<string, unknown> {
  return result.duration === undefined
    ? { ...result }
    : { ...result, duration: truncateDuration(result.duration) };
}

function contextForm(context: Context): Record<string, unknown> {
  const form: Record<string, unknown> = { ...context };
  if (context.registration !== undefined) form.registration = context.registration.toLowerCase();
  if (context.instructor !== undefined) form.instructor = agentForm(context.instructor);
  if (context.team !== undefined) form.team = agentForm(context.team);
  if (context.statement !== undefined) form.statement = context.statement.id.toLowerCase();
  if (context.contextActivities !== undefined) {
    const activities: Record<string, string[]> = {};
    for (const type of CONTEXT_ACTIVITY_TYPES) {
      const list = context.contextActivities[type];
      if (list !== undefined) activities[type] = contextActivityList(list).map((a) => a.id);
    }
    form.contextActivities = activities;
  }
  if (context.contextAgents !== undefined) {
    form.contextAgents = context.contextAgents.map((c) => ({ ...c, agent: agentForm(c.agent) }));
  }
  if (context.contextGroups !== undefined) {
    form.contextGroups = context.contextGroups.map((c) => ({ ...c, group: agentForm(c.group) }));
  }
  return form;
}

function objectForm(object: StatementObject): unknown {
  if (isActivity(object)) return { objectType: 'Activity', id: object.id };
  if (object.objectType === 'StatementRef') {
    return { objectType: 'StatementRef', id: object.id.toLowerCase() };
  }
  if (object.objectType === 'SubStatement') {
    return { objectType: 'SubStatement', ...partForm(object) };
  }
  return agentForm(object);
}

/** The parts of a statement or SubStatement that comparison looks at (timestamp apart). */
function partForm(s: Statement | SubStatement): Record<string, unknown> {
  return {
    actor: agentForm(s.actor),
    verb: s.verb.id,
    object: objectForm(s.object),
    result: s.result === undefined ? undefined : resultForm(s.result),
    context: s.context === undefined ? undefined : contextForm(s.context),
    attachments: s.attachments,
  };
}

function sameOptional(
  a: string | undefined,
  b: string | undefined,
  same: (x: string, y: string) => boolean,
): boolean {
  return a === undefined || b === undefined || same(a, b);
}

function sameInstant(a: string, b: string): boolean {
  const pa = parseTimestamp(a);
  const pb = parseTimestamp(b);
  return pa !== undefined && pb !== undefined ? pa.epochMs === pb.epochMs : a === b;
}

function subTimestamp(s: Statement): string | undefined {
  return s.object.objectType === 'SubStatement' ? s.object.timestamp : undefined;
}

/**
 * True when two statements are the same according to the Statement Comparison Requirements of
 * xAPI-Data 2.3.1 (see the comment at the top of this file for what is ignored and why). Used for
 * "same id, same content" on POST/PUT and for signed statements.
 */
export function statementsEqual(a: Statement, b: Statement): boolean {
  if (!sameOptional(a.id, b.id, (x, y) => x.toLowerCase() === y.toLowerCase())) return false;
  if (!sameOptional(a.timestamp, b.timestamp, sameInstant)) return false;
  const subA = subTimestamp(a);
  const subB = subTimestamp(b);
  // A SubStatement's timestamp is never assigned by the LRS: present on one side only differs.
  if ((subA === undefined) !== (subB === undefined)) return false;
  if (subA !== undefined && subB !== undefined && !sameInstant(subA, subB)) return false;
  return stable(partForm(a)) === stable(partForm(b));
}
