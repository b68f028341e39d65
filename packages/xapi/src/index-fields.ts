import { agentKeyOrUndefined } from './ifi.js';
import type {
  Activity,
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

function contextActivityIds(context: Context | undefined): string[] {
  const activities = context?.contextActivities;
  if (activities === undefined) return [];
  return CONTEXT_ACTIVITY_TYPES.flatMap((type) =>
    contextActivityList(activities[type]).map((a: Activity) => a.id),
  );
}

function contextAgentKeys(context: Context | undefined): string[] {
  if (context === undefined) return [];
  return [
    ...actorKeys(context.instructor),
    ...actorKeys(context.team),
    ...(context.contextAgents ?? []).flatMap((c) => actorKeys(c.agent)),
    ...(context.contextGroups ?? []).flatMap((c) => actorKeys(c.group)),
  ];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function partRelated(part: Statement | SubStatement): { activities: string[]; agents: string[] } {
  const object = part.object;
  const activities = [
    ...(isActivity(object) ? [object.id] : []),
    ...contextActivityIds(part.context),
  ];
  const agents = [
    ...actorKeys(part.actor),
    ...objectKeys(object),
    ...contextAgentKeys(part.context),
  ];
  if (object.objectType === 'SubStatement') {
    const inner = partRelated(object);
    activities.push(...inner.activities);
    agents.push(...inner.agents);
  }
  return { activities, agents };
}

/** Extracts the {@link StatementIndexFields} of a (valid) statement. */
export function statementIndexFields(s: Statement): StatementIndexFields {
  const object = s.object;
  const related = partRelated(s);
  const registration = s.context?.registration;
  const refId = object.objectType === 'StatementRef' ? object.id : undefined;
  return {
    actorKeys: unique(actorKeys(s.actor)),
    verbId: s.verb.id,
    ...(isActivity(object) ? { objectActivityId: object.id } : {}),
    objectAgentKeys: unique(objectKeys(object)),
    ...(refId !== undefined ? { objectStatementRefId: refId } : {}),
    ...(registration !== undefined ? { registration } : {}),
    relatedActivityIds: unique(related.activities),
    relatedAgentKeys: unique([...related.agents, ...actorKeys(s.authority)]),
    ...(refId !== undefined && s.verb.id === VOIDED_VERB_ID ? { voidsStatementId: refId } : {}),
  };
}
