import { isIri, type Agent, type XapiVersion } from '@cairn/xapi';
import { LrsErrors } from '../../errors.js';
import { agentObjectParam, validatedAgentParam } from '../agent-param.js';

/**
 * The one required parameter of a GET on the Activities or Agents resource, checked: any other
 * parameter (a known one in the wrong case included) is refused (Communication 3.2.s3.b7-b8), and
 * so is the parameter when missing, repeated or empty.
 */
export function requiredParam(query: Readonly<Record<string, unknown>>, name: string): string {
  for (const key of Object.keys(query)) {
    if (key !== name) throw new LrsErrors.unknownParameter(key);
  }
  const raw = query[name];
  if (raw === undefined) throw new LrsErrors.badParameter(name, 'is required');
  if (typeof raw !== 'string') throw new LrsErrors.badParameter(name, 'must be given once');
  if (raw === '') throw new LrsErrors.badParameter(name, 'must not be empty');
  return raw;
}

/** The `activityId` parameter: an IRI. */
export function activityIdParam(raw: string): string {
  if (!isIri(raw)) {
    throw new LrsErrors.badParameter(
      'activityId',
      `must be an IRI (with a scheme), got ${JSON.stringify(raw)}`,
    );
  }
  return raw;
}

/**
 * The `agent` parameter: "a normal Agent Object with a single identifier and no arrays. It is not
 * a Person Object, nor is it a Group" (Communication 2.4.s2). It is judged by the statement
 * validator's own Agent rules (as the actor of a minimal statement), so that a parameter and a
 * statement are judged alike.
 */
export function agentParam(raw: string, version: XapiVersion): Agent {
  const parsed = agentObjectParam(raw);
  if (parsed['objectType'] === 'Person') {
    throw new LrsErrors.badParameter(
      'agent',
      'must be an Agent, not a Person: one identifier, no arrays',
    );
  }
  const actor = validatedAgentParam(parsed, version);
  if (actor.objectType === 'Group') {
    throw new LrsErrors.badParameter('agent', 'must be an Agent, not a Group');
  }
  return actor;
}
