/**
 * TypeScript types for xAPI statements, 1.0.3 (xAPI-Data.md section 2.4) and 2.0 (IEEE 9274.1.1:
 * adds `context.contextAgents` and `context.contextGroups`). These describe *valid* statements: use
 * `validateStatement` to obtain one from untrusted JSON.
 */

/** RFC 5646 language tag -> text in that language (xAPI-Data 4.2). */
export type LanguageMap = Record<string, string>;

/** IRI keys -> any JSON value, `null` included (xAPI-Data 4.1). */
export type Extensions = Record<string, unknown>;

/** A user account on an existing system (xAPI-Data 2.4.2.4). */
export interface Account {
  /** IRL of the system's home page. */
  homePage: string;
  /** The unique id or login name on that system. */
  name: string;
}

/**
 * The Inverse Functional Identifiers of an Agent or Identified Group (xAPI-Data 2.4.2.3). A valid
 * Agent or Identified Group has exactly one of them; an Anonymous Group has none.
 */
export interface InverseFunctionalIdentifiers {
  /** `mailto:` IRI. */
  mbox?: string;
  /** Hex SHA-1 of a `mailto:` IRI. */
  mbox_sha1sum?: string;
  /** An OpenID URI. */
  openid?: string;
  account?: Account;
}

/** An individual (xAPI-Data 2.4.2.1). `objectType` is required only when the Agent is an object. */
export interface Agent extends InverseFunctionalIdentifiers {
  objectType?: 'Agent';
  name?: string;
}

/**
 * A Group (xAPI-Data 2.4.2.2): identified when it carries one IFI, anonymous (and then `member` is
 * required) when it carries none. Members are Agents, never Groups; their order is not significant.
 */
export interface Group extends InverseFunctionalIdentifiers {
  objectType: 'Group';
  name?: string;
  member?: Agent[];
}

/** Agent or Group: the actor, instructor or authority of a statement. */
export type Actor = Agent | Group;

/** The action (xAPI-Data 2.4.3). `display` is not part of the statement's meaning. */
export interface Verb {
  /** IRI. */
  id: string;
  display?: LanguageMap;
}

/** The interaction types of xAPI-Data 2.4.4.1 "Interaction Activities". */
export const INTERACTION_TYPES = [
  'true-false',
  'choice',
  'fill-in',
  'long-fill-in',
  'matching',
  'performance',
  'sequencing',
  'likert',
  'numeric',
  'other',
] as const;

/** One of {@link INTERACTION_TYPES}. */
export type InteractionType = (typeof INTERACTION_TYPES)[number];

/** The names of the interaction component lists. */
export type InteractionComponentListName = 'choices' | 'scale' | 'source' | 'target' | 'steps';

/** One entry of an interaction component list (xAPI-Data 2.4.4.1 "Interaction Components"). */
export interface InteractionComponent {
  id: string;
  description?: LanguageMap;
}

/** Metadata of an Activity, including the interaction properties (xAPI-Data 2.4.4.1). */
export interface ActivityDefinition {
  name?: LanguageMap;
  description?: LanguageMap;
  /** IRI. */
  type?: string;
  /** IRL. */
  moreInfo?: string;
  interactionType?: InteractionType;
  correctResponsesPattern?: string[];
  choices?: InteractionComponent[];
  scale?: InteractionComponent[];
  source?: InteractionComponent[];
  target?: InteractionComponent[];
  steps?: InteractionComponent[];
  extensions?: Extensions;
}

/** An Activity (xAPI-Data 2.4.4.1); `objectType` defaults to `Activity` when absent. */
export interface Activity {
  objectType?: 'Activity';
  /** IRI. */
  id: string;
  definition?: ActivityDefinition;
}

/** A pointer to another statement (xAPI-Data 2.4.4.3 "Statement References"). */
export interface StatementRef {
  objectType: 'StatementRef';
  /** UUID of the referenced statement. */
  id: string;
}

/** Score of a Result (xAPI-Data 2.4.5.1). */
export interface Score {
  /** In [-1, 1]. */
  scaled?: number;
  /** In [min, max] when those are present. */
  raw?: number;
  min?: number;
  max?: number;
}

/** A measured outcome (xAPI-Data 2.4.5). */
export interface Result {
  score?: Score;
  success?: boolean;
  completion?: boolean;
  response?: string;
  /** ISO 8601 duration. */
  duration?: string;
  extensions?: Extensions;
}

