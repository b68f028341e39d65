import createError from '@fastify/error';

/**
 * Errors of the Activities and Agents resources (xAPI Communication 2.4, 2.5). Parameter errors
 * use LrsErrors' `XAPI_ERR_PARAMETER`, like every other resource.
 */
export const CanonicalErrors = {
  /**
   * A POST that is not the 1.0.x alternate request syntax: both resources only answer GET. The
   * POST route exists for the alternate syntax (Communication 1.3), which any resource must take.
   */
  methodNotAllowed: createError<[string]>(
    'XAPI_ERR_METHOD_NOT_ALLOWED',
    '%s only answers GET (in xAPI 1.0.x also as POST ?method=GET, the alternate request syntax)',
    405,
  ),
} as const;
