import type { Scope } from '@cairn/auth';
import type { DocumentKind } from '@cairn/store';
import { agentKey, isIri, isUuid, isVersion1, parseTimestamp, type XapiVersion } from '@cairn/xapi';
import { LrsErrors } from '../../errors.js';
import { agentObjectParam, validatedAgentParam } from '../agent-param.js';
import type { PreconditionRule } from './preconditions.js';

/**
 * One document resource, as data: the three resources differ only in what addresses a document
 * (xAPI Communication 2.3, 2.6, 2.7), their scope and two concurrency rules, so one piece of code
 * serves all three.
 */
export interface DocumentResource {
  readonly path: string;
  readonly kind: DocumentKind;
  /** What its documents are called in messages. */
  readonly label: string;
  readonly scope: Extract<Scope, 'state' | 'profile'>;
  /** The parameter naming one document. */
  readonly idParam: 'stateId' | 'profileId';
  readonly takesActivity: boolean;
  readonly takesAgent: boolean;
  readonly takesRegistration: boolean;
  /** DELETE without an id deletes every document of the set (State only, 2.3.s5). */
  readonly deletesSets: boolean;
  /**
   * When a PUT needs If-Match or If-None-Match (see PreconditionRule). 1.0.3 exempts the State
   * resource ("The State Resource will permit PUT, POST and DELETE requests without concurrency
   * headers", 3.1.s3) and has the client send one on every profile PUT (3.1.s3.b1), which the
   * ADL 1.0.3 suite checks with a 400 for a new document; 2.0 (IEEE 9274.1.1, LRS 4.1.4) states
   * only the 409 over an existing document, for every resource it lists, State included.
   */
  readonly putPreconditions: (version: XapiVersion) => PreconditionRule;
}

/** The profile resources: 1.0.x requires a header on every PUT, 2.0 only over a document. */
function profilePutPreconditions(version: XapiVersion): PreconditionRule {
  return isVersion1(version) ? 'always' : 'over-existing';
}

/** State, Activity Profile and Agent Profile. */
export const DOCUMENT_RESOURCES: readonly DocumentResource[] = [
  {
    path: '/activities/state',
    kind: 'state',
    label: 'state',
    scope: 'state',
    idParam: 'stateId',
    takesActivity: true,
    takesAgent: true,
    takesRegistration: true,
    deletesSets: true,
    putPreconditions: (version) => (isVersion1(version) ? 'never' : 'over-existing'),
  },
  {
    path: '/activities/profile',
    kind: 'activityProfile',
    label: 'activity profile',
    scope: 'profile',
    idParam: 'profileId',
    takesActivity: true,
    takesAgent: false,
    takesRegistration: false,
    deletesSets: false,
    putPreconditions: profilePutPreconditions,
  },
  {
    path: '/agents/profile',
    kind: 'agentProfile',
    label: 'agent profile',
    scope: 'profile',
    idParam: 'profileId',
    takesActivity: false,
    takesAgent: true,
    takesRegistration: false,
    deletesSets: false,
    putPreconditions: profilePutPreconditions,
  },
];

/** The methods of the document resources (HEAD is answered as GET). */
export type DocumentMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** The parameters of one request, checked; fields the resource does not take are null. */
export interface DocumentParams {
  readonly activityId: string | null;
  /** Canonical IFI key of the `agent` parameter. */
  readonly agentKey: string | null;
  /** Lower-case UUID; absent when the request names none. */
  readonly registration?: string;
  /** The stateId or profileId; absent for the requests on a set (GET ids, DELETE all state). */
  readonly documentId?: string;
  readonly since?: Date;
}

/**
 * Checks the query parameters of a request on `resource`. Every problem is a 400 naming the
 * parameter: unknown ones (Communication 3.2.s3.b7, which also covers a known name in the wrong
 * case), missing required ones, repeated ones and malformed values.
 */
export function parseDocumentParams(
  resource: DocumentResource,
  method: DocumentMethod,
  query: Readonly<Record<string, unknown>>,
  version: XapiVersion,
): DocumentParams {
  const id = resource.idParam;
  const known = new Set<string>([id]);
  if (resource.takesActivity) known.add('activityId');
  if (resource.takesAgent) known.add('agent');
  if (resource.takesRegistration) known.add('registration');
  if (method === 'GET') known.add('since');
  for (const key of Object.keys(query)) {
    if (!known.has(key)) throw new LrsErrors.unknownParameter(key);
  }
  const value = (key: string): string | undefined => {
    const raw = query[key];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') throw new LrsErrors.badParameter(key, 'must be given once');
    return raw;
  };
  const required = (key: string): string => {
    const raw = value(key);
    if (raw === undefined) throw new LrsErrors.badParameter(key, 'is required');
    return raw;
  };

  const activityId = resource.takesActivity ? required('activityId') : null;
  const agent = resource.takesAgent ? required('agent') : null;
  const documentId =
    method === 'PUT' || method === 'POST' || (method === 'DELETE' && !resource.deletesSets)
      ? required(id)
      : value(id);
  const registration = value('registration');
  const since = value('since');

  if (activityId !== null && !isIri(activityId)) {
    throw new LrsErrors.badParameter(
      'activityId',
      `must be an IRI (with a scheme), got ${JSON.stringify(activityId)}`,
    );
  }
  if (documentId === '') throw new LrsErrors.badParameter(id, 'must not be empty');
  if (registration !== undefined && !isUuid(registration)) {
    throw new LrsErrors.badParameter(
      'registration',
      `must be a UUID, got ${JSON.stringify(registration)}`,
    );
  }
  if (since !== undefined && documentId !== undefined) {
    throw new LrsErrors.badParameter(
      'since',
      `lists ids; it cannot be combined with ${id}, which names one document`,
    );
  }
  const sinceMs = since === undefined ? undefined : parseTimestamp(since)?.epochMs;
  if (since !== undefined && sinceMs === undefined) {
    throw new LrsErrors.badParameter(
      'since',
      `must be an ISO 8601 timestamp, got ${JSON.stringify(since)}`,
    );
  }
  return {
    activityId,
    agentKey: agent === null ? null : agentKeyOf(agent, version),
    ...(registration !== undefined ? { registration: registration.toLowerCase() } : {}),
    ...(documentId !== undefined ? { documentId } : {}),
    ...(sinceMs !== undefined ? { since: new Date(sinceMs) } : {}),
  };
}

/**
 * The IFI key of the `agent` parameter: an Agent object, not a Group (Communication 2.6.s3), with
 * exactly one IFI. It is checked by the statement validator's own Agent rules (as the actor of a
 * minimal statement), so that a parameter and a statement are judged alike.
 */
function agentKeyOf(raw: string, version: XapiVersion): string {
  const parsed = agentObjectParam(raw);
  if (parsed['objectType'] === 'Group') {
    throw new LrsErrors.badParameter(
      'agent',
      'must be an Agent, not a Group (to keep documents for an Identified Group, send its ' +
        'identifier in an Agent object)',
    );
  }
  return agentKey(validatedAgentParam(parsed, version));
}
