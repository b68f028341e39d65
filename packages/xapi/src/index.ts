export { aboutResource, type About } from './about.js';
export {
  isSupportedVersion,
  isVersion1,
  parseVersionHeader,
  responseVersion,
  SUPPORTED_VERSIONS,
  VERSION_HEADER,
  versionFamily,
  type VersionFamily,
  type XapiVersion,
} from './versions.js';
export { XAPI_ERR_VALIDATION, XapiErrors } from './errors.js';
export { formatStatement, pickLanguage, type StatementFormat } from './format-statement.js';
export {
  isIri,
  isIrl,
  isIsoDuration,
  isIsoTimestamp,
  isLanguageTag,
  isMailtoIri,
  isMediaType,
  isSha1Hex,
  isUuid,
  parseTimestamp,
  type ParsedTimestamp,
} from './formats.js';
export { agentKey, agentKeyOrUndefined, mboxSha1, normaliseMbox } from './ifi.js';
export {
  agentLookupKeysOf,
  ERASED_AGENT,
  ERASED_HOME_PAGE,
  isErasedAgent,
  personKeyOrUndefined,
  redactAgents,
} from './erased-agent.js';
export { actorKeys, statementIndexFields, type StatementIndexFields } from './index-fields.js';
export { prepareStatement, type PrepareOptions } from './prepare-statement.js';
export { lowerCaseUuids } from './uuid-case.js';
export { statementsEqual } from './statement-equality.js';
export {
  CONTEXT_ACTIVITY_TYPES,
  contextActivityList,
  INTERACTION_TYPES,
  isActivity,
  isAgentOrGroup,
  isGroup,
  VOIDED_VERB_ID,
  type Account,
  type Activity,
  type ActivityDefinition,
  type Actor,
  type Agent,
  type Attachment,
  type Context,
  type ContextActivities,
  type ContextAgent,
  type ContextGroup,
  type Extensions,
  type Group,
  type InteractionComponent,
  type InteractionComponentListName,
  type InteractionType,
  type InverseFunctionalIdentifiers,
  type LanguageMap,
  type Result,
  type Score,
  type Statement,
  type StatementObject,
  type StatementRef,
  type SubStatement,
  type SubStatementObject,
  type Verb,
} from './statement-types.js';
export {
  assertValidStatements,
  formatPath,
  formatProblems,
  validateStatement,
  validateStatements,
  type ValidationProblem,
  type ValidationResult,
} from './validate-statement.js';
export {
  SIGNATURE_CONTENT_TYPE,
  SIGNATURE_USAGE_TYPE,
  signatureAttachments,
  verifyStatementSignature,
  type SignatureCheck,
} from './signature.js';
export {
  definitionsIn,
  mergeDefinitions,
  type CarriedDefinition,
  type DefinitionSighting,
} from './activity-definitions.js';
export { canonicalJson } from './canonical-json.js';
export {
  agentsIn,
  normalisedIfi,
  personLookupKeys,
  personObject,
  type AgentSighting,
  type Person,
  type PersonFacts,
} from './person.js';
