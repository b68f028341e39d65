import createError from '@fastify/error';
import { isDatabaseUnavailable } from './unavailable.js';

/** The store's error catalogue: every error it throws has a stable code and an HTTP status. */
export const StoreErrors = {
  unreachable: createError<[string, string]>(
    'STORE_ERR_UNREACHABLE',
    'cannot reach MongoDB at %s: %s',
    503,
  ),
  /** The database refused an operation, and a retry would be refused too (a bug, or bad data). */
  failed: createError<[string]>('STORE_ERR_FAILED', 'the database refused the operation: %s', 500),
  /** The database is unreachable, too slow or between primaries: a retry can succeed. */
  unavailable: createError<[string]>(
    'STORE_ERR_UNAVAILABLE',
    'the database is unavailable: %s',
    503,
  ),
  /** A conditional write lost to other writers more often than it retries. */
  conflict: createError<[string]>('STORE_ERR_CONFLICT', '%s', 409),
  /**
   * A sum would leave the int64 range. Refused by Cairn itself: not every server refuses an
   * overflowing `$inc` (the local server wraps it round to -2^63).
   */
  overflow: createError<[string]>('STORE_ERR_OVERFLOW', 'a sum would overflow int64: %s', 500),
  /**
   * Wraps an unexpected driver error so that it carries a code (unavailable where a retry can
   * succeed, else failed) and keeps it as its `cause`; the message is logged, not shown.
   */
  wrap(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = isDatabaseUnavailable(error)
      ? new StoreErrors.unavailable(message)
      : new StoreErrors.failed(message);
    wrapped.cause = error;
    return wrapped;
  },
} as const;
