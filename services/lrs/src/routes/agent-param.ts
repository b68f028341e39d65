import {
  agentKeyOrUndefined,
  validateStatement,
  type Agent,
  type Group,
  type XapiVersion,
} from '@cairn/xapi';
import { LrsErrors } from '../errors.js';

/** The `agent` parameter's JSON text as an object, or a 400 saying why it is not one. */
export function agentObjectParam(raw: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new LrsErrors.badParameter('agent', 'must be a JSON Agent object; it is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LrsErrors.badParameter('agent', 'must be a JSON Agent object');
  }
  return parsed as Record<string, unknown>;
}

/**
 * The `agent` parameter judged by the statement validator's own Agent and Group rules (as the
 * actor of a minimal statement), so that a parameter and a statement are judged alike; problems
 * are named under `agent` rather than `actor`. An Anonymous Group is a valid actor but identifies
 * no one, and the parameter is "Agent or Identified Group" (xAPI Communication 2.1.3): 400.
 */
export function validatedAgentParam(agent: unknown, version: XapiVersion): Agent | Group {
  const probe = {
    actor: agent,
    verb: { id: 'urn:cairn:probe' },
    object: { id: 'urn:cairn:probe' },
  };
  const result = validateStatement(probe, version);
  if (!result.ok) {
    const problems = result.problems.map(
      (p) => `${p.path.replace(/^actor/, 'agent')} ${p.message}`,
    );
    throw new LrsErrors.badParameter('agent', problems.join('; '));
  }
  const actor = result.value.actor;
  if (agentKeyOrUndefined(actor) === undefined) {
    throw new LrsErrors.badParameter(
      'agent',
      'must be an Agent or an Identified Group; an Anonymous Group (members, no identifier) identifies no one',
    );
  }
  return actor;
}
