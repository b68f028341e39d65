import { hasCanonicalUtcForm, parseTimestamp } from './formats.js';
import type {
  Actor,
  Context,
  ContextActivities,
  Statement,
  StatementObject,
  SubStatement,
} from './statement-types.js';
import { CONTEXT_ACTIVITY_TYPES, contextActivityList } from './statement-types.js';
import { isVersion1, type XapiVersion } from './versions.js';
import { withProps } from './with-props.js';

/** What the LRS supplies when it stores a statement. */
export interface PrepareOptions {
  /** Generates a statement id (a UUID) when the statement has none. */
  readonly id: () => string;
  /** The time the statement is stored. */
  readonly stored: Date;
  /** The authority derived from the credentials; always replaces the statement's own. */
  readonly authority: Actor;
  /** The version of the request (X-Experience-API-Version). */
  readonly version: XapiVersion;
}

/**
 * 2.0 converts timestamps not in canonical UTC form (an offset, no zone, a space or lower-case `t`
 * or `z`) to `...Z` with millisecond precision, which xAPI-Data 4.5 allows; a timestamp already of
 * the form `...T...Z` is kept as sent (its precision too), so preparation is idempotent. 1.0.x
 * keeps the timestamp as sent.
 */
function normaliseTimestamp(timestamp: string, version: XapiVersion): string {
  // A string that only looks canonical is no timestamp, and would be returned as is below too.
  if (isVersion1(version) || hasCanonicalUtcForm(timestamp)) return timestamp;
  const parsed = parseTimestamp(timestamp);
  if (parsed === undefined) return timestamp;
  return new Date(parsed.epochMs).toISOString();
}

/** xAPI-Data 2.4.6.2.s4.b3: every contextActivities value is returned as an array. */
function normaliseContextActivities(activities: ContextActivities): ContextActivities {
  const out: ContextActivities = {};
  for (const type of CONTEXT_ACTIVITY_TYPES) {
    if (activities[type] !== undefined) out[type] = contextActivityList(activities[type]);
  }
  return out;
}

function normaliseContext(context: Context): Context {
  return context.contextActivities === undefined
    ? context
    : withProps(context, {
        contextActivities: normaliseContextActivities(context.contextActivities),
      });
}

function normaliseSubStatement(sub: SubStatement, version: XapiVersion): SubStatement {
  const changes: Partial<SubStatement> = {};
  if (sub.context !== undefined) changes.context = normaliseContext(sub.context);
  if (sub.timestamp !== undefined) changes.timestamp = normaliseTimestamp(sub.timestamp, version);
  return withProps(sub, changes);
}

function normaliseObject(object: StatementObject, version: XapiVersion): StatementObject {
  return object.objectType === 'SubStatement' ? normaliseSubStatement(object, version) : object;
}

/**
 * Pure normalisation of a valid statement before it is stored (xAPI-Data 2.4.1, 2.4.7-2.4.10):
 * `id` from the generator when absent; `stored` set to the given time (ISO string, ms, `Z`);
 * `timestamp` = `stored` when absent (2.0: converted to canonical UTC when it is not); `authority`
 * replaced by the given one; `version` kept when given, else `1.0.0` for 1.0.x requests (1.0.3
 * 2.4.10.s3.b3) or `2.0.0`; contextActivities values as arrays. The input is not modified.
 */
export function prepareStatement(statement: Statement, options: PrepareOptions): Statement {
  const stored = options.stored.toISOString();
  // The keys in the order `{ ...statement, id, object, context, timestamp, ... }` gives them.
  const changes: Partial<Statement> = {
    id: statement.id ?? options.id(),
    object: normaliseObject(statement.object, options.version),
  };
  if (statement.context !== undefined) changes.context = normaliseContext(statement.context);
  changes.timestamp =
    statement.timestamp === undefined
      ? stored
      : normaliseTimestamp(statement.timestamp, options.version);
  changes.stored = stored;
  changes.authority = options.authority;
  changes.version = statement.version ?? (isVersion1(options.version) ? '1.0.0' : '2.0.0');
  return withProps(statement, changes);
}
