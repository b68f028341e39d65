// Reads query shapes out of the commands the driver sends (command monitoring), finds them in the
// query catalogue of packages/store, and builds `explain` requests for catalogue entries.
import type { FilterOperator, QueryOp, QueryShape, QueryVariant } from '@cairn/store';

/** A query as a command carried it: what the catalogue declares, read from the wire. */
export interface ObservedShape {
  readonly collection: string;
  readonly op: QueryOp;
  /**
   * Each filter field and its operator class (see FilterOperator); an operator the catalogue has
   * no class for is kept as written (`$elemMatch`), a top-level one other than `$and` as
   * `unsupported`, so that neither matches any entry.
   */
  readonly filter: Readonly<Record<string, string>>;
  readonly sort: readonly (readonly [string, unknown])[];
  /** The limit; 0 for none. */
  readonly limit: number;
}

type Doc = Readonly<Record<string, unknown>>;

/** Commands that query nothing: writes of new documents, cursors, administration. */
const NO_QUERY = new Set([
  'insert',
  'getMore',
  'killCursors',
  'createIndexes',
  'listIndexes',
  'listCollections',
  'ping',
  'hello',
  'isMaster',
  'ismaster',
  'buildInfo',
  'endSessions',
  'drop',
  'dropDatabase',
  'explain',
  'saslStart',
  'saslContinue',
]);

const OPERATOR_CLASSES: Readonly<Record<string, FilterOperator>> = {
  $eq: 'eq',
  // Bounds nothing useful, as $exists.
  $type: 'exists',
  $in: 'in',
  $nin: 'nin',
  $ne: 'ne',
  $exists: 'exists',
  $gt: 'range',
  $gte: 'range',
  $lt: 'range',
  $lte: 'range',
};

