import createError from '@fastify/error';

/** The reports API's error catalogue (`/api/v1/reports`). */
export const ReportErrors = {
  /** 400: a query parameter that breaks a rule the route schema cannot state; names it. */
  invalid: createError<[string]>('REPORTS_ERR_INVALID', '%s', 400),
  /** 404: the report names a person, framework or skill the store does not have. */
  notFound: createError<[string]>('REPORTS_ERR_NOT_FOUND', '%s', 404),
  /** 406: neither `format` nor `Accept` names a format the report is served in. */
  notAcceptable: createError<[string]>(
    'REPORTS_ERR_NOT_ACCEPTABLE',
    'cannot answer with %s: reports are served as application/json, text/csv or application/x-ndjson (or format=json|csv|ndjson)',
    406,
  ),
} as const;
