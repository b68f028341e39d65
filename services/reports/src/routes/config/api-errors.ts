import createError from '@fastify/error';

/** The skills API's error catalogue (`/api/v1`: frameworks, rules, verbs, dry run). */
export const ApiErrors = {
  /** 400: values that break a rule; the message lists each problem with its path. */
  invalid: createError<[string, string]>('API_ERR_INVALID', '%s: %s', 400),
  /** 400: the dry run's statement is not a valid xAPI statement; every problem is named. */
  badStatement: createError<[string]>(
    'API_ERR_BAD_STATEMENT',
    'the statement is not valid xAPI: %s',
    400,
  ),
  /** 403: a credential that may not read the store's skill settings. */
  forbidden: createError<[string]>(
    'API_ERR_FORBIDDEN',
    'reading skill settings needs one of the scopes admin, reports:cohort, all/read, all; this credential has: %s',
    403,
  ),
  /** 403: a dry run of a stored statement shows its people: a statement-reading scope. */
  statementForbidden: createError<[string]>(
    'API_ERR_STATEMENT_FORBIDDEN',
    'a dry run of a stored statement needs one of the scopes admin, statements/read, all/read, all; this credential has: %s',
    403,
  ),
  /** 404: no framework with this id in the credential's store. */
  frameworkNotFound: createError<[string]>('API_ERR_FRAMEWORK_NOT_FOUND', 'no framework %s', 404),
  /** 404: no statement with this id in the credential's store. */
  statementNotFound: createError<[string]>('API_ERR_STATEMENT_NOT_FOUND', 'no statement %s', 404),
  /** 409: POST of a framework whose id is taken (PUT replaces). */
  frameworkExists: createError<[string]>(
    'API_ERR_FRAMEWORK_EXISTS',
    'a framework %s exists already: PUT /api/v1/frameworks/{id} replaces it',
    409,
  ),
  /** 412: If-Match names a generation that is no longer the store's current one. */
  preconditionFailed: createError<[string, number]>(
    'API_ERR_PRECONDITION_FAILED',
    'If-Match %s does not match the current generation "%d": read again and retry',
    412,
  ),
  /** 413: the store's settings would be more than one database document holds. */
  tooLarge: createError<[number, number]>(
    'API_ERR_TOO_LARGE',
    "the store's skill settings would take %d bytes; at most %d fit",
    413,
  ),
} as const;
