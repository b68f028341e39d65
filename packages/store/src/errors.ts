import createError from '@fastify/error';

/** The store's error catalogue: every error it throws has a stable code and an HTTP status. */
export const StoreErrors = {
  unreachable: createError<[string, string]>(
    'STORE_ERR_UNREACHABLE',
    'cannot reach MongoDB at %s: %s',
    503,
  ),
} as const;
