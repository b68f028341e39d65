import createError from '@fastify/error';

/** The xapi package's error catalogue. */
export const XapiErrors = {
  /**
   * A statement (or batch) breaks the xAPI data rules. The argument is the readable list of
   * problems, e.g. `actor.mbox must be a mailto: IRI; object.id is required`.
   */
  validation: createError<'XAPI_ERR_VALIDATION', 400, [string]>(
    'XAPI_ERR_VALIDATION',
    'Invalid xAPI statement: %s',
    400,
  ),
} as const;

/** `XAPI_ERR_VALIDATION` (400): the constructor of the validation error. */
export const XAPI_ERR_VALIDATION = XapiErrors.validation;
