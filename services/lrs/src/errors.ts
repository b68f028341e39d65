import createError from '@fastify/error';

/** services/lrs's own error catalogue (validation errors come from @cairn/xapi's). */
export const LrsErrors = {
  versionMissing: createError(
    'XAPI_ERR_VERSION_MISSING',
    'the X-Experience-API-Version header is required (1.0, 1.0.x, 2.0 or 2.0.x)',
    400,
  ),
  versionUnsupported: createError<[string]>(
    'XAPI_ERR_VERSION_UNSUPPORTED',
    'X-Experience-API-Version %s is not supported (1.0, 1.0.x, 2.0 or 2.0.x)',
    400,
  ),
  badParameter: createError<[string, string]>('XAPI_ERR_PARAMETER', 'parameter %s: %s', 400),
  unknownParameter: createError<[string]>('XAPI_ERR_PARAMETER', 'unknown parameter %s', 400),
  conflict: createError<[string]>(
    'XAPI_ERR_CONFLICT',
    'statement %s already exists with different content',
    409,
  ),
  duplicateInBatch: createError<[string]>(
    'XAPI_ERR_DUPLICATE_ID',
    'statement id %s appears more than once in this request',
    400,
  ),
  idMismatch: createError<[string, string]>(
    'XAPI_ERR_ID_MISMATCH',
    'the statementId parameter (%s) and the statement id (%s) differ',
    400,
  ),
  voidingVoider: createError<[string]>(
    'XAPI_ERR_VOIDING_VOIDER',
    'statement %s is a voiding statement and cannot be voided',
    400,
  ),
  notFound: createError<[string]>('XAPI_ERR_NOT_FOUND', 'no statement %s', 404),
  idempotencyKeyReused: createError<[string]>(
    'CAIRN_ERR_IDEMPOTENCY_KEY_REUSED',
    'Idempotency-Key %s was first sent with a different body; a new request needs a new key',
    422,
  ),
  badIdempotencyKey: createError(
    'CAIRN_ERR_IDEMPOTENCY_KEY',
    'the Idempotency-Key header must be 1 to 255 visible ASCII characters',
    400,
  ),
  contentType: createError<[string]>(
    'XAPI_ERR_CONTENT_TYPE',
    'Content-Type %s is not one this resource takes (statements: application/json, or multipart/mixed with attachments; 1.0.x alternate syntax: application/x-www-form-urlencoded)',
    400,
  ),
  methodNotAllowed: createError<[string, string, string]>(
    'XAPI_ERR_METHOD_NOT_ALLOWED',
    '%s is not a method of %s (it takes %s)',
    405,
  ),
  badMore: createError('XAPI_ERR_MORE', 'the more link is malformed or from another store', 400),
} as const;