/**
 * Context activities (xAPI-Data 2.4.6.2). Each value may arrive as a single Activity; a prepared
 * statement (see `prepareStatement`) always holds arrays.
 */
export interface ContextActivities {
  parent?: Activity | Activity[];
  grouping?: Activity | Activity[];
  category?: Activity | Activity[];
  other?: Activity | Activity[];
}

/** xAPI 2.0 only: an Agent related to the statement, with the IRIs of its roles. */
export interface ContextAgent {
  objectType: 'contextAgent';
  agent: Agent;
  relevantTypes?: string[];
}

/** xAPI 2.0 only: a Group related to the statement, with the IRIs of its roles. */
export interface ContextGroup {
  objectType: 'contextGroup';
  group: Group;
  relevantTypes?: string[];
}

/** Context of a statement (xAPI-Data 2.4.6). */
export interface Context {
  /** UUID. */
  registration?: string;
  instructor?: Actor;
  team?: Group;
  contextActivities?: ContextActivities;
  /** Only when the statement's object is an Activity. */
  revision?: string;
  /** Only when the statement's object is an Activity. */
  platform?: string;
  /** RFC 5646 language tag. */
  language?: string;
  statement?: StatementRef;
  extensions?: Extensions;
  /** xAPI 2.0 only. */
  contextAgents?: ContextAgent[];
  /** xAPI 2.0 only. */
  contextGroups?: ContextGroup[];
}

/** Attachment metadata (xAPI-Data 2.4.11). */
export interface Attachment {
  /** IRI. */
  usageType: string;
  display: LanguageMap;
  description?: LanguageMap;
  /** Internet media type. */
  contentType: string;
  /** Length of the content in octets. */
  length: number;
  /** SHA-2 hash (hex) of the content. */
  sha2: string;
  /** IRL. */
  fileUrl?: string;
}

/** The object of a SubStatement: anything but another SubStatement. */
export type SubStatementObject = Activity | Agent | Group | StatementRef;

/**
 * A statement used as the object of another (xAPI-Data 2.4.4.3 "SubStatements"): no `id`, `stored`,
 * `version` or `authority`, and never nested.
 */
export interface SubStatement {
  objectType: 'SubStatement';
  actor: Actor;
  verb: Verb;
  object: SubStatementObject;
  result?: Result;
  context?: Context;
  timestamp?: string;
  attachments?: Attachment[];
}

/** The object of a statement (xAPI-Data 2.4.4). */
export type StatementObject = SubStatementObject | SubStatement;

/** An xAPI statement (xAPI-Data 2.4). */
export interface Statement {
  /** UUID; assigned by the LRS when absent. */
  id?: string;
  actor: Actor;
  verb: Verb;
  object: StatementObject;
  result?: Result;
  context?: Context;
  /** ISO 8601 timestamp; set to `stored` by the LRS when absent. */
  timestamp?: string;
  /** Set by the LRS. */
  stored?: string;
  /** Set by the LRS from the credentials. */
  authority?: Actor;
  /** Statement version, e.g. `1.0.0`. */
  version?: string;
  attachments?: Attachment[];
}

/** The IRI of the reserved verb that voids a statement (xAPI-Data 2.3.2). */
export const VOIDED_VERB_ID = 'http://adlnet.gov/expapi/verbs/voided';

/** The four context activity types (xAPI-Data 2.4.6.2). */
export const CONTEXT_ACTIVITY_TYPES = ['parent', 'grouping', 'category', 'other'] as const;

/** True when the object is an Activity (absent `objectType` means Activity). */
export function isActivity(object: StatementObject): object is Activity {
  return object.objectType === undefined || object.objectType === 'Activity';
}

/** True when the object is an Agent or a Group. */
export function isAgentOrGroup(object: StatementObject): object is Agent | Group {
  return object.objectType === 'Agent' || object.objectType === 'Group';
}

/** True when the object is a Group (it has `objectType: "Group"`). */
export function isGroup(actor: Actor): actor is Group {
  return actor.objectType === 'Group';
}

/** The context activities of one type as an array, whether they arrived as one object or many. */
export function contextActivityList(value: Activity | Activity[] | undefined): Activity[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
