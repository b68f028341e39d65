export { authPlugin, requireScope, type AuthPluginOptions } from './auth-plugin.js';
export {
  createAuthenticator,
  parseBasic,
  type Authenticator,
  type AuthenticatorOptions,
  type Principal,
} from './authenticate.js';
export {
  createCredentialCache,
  DEFAULT_CREDENTIAL_CACHE_ENTRIES,
  DEFAULT_CREDENTIAL_TTL_MS,
  type CredentialCache,
  type CredentialCacheOptions,
  type RefreshCredential,
  type VerifyCredential,
} from './credential-cache.js';
export {
  AuthErrors,
  UNAUTHORIZED_REASONS,
  WWW_AUTHENTICATE,
  type UnauthorizedReason,
} from './errors.js';
export type { OriginPolicy } from './origin-policy.js';
export { rateLimitPlugin, type RateLimitOptions } from './rate-limit.js';
export { hasScope, isScope, type Access, type ScopeHolder } from './scope-rules.js';
export { ALL_SCOPES, CAIRN_SCOPES, XAPI_SCOPES, type Scope } from './scopes.js';
export { hashSecret, verifySecret } from './secret-hash.js';
export {
  createSessionAuthenticator,
  DASHBOARD_HEADER,
  DEFAULT_SESSION_TTL_MS,
  readCookie,
  SESSION_COOKIE,
  type SessionAuthenticator,
  type SessionAuthenticatorOptions,
} from './sessions.js';
