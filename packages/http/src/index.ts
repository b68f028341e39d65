export {
  createErrorHandler,
  errorHandler,
  INTERNAL_ERROR_CODE,
  notFoundHandler,
  RETRY_AFTER_SECONDS,
  sendUnavailable,
  UNAVAILABLE_ERROR_CODE,
  type ErrorBody,
  type UnavailablePredicate,
} from './error-handler.js';
export { HttpErrors } from './errors.js';
export { acceptEmptyDeleteBody } from './empty-delete-body.js';
export { parseEntityTags, type EntityTag, type EntityTagList } from './entity-tags.js';
export {
  createServiceApp,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type ServiceAppOptions,
} from './service-app.js';
export { healthRoutes, type HealthOptions, type ReadinessCheck } from './health.js';
export { loggerOptions, REDACTED_PATHS } from './logger.js';
export { closeOnSignals, listen, runMain, type ListenOptions } from './run-service.js';
export {
  CLI_EXIT,
  CliUsageError,
  describeCliError,
  reportCliFailure,
  type CliFailureOptions,
} from './cli-support.js';