function isDoc(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A document whose keys are all operators (`{ $in: [...] }`), not a value to equal. */
function isOperatorDoc(value: unknown): value is Doc {
  if (!isDoc(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function operatorOf(value: unknown): string {
  if (!isOperatorDoc(value)) return 'eq';
  const classes = [...new Set(Object.keys(value).map((op) => OPERATOR_CLASSES[op] ?? op))];
  return classes.sort().join('+');
}

/**
 * The filters a query's index scans see: the filter itself, or, for a top-level `$or`, one per
 * branch with the fields outside the `$or` added (MongoDB plans each branch on its own index and
 * merges them in sort order).
 */
export function filterBranches(filter: unknown): Record<string, string>[] {
  if (!isDoc(filter) || !Array.isArray(filter['$or'])) return [filterShape(filter)];
  const { $or: branches, ...outer } = filter;
  const shared = filterShape(outer);
  return (branches as unknown[]).map((branch) => ({ ...shared, ...filterShape(branch) }));
}

/** Each field of a filter and its operator class. */
export function filterShape(filter: unknown): Record<string, string> {
  if (filter === undefined || filter === null) return {};
  if (!isDoc(filter)) return { '(filter)': 'not a document' };
  const shape: Record<string, string> = {};
  for (const [field, value] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(value)) {
      for (const part of value) Object.assign(shape, filterShape(part));
    } else if (field.startsWith('$')) {
      shape[field] = 'unsupported';
    } else {
      shape[field] = operatorOf(value);
    }
  }
  return shape;
}

function sortOf(sort: unknown): (readonly [string, unknown])[] {
  if (sort instanceof Map)
    return [...(sort as Map<unknown, unknown>)].map(([k, v]) => [String(k), v]);
  return isDoc(sort) ? Object.entries(sort) : [];
}

const numberOr0 = (value: unknown): number => (typeof value === 'number' ? value : 0);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** An update document that replaces the document (no operator key) rather than updates it. */
const isReplacement = (u: unknown): boolean =>
  isDoc(u) && Object.keys(u).every((k) => !k.startsWith('$'));

/**
 * The query shapes of one command (several for a bulk update or delete); [] for a command that
 * queries nothing; undefined for one this reader does not know, which must be looked at.
 */
export function shapesOfCommand(name: string, command: Doc): ObservedShape[] | undefined {
  if (NO_QUERY.has(name)) return [];
  const collection = text(command[name]);
  const one = (op: QueryOp, filter: unknown, sort: unknown = undefined, limit = 0) =>
    filterBranches(filter).map((branch) => ({
      collection,
      op,
      filter: branch,
      sort: sortOf(sort),
      limit,
    }));
  switch (name) {
    case 'find':
      return one('find', command['filter'], command['sort'], numberOr0(command['limit']));
    case 'count':
      return one('count', command['query']);
    case 'distinct':
      return one('distinct', command['query']);
    case 'aggregate': {
      const pipeline = Array.isArray(command['pipeline']) ? command['pipeline'].filter(isDoc) : [];
      const [first, second] = pipeline;
      const match = first?.['$match'];
      const sort = match === undefined ? first?.['$sort'] : second?.['$sort'];
      const limit = pipeline.find((s) => s['$limit'] !== undefined)?.['$limit'];
      const last = pipeline[pipeline.length - 1]?.['$group'];
      const counts =
        isDoc(last) && last['_id'] === 1 && Object.keys(last).length === 2 && isDoc(last['n']);
      return one(counts ? 'countDocuments' : 'aggregate', match, sort, numberOr0(limit));
    }
    case 'update': {
      const updates = Array.isArray(command['updates']) ? command['updates'].filter(isDoc) : [];
      return updates.flatMap((u) =>
        one(
          u['multi'] === true ? 'updateMany' : isReplacement(u['u']) ? 'replaceOne' : 'updateOne',
          u['q'],
        ),
      );
    }
    case 'delete': {
      const deletes = Array.isArray(command['deletes']) ? command['deletes'].filter(isDoc) : [];
      return deletes.flatMap((d) => one(d['limit'] === 1 ? 'deleteOne' : 'deleteMany', d['q']));
    }
    case 'findAndModify':
      return one(
        command['remove'] === true
          ? 'findOneAndDelete'
          : isReplacement(command['update'])
            ? 'findOneAndReplace'
            : 'findOneAndUpdate',
        command['query'],
        command['sort'],
      );
    default:
      return undefined;
  }
}

/** Whether two sorts are the same, or one is the other reversed (one index serves both). */
function sameSort(
  observed: readonly (readonly [string, unknown])[],
  declared: readonly (readonly [string, 1 | -1])[],
): boolean {
  if (observed.length !== declared.length) return false;
  const same = observed.every(([f, d], i) => declared[i]?.[0] === f && declared[i]?.[1] === d);
  const reversed = observed.every(
    ([f, d], i) => declared[i]?.[0] === f && declared[i]?.[1] === -Number(d),
  );
  return same || reversed;
}

/** Whether the catalogue entry declares the observed query. */
export function matchesShape(observed: ObservedShape, entry: QueryShape): boolean {
  if (observed.collection !== entry.collection) return false;
  const findOne = entry.op === 'findOne' && observed.op === 'find' && observed.limit === 1;
  if (entry.op !== observed.op && !findOne) return false;
  if (
    (entry.op === 'find' || entry.op === 'aggregate') &&
    observed.limit > 0 !== (entry.limit === true)
  ) {
    return false;
  }
  for (const [field, op] of Object.entries(observed.filter)) {
    if (entry.filter[field]?.op !== op) return false;
  }
  for (const [field, c] of Object.entries(entry.filter)) {
    if (c.optional !== true && observed.filter[field] === undefined) return false;
  }
  return sameSort(observed.sort, Object.entries(entry.sort ?? {}));
}

/** One line for a message: `statements find {storeId: eq, order: range} sort {order: -1} limit 11`. */
export function describeShape(s: ObservedShape): string {
  const filter = Object.entries(s.filter)
    .map(([f, op]) => `${f}: ${op}`)
    .join(', ');
  const sort = s.sort.map(([f, d]) => `${f}: ${String(d)}`).join(', ');
  return (
    `${s.collection} ${s.op} {${filter}}` +
    (sort === '' ? '' : ` sort {${sort}}`) +
    (s.limit > 0 ? ` limit ${s.limit}` : '')
  );
}

/** A filter with values of the right operators for one combination of a shape (for `explain`). */
export function sampleFilter(variant: QueryVariant): Record<string, unknown> {
  const sample = (op: FilterOperator, maxValues: number | undefined): unknown => {
    switch (op) {
      case 'eq':
        return 'sample';
      case 'in':
        return maxValues === 1 ? ['sample'] : ['sample-a', 'sample-b'];
      case 'range':
        return { $gt: 'sample' };
      case 'ne':
        return { $ne: 'sample' };
      case 'nin':
        return { $nin: ['sample'] };
      case 'exists':
        return { $exists: true };
    }
  };
  return Object.fromEntries(
    [...variant.filter].map(([field, c]) => [field, sample(c.op, c.maxValues)]),
  );
}

/** Every `stage` of every winning plan in an explain result (classic, SBE, sharded). */
export function winningStages(explain: unknown): string[] {
  const stages: string[] = [];
  const collect = (node: unknown, inWinning: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) collect(item, inWinning);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'rejectedPlans') continue;
      if (inWinning && key === 'stage' && typeof value === 'string') stages.push(value);
      collect(value, inWinning || key === 'winningPlan');
    }
  };
  collect(explain, false);
  return stages;
}
