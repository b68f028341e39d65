import createError from '@fastify/error';

/** The pipeline admin view's and the /metrics endpoint's error catalogue. */
export const PipelineErrors = {
  /** 404: no job with this id in any pipeline queue, or one of a store the caller may not manage. */
  jobNotFound: createError<[string]>('ADMIN_ERR_JOB_NOT_FOUND', 'no pipeline job %s', 404),
  /** 409: only a failed job may be retried or discarded. */
  jobNotFailed: createError<[string, string]>(
    'ADMIN_ERR_JOB_NOT_FAILED',
    'pipeline job %s is %s, not failed: only a failed job may be retried or discarded',
    409,
  ),
  /** 401: CAIRN_METRICS_TOKEN is set and the request does not carry it. */
  metricsUnauthorized: createError(
    'METRICS_ERR_UNAUTHORIZED',
    'GET /metrics needs the header Authorization: Bearer <CAIRN_METRICS_TOKEN>',
    401,
  ),
} as const;
