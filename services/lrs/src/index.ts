export { buildApp, type LrsDeps } from './app.js';
export { bootstrap, type BootstrapCredential } from './bootstrap.js';
export { lrsConfigSpec, type LrsConfig } from './config.js';
export {
  ANY_ORIGIN,
  checkOriginList,
  MAX_ORIGINS,
  originAllowed,
  originProblem,
  splitOriginList,
} from './cors/origins.js';
export { corsPlugin, type CorsOptions } from './cors/cors-plugin.js';
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
