import createError from '@fastify/error';

/**
 * Why a request was not authenticated. Every reason is safe to show the client: none tells
 * whether a key exists, so an unknown key and a wrong secret share one message.
 */
export const UNAUTHORIZED_REASONS = {
  missing: 'missing Authorization header: send HTTP Basic credentials (key and secret)',
  notBasic: 'malformed Basic credentials: the Authorization scheme must be Basic',
  malformed: 'malformed Basic credentials: expected "Basic " followed by base64 of key:secret',
  emptyKey: 'malformed Basic credentials: the key is empty',
  invalid: 'unknown key or wrong secret',
  revoked: 'credential revoked',
  sessionEnded: 'session ended or expired: sign in again',
} as const;

export type UnauthorizedReason = (typeof UNAUTHORIZED_REASONS)[keyof typeof UNAUTHORIZED_REASONS];

/** The authentication and authorisation error catalogue of the services (@cairn/auth). */
export const AuthErrors = {
  /** 401: no usable credential. Answered with `WWW-Authenticate: Basic realm="Cairn"`. */
  unauthorized: createError<[UnauthorizedReason]>('AUTH_ERR_UNAUTHORIZED', '%s', 401),
  /** 403: a valid credential without the scope the route needs. */
  forbidden: createError<[string, string]>(
    'AUTH_ERR_FORBIDDEN',
    'this credential lacks scope %s; it has: %s',
    403,
  ),
  /**
   * 403: the request comes from a web page (Origin header) that the credential's store does not
   * allow. Only the origin is named: the store's list is its own business.
   */
  originNotAllowed: createError<[string]>(
    'AUTH_ERR_ORIGIN_NOT_ALLOWED',
    "requests from origin %s are not allowed for this credential's store",
    403,
  ),
  /** 429: this credential's requests in the current window are used up; see Retry-After. */
  rateLimited: createError<[number, string]>(
    'AUTH_ERR_RATE_LIMITED',
    'rate limit of %d requests a minute for this credential reached; retry in %s',
    429,
  ),
} as const;

/** The challenge sent with every 401 (RFC 7617). */
export const WWW_AUTHENTICATE = 'Basic realm="Cairn"';
