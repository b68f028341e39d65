import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoStalePrimaryError,
  MongoTopologyClosedError,
} from 'mongodb';

/**
 * Server error codes that say "not now" rather than "never": a time limit, a shutdown, a primary
 * stepping down or not found, a network failure between servers.
 */
const TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  50, // MaxTimeMSExpired
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Labels the driver and server put on errors that a retry can get past. */
const TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError'];

/**
 * Whether an error (or one of its causes) says the database is unreachable, too slow or between
 * primaries: a retry can succeed, so a request failing with it is answered 503 with Retry-After,
 * not 500. The one place that reads the driver's error classes; services pass it to their error
 * handler (@cairn/http `createServiceApp`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; depth++) {
    if (
      e instanceof MongoNetworkError ||
      e instanceof MongoServerSelectionError ||
      e instanceof MongoTopologyClosedError ||
      e instanceof MongoNotConnectedError ||
      e instanceof MongoServerClosedError ||
      e instanceof MongoOperationTimeoutError ||
      e instanceof MongoStalePrimaryError
    )
      return true;
    const labelled = e instanceof MongoError ? e : null;
    if (labelled !== null && TRANSIENT_LABELS.some((l) => labelled.hasErrorLabel(l))) return true;
    if (e instanceof MongoServerError && typeof e.code === 'number' && TRANSIENT_CODES.has(e.code))
      return true;
    e = e.cause;
  }
  return false;
}
