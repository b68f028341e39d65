import createError from '@fastify/error';

/** The jobs package's error catalogue. */
export const JobsErrors = {
  redisUnreachable: createError<[string, string]>(
    'JOBS_ERR_REDIS_UNREACHABLE',
    'cannot reach Redis at %s: %s',
    503,
  ),
} as const;
