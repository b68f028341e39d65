import {
  agentKey,
  statementIndexFields,
  type Statement,
  type StatementIndexFields as XapiIndexFields,
} from '@cairn/xapi';
import type { StatementIndexFields } from './statements.js';

/**
 * The index fields a statement is stored with, from the statement itself: what the LRS stores
 * with a new statement and what an erasure stores with a redacted one, so that the two cannot
 * disagree about which filters find it. `f`: the statement's xAPI index fields, when the caller
 * has them already.
 */
export function statementFieldsOf(
  s: Statement,
  f: XapiIndexFields = statementIndexFields(s),
): StatementIndexFields {
  return {
    verbId: f.verbId,
    agentKeys: [...new Set([...f.actorKeys, ...f.objectAgentKeys])],
    relatedAgentKeys: f.relatedAgentKeys,
    objectActivityId: f.objectActivityId ?? null,
    relatedActivityIds: f.relatedActivityIds,
    registration: f.registration ?? null,
    voidsStatementId: f.voidsStatementId ?? null,
    refStatementId: f.objectStatementRefId ?? null,
    authorityKey: s.authority === undefined ? '' : agentKey(s.authority),
  };
}
