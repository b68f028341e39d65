import type {
  Context,
  Statement,
  StatementObject,
  StatementRef,
  SubStatement,
} from './statement-types.js';

/**
 * The statement with every UUID that identifies something in lower case: its `id`, the `id` of a
 * StatementRef object or `context.statement`, and `context.registration`, in a SubStatement too.
 * RFC 4122 (which xAPI-Data 4.4 names for UUIDs) says their hex digits "are output as lower case
 * characters and are case insensitive on input", and xAPI-Data 2.3.1 lets case-insensitive values
 * differ without breaking immutability. Stored in one case, an id is found whatever case a later
 * PUT, GET, StatementRef or `registration=` query uses, and two deliveries of one statement that
 * differ only in case are one statement. Returns the input itself when nothing changes (the usual
 * case: an object is copied only on the path to a changed value).
 */
export function lowerCaseUuids(statement: Statement): Statement {
  const id = statement.id === undefined ? undefined : lower(statement.id);
  const object = objectWithLowerUuids(statement.object);
  const context =
    statement.context === undefined ? undefined : contextWithLowerUuids(statement.context);
  if (id === statement.id && object === statement.object && context === statement.context) {
    return statement;
  }
  return {
    ...statement,
    ...(id !== undefined ? { id } : {}),
    object,
    ...(context !== undefined ? { context } : {}),
  };
}

function lower(uuid: string): string {
  const lowered = uuid.toLowerCase();
  return lowered === uuid ? uuid : lowered;
}

function refWithLowerId(ref: StatementRef): StatementRef {
  const id = lower(ref.id);
  return id === ref.id ? ref : { ...ref, id };
}

function objectWithLowerUuids(object: StatementObject): StatementObject {
  if (object.objectType === 'StatementRef') return refWithLowerId(object);
  if (object.objectType === 'SubStatement') return subStatementWithLowerUuids(object);
  return object;
}

function subStatementWithLowerUuids(sub: SubStatement): SubStatement {
  const object = sub.object.objectType === 'StatementRef' ? refWithLowerId(sub.object) : sub.object;
  const context = sub.context === undefined ? undefined : contextWithLowerUuids(sub.context);
  if (object === sub.object && context === sub.context) return sub;
  return { ...sub, object, ...(context !== undefined ? { context } : {}) };
}

function contextWithLowerUuids(context: Context): Context {
  const registration = context.registration === undefined ? undefined : lower(context.registration);
  const statement = context.statement === undefined ? undefined : refWithLowerId(context.statement);
  if (registration === context.registration && statement === context.statement) return context;
  return {
    ...context,
    ...(registration !== undefined ? { registration } : {}),
    ...(statement !== undefined ? { statement } : {}),
  };
}
