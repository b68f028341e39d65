import { agentKeyOrUndefined } from './ifi.js';
import type {
  Actor,
  Context,
  Statement,
  StatementObject,
  SubStatement,
} from './statement-types.js';
import {
  CONTEXT_ACTIVITY_TYPES,
  contextActivityList,
  isActivity,
  isAgentOrGroup,
  VOIDED_VERB_ID,
} from './statement-types.js';

/** What a store indexes for the GET /statements filters (xAPI-Communication 2.1.3). */
export interface StatementIndexFields {
  /** Actor's key; for an Identified Group also its members' keys; members only when anonymous. */
  readonly actorKeys: string[];
  readonly verbId: string;
  /** The object's id when the object is an Activity (`activity`). */
  readonly objectActivityId?: string;
  /** The object's key(s) when the object is an Agent or Group (`agent`), members included. */
  readonly objectAgentKeys: string[];
  /** The referenced id when the object is a StatementRef. */
  readonly objectStatementRefId?: string;
  /** `context.registration` (`registration`). */
  readonly registration?: string;
  /** Object, all context activities, and the same in a SubStatement (`related_activities`). */
  readonly relatedActivityIds: string[];
  /**
   * Actor, object, instructor, team, authority, 2.0 contextAgents and contextGroups, and the same
   * in a SubStatement, members included (`related_agents`).
   */
  readonly relatedAgentKeys: string[];
  /** Set on a voiding statement: the id of the statement it voids. */
  readonly voidsStatementId?: string;
}

/** The keys of an Agent or Group: its own IFI key (if any) and its members'. */
export function actorKeys(actor: Actor | undefined): string[] {
  if (actor === undefined) return [];
  const keys: string[] = [];
  const own = agentKeyOrUndefined(actor);
  if (own !== undefined) keys.push(own);
  if (actor.objectType === 'Group') {
    for (const member of actor.member ?? []) {
      const key = agentKeyOrUndefined(member);
      if (key !== undefined) keys.push(key);
    }
  }
  return keys;
}

function objectKeys(object: StatementObject): string[] {
  return isAgentOrGroup(object) ? actorKeys(object) : [];
}

// Loops that push, not flatMap and spreads: this runs for every statement of every POST.
function contextActivityIds(context: Context | undefined, into: string[]): void {
  const activities = context?.contextActivities;
  if (activities === undefined) return;
  for (const type of CONTEXT_ACTIVITY_TYPES) {
    for (const a of contextActivityList(activities[type])) into.push(a.id);
  }
}

function pushAll(into: string[], values: readonly string[]): void {
  for (const v of values) into.push(v);
}

function contextAgentKeys(context: Context | undefined, into: string[]): void {
  if (context === undefined) return;
  pushAll(into, actorKeys(context.instructor));
  pushAll(into, actorKeys(context.team));
  for (const c of context.contextAgents ?? []) pushAll(into, actorKeys(c.agent));
  for (const c of context.contextGroups ?? []) pushAll(into, actorKeys(c.group));
}

/** Size above which a Set beats scanning the output: most lists hold one to four values. */
const SMALL_LIST = 16;

function unique(values: string[]): string[] {
  if (values.length > SMALL_LIST) return [...new Set(values)];
  const out: string[] = [];
  for (const v of values) if (!out.includes(v)) out.push(v);
  return out;
}

function partRelated(
  part: Statement | SubStatement,
  related: { activities: string[]; agents: string[] },
): void {
  const object = part.object;
  if (isActivity(object)) related.activities.push(object.id);
  contextActivityIds(part.context, related.activities);
  pushAll(related.agents, actorKeys(part.actor));
  pushAll(related.agents, objectKeys(object));
  contextAgentKeys(part.context, related.agents);
  if (object.objectType === 'SubStatement') partRelated(object, related);
}

/** Extracts the {@link StatementIndexFields} of a (valid) statement. */
export function statementIndexFields(s: Statement): StatementIndexFields {
  const object = s.object;
  const related = { activities: [] as string[], agents: [] as string[] };
  partRelated(s, related);
  pushAll(related.agents, actorKeys(s.authority));
  const registration = s.context?.registration;
  const refId = object.objectType === 'StatementRef' ? object.id : undefined;
  // Optional fields set one by one rather than spread into the literal: V8 defines every property
  // after a spread through a slow path, and this runs for every statement of every POST.
  const fields: { -readonly [K in keyof StatementIndexFields]: StatementIndexFields[K] } = {
    actorKeys: unique(actorKeys(s.actor)),
    verbId: s.verb.id,
    objectAgentKeys: unique(objectKeys(object)),
    relatedActivityIds: unique(related.activities),
    relatedAgentKeys: unique(related.agents),
  };
  if (isActivity(object)) fields.objectActivityId = object.id;
  if (refId !== undefined) fields.objectStatementRefId = refId;
  if (registration !== undefined) fields.registration = registration;
  if (refId !== undefined && s.verb.id === VOIDED_VERB_ID) fields.voidsStatementId = refId;
  return fields;
}
