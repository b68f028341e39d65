export { buildApp, type LrsDeps } from './app.js';
export { ALL_SCOPES, CAIRN_SCOPES, XAPI_SCOPES, type Scope } from './auth/scopes.js';
export { hashSecret, verifySecret } from './auth/secret-hash.js';
export { bootstrap, type BootstrapCredential } from './bootstrap.js';
export { lrsConfigSpec, type LrsConfig } from './config.js';
export { authPlugin, requireScope, type AuthPluginOptions } from './auth/auth-plugin.js';
export {
  createAuthenticator,
  parseBasic,
  type Authenticator,
  type AuthenticatorOptions,
  type Principal,
} from './auth/authenticate.js';
export {
  createCredentialCache,
  DEFAULT_CREDENTIAL_CACHE_ENTRIES,
  DEFAULT_CREDENTIAL_TTL_MS,
  type CredentialCache,
  type CredentialCacheOptions,
  type RefreshCredential,
  type VerifyCredential,
} from './auth/credential-cache.js';
export {
  AuthErrors,
  UNAUTHORIZED_REASONS,
  WWW_AUTHENTICATE,
  type UnauthorizedReason,
} from './auth/errors.js';
export {
  ANY_ORIGIN,
  checkOriginList,
  MAX_ORIGINS,
  originAllowed,
  originProblem,
  splitOriginList,
} from './cors/origins.js';
export { corsPlugin, type CorsOptions, type OriginPolicy } from './cors/cors-plugin.js';
export { hasScope, isScope, type Access, type ScopeHolder } from './auth/scope-rules.js';
export { AttachmentErrors } from './routes/statements/attachment-errors.js';
export {
  attachmentsOf,
  DEFAULT_ATTACHMENT_LIMITS,
  matchAttachments,
  type AttachmentLimits,
} from './routes/statements/attachments.js';
export {
  multipartBoundary,
  parseMediaType,
  parseMultipart,
  serializeMultipart,
  type AttachmentPart,
  type MediaType,
  type ParsedMultipart,
  type SerializedMultipart,
} from './routes/statements/multipart.js';
export {
  consistentThrough,
  DEFAULT_CONSISTENCY_LAG_MS,
  type ConsistentThrough,
} from './routes/statements/consistent-through.js';
export { RECENT_STATEMENTS } from './routes/canonical/canonical-routes.js';
export {
  createAdminOperations,
  MAX_NAME_LENGTH,
  type AdminOperations,
  type AdminOperationsOptions,
  type CredentialRequest,
  type CredentialSummary,
  type NewCredential,
  type StoreDetails,
  type StoreSummary,
  type StoreUpdate,
} from './admin/admin-operations.js';
export { AdminErrors } from './admin/admin-errors.js';
export { adminRoutes, type AdminRoutesOptions } from './routes/admin/admin-routes.js';
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE, runCli, USAGE, type CliIo } from './cli/run-cli.js';
