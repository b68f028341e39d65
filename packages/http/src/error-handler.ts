import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpErrors } from './errors.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly statusCode: number;
  /** The HTTP reason phrase. */
  readonly error: string;
  /** Stable machine-readable code from a package's error catalogue. */
  readonly code: string;
  /** What went wrong and, where it helps, what to do. */
  readonly message: string;
}

export const INTERNAL_ERROR_CODE = 'CAIRN_ERR_INTERNAL';
/** A dependency (the database) is unreachable or too slow, or the process is shutting down. */
export const UNAVAILABLE_ERROR_CODE = 'CAIRN_ERR_UNAVAILABLE';
/** What a 503 asks the client to wait before it retries, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

/** Whether an error says a retry can succeed (the database down or slow): 503, not 500. */
export type UnavailablePredicate = (error: unknown) => boolean;

/** The 503 every "retry later" gets, whatever caused it: Cairn's body, and Retry-After. */
export function sendUnavailable(reply: FastifyReply, message: string): void {
  const body: ErrorBody = {
    statusCode: 503,
    error: reason(503),
    code: UNAVAILABLE_ERROR_CODE,
    message: `${message}; retry after ${RETRY_AFTER_SECONDS} s`,
  };
  void reply.status(503).header('Retry-After', String(RETRY_AFTER_SECONDS)).send(body);
}

/**
 * Whether a 503 comes from a catalogue of its own rather than from the storage or queue layers
 * (`STORE_`, `JOBS_`), whose outages all read as "the database cannot be reached in time".
 */
function hasOwnCode(error: FastifyError): boolean {
  return (
    typeof error.code === 'string' &&
    !error.code.startsWith('STORE_') &&
    !error.code.startsWith('JOBS_') &&
    !error.code.startsWith('FST_')
  );
}

/**
 * The error handler of every Cairn service: maps any error to an {@link ErrorBody}, in one place.
 * An error with status 503, or one `isUnavailable` recognises (a database error that a retry can
 * get past, whichever route met it), is answered 503 `CAIRN_ERR_UNAVAILABLE` with Retry-After,
 * and logged at warn with its cause. Errors from our catalogues and Fastify's own carry
 * `statusCode` and `code`; anything else is a bug, answered 500 with its details hidden from the
 * client and logged.
 */
export function createErrorHandler(
  isUnavailable: UnavailablePredicate = () => false,
): (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    if (error.statusCode === 503 || isUnavailable(error)) {
      request.log.warn({ err: error }, 'request failed: unavailable');
      if (isUnavailable(error) || !hasOwnCode(error)) {
        sendUnavailable(reply, 'the service cannot reach its database in time');
        return;
      }
      // A 503 of a service's own catalogue (a dashboard that is not built, say) says what to do
      // itself: its code and message stay, with the Retry-After every 503 carries.
      void reply
        .status(503)
        .header('Retry-After', String(RETRY_AFTER_SECONDS))
        .send({
          statusCode: 503,
          error: reason(503),
          code: String(error.code),
          message: error.message,
        } satisfies ErrorBody);
      return;
    }
    errorHandler(error, request, reply);
  };
}

/**
 * Maps any error to an {@link ErrorBody} without knowing which errors are transient (see
 * {@link createErrorHandler}, which services use).
 */
export function errorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status =
    typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600
      ? error.statusCode
      : 500;
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  const body: ErrorBody =
    status >= 500
      ? {
          statusCode: status,
          error: reason(status),
          code: INTERNAL_ERROR_CODE,
          message: 'internal server error',
        }
      : {
          statusCode: status,
          error: reason(status),
          code: typeof error.code === 'string' ? error.code : 'HTTP_ERR_BAD_REQUEST',
          message: validationMessage(error) ?? error.message,
        };
  void reply.status(status).send(body);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  errorHandler(
    new HttpErrors.notFound(request.method, request.url.split('?')[0] ?? '/'),
    request,
    reply,
  );
}

/**
 * For a route-schema validation error, Fastify's message with the property named where Ajv's
 * wording leaves it out: "body must NOT have additional properties" becomes "body must NOT have
 * additional property 'extra'". Undefined for any other error.
 */
function validationMessage(error: FastifyError): string | undefined {
  if (error.validation === undefined || error.validation.length === 0) return undefined;
  const context = error.validationContext ?? 'request';
  return error.validation
    .map((v) => {
      const extra = v.params['additionalProperty'];
      const message =
        v.keyword === 'additionalProperties' && typeof extra === 'string'
          ? `must NOT have additional property '${extra}'`
          : (v.message ?? 'is invalid');
      return `${context}${v.instancePath} ${message}`;
    })
    .join(', ');
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
