import type { IndexDescription } from 'mongodb';
import { INDEXES } from './indexes.js';
import type { FieldCondition, QueryShape } from './query-catalogue.js';

/*
 * Whether an index serves a query shape, decided from the shape and the index's key alone, by the
 * rules MongoDB's planner follows (the "equality, sort, range" rule):
 *
 * - the scan is bounded only from the index's first field on: the leading fields must be fields
 *   the filter pins (equality or `$in`), in any order; the first field at least must be in the
 *   filter, or the index is read whole;
 * - the index gives the sort when the sort's fields come next, in index order, all in the index's
 *   direction or all reversed. A sort field the filter pins to one value needs no place in the
 *   index (it is constant), and the pinned fields may stand anywhere before the sort;
 * - a range (`$gt`...) bounds the scan when its field comes right after the equality fields, or
 *   is itself the sort field; a range field before the sort fields means a sort in memory;
 * - an equality field that the index holds after the sort fields is read key by key over the
 *   sort's whole span instead of bounding it: refused, as the rule puts equality first;
 * - `$in` bounds like equality. A sort after an `$in` is not index order: MongoDB reads one scan
 *   per value and merges them in order (SORT_MERGE), as long as the scans are at most
 *   internalQueryMaxScansToExplode (200 by default); beyond that it sorts in memory. So a sort
 *   after an `$in` is served only when the shape declares how many values the code passes;
 * - an `$in` on the sort's own first field is index order (the scan visits the values in order);
 * - the `_id` index serves every `_id` equality or `$in`, and a lookup by keys returns at most one
 *   document per key, so sorting those in memory is bounded by the caller;
 * - a sort in memory reads every matching document before any limit applies, so it is refused
 *   with a limit, and without one only where the shape says why what it returns is small;
 * - a sort on an array field is never index order. The rules do not know which fields hold
 *   arrays; none of Cairn's sort fields does.
 *
 * Residual fields (in the filter, not bounding the scan) are fine: they are checked on the keys
 * or the documents read. Whether the planner picks this index over another is not judged: each
 * shape names its index, and `explain` on a real MongoDB checks the choice
 * (test/integration/store/query-shapes.test.ts).
 */

/** MongoDB's default `internalQueryMaxScansToExplode`: most `$in` scans merged for a sort. */
export const MAX_MERGED_SCANS = 200;

/** One field of an index key. */
export interface IndexField {
  readonly field: string;
  /** 1 or -1; null for a key that has no order (hashed, text, geo): no sort, no range. */
  readonly direction: 1 | -1 | null;
}

/** An index as the rules see it: its name and key. */
export interface IndexSpec {
  readonly name: string;
  readonly key: readonly IndexField[];
}

/** The index every collection has. */
export const ID_INDEX: IndexSpec = { name: '_id_', key: [{ field: '_id', direction: 1 }] };

/** An index declaration (indexes.ts) as the rules see it. */
export function indexSpecOf(description: IndexDescription): IndexSpec {
  const fields =
    description.key instanceof Map
      ? [...description.key.entries()]
      : Object.entries(description.key);
  const key = fields.map(([field, direction]): IndexField => ({
    field,
    direction: direction === 1 ? 1 : direction === -1 ? -1 : null,
  }));
  return { name: description.name ?? key.map((k) => k.field).join('_'), key };
}

/** The indexes of a collection: `_id_` and those declared in `declared` (default: INDEXES). */
export function indexSpecsOf(
  collection: string,
  declared: Readonly<Record<string, readonly IndexDescription[]>> = INDEXES,
): IndexSpec[] {
  return [ID_INDEX, ...(declared[collection] ?? []).map(indexSpecOf)];
}

/** One combination of a shape's optional fields: a query as the code sends it. */
export interface QueryVariant {
  /** The shape's name and which optional fields are present, for messages. */
  readonly label: string;
  readonly filter: ReadonlyMap<string, FieldCondition>;
  readonly sort: readonly (readonly [string, 1 | -1])[];
  readonly limit: boolean;
  /** The shape's reason for a sort in memory, if it gives one. */
  readonly memorySort?: string;
}

/** Most optional fields a shape may have: every combination is judged. */
const MAX_OPTIONAL_FIELDS = 12;

/** Every combination of the shape's optional fields, each a query the code may send. */
export function shapeVariants(shape: QueryShape): QueryVariant[] {
  const fields = Object.entries(shape.filter);
  const optional = fields.filter(([, c]) => c.optional === true).map(([f]) => f);
  if (optional.length > MAX_OPTIONAL_FIELDS) {
    throw new Error(`${shape.name}: more than ${MAX_OPTIONAL_FIELDS} optional fields`);
  }
  const sort = Object.entries(shape.sort ?? {});
  const variants: QueryVariant[] = [];
  for (let mask = 0; mask < 2 ** optional.length; mask++) {
    const present = optional.filter((_, i) => (mask & (2 ** i)) !== 0);
    const filter = new Map(fields.filter(([f, c]) => c.optional !== true || present.includes(f)));
    variants.push({
      label: present.length === 0 ? shape.name : `${shape.name} with ${present.join(', ')}`,
      filter,
      sort,
      limit: shape.limit === true,
      ...(shape.memorySort === undefined ? {} : { memorySort: shape.memorySort }),
    });
  }
  return variants;
}

/** How the results come out in the requested order. */
export type SortMethod = 'none' | 'index' | 'merge' | 'memory';

/** What one index does for one query. */
export interface IndexVerdict {
  readonly index: string;
  readonly served: boolean;
  /**
   * The index's fields that the filter bounds in their place by the rule (equality, sort, range),
   * in index order; the first one is the index's first field when the index serves the filter.
   */
  readonly bounds: readonly string[];
  /** The filter's other fields: checked on the keys or documents read. */
  readonly residual: readonly string[];
  readonly sort: SortMethod;
  /** Why it is not served; empty when it is. */
  readonly problems: readonly string[];
}

const pins = (c: FieldCondition | undefined): boolean => c?.op === 'eq' || c?.op === 'in';

/** Judges one query against one index by the rules above. */
export function judgeIndex(variant: QueryVariant, index: IndexSpec): IndexVerdict {
  const { filter } = variant;
  const { key } = index;
  // A sort field pinned to one value is constant: any order serves it.
  const sort = variant.sort.filter(([f]) => filter.get(f)?.op !== 'eq');
  const problems: string[] = [];
  const bounds: string[] = [];
  let scans = 1;
  let unknownScans = false;
  let i = 0;
  // 1. Equality: fields the filter pins, up to the first sort field.
  for (; i < key.length; i++) {
    const { field } = key[i] as IndexField;
    const c = filter.get(field);
    if (sort.length > 0 && field === sort[0]?.[0]) break;
    if (!pins(c)) break;
    bounds.push(field);
    if (c?.op === 'in') {
      if (c.maxValues === undefined) unknownScans = true;
      else scans *= c.maxValues;
    }
  }
  const equalityEnd = i;
  // 2. Sort: its fields next, one direction throughout (or all reversed).
  let matched = 0;
  let sign = 0;
  for (; matched < sort.length && i < key.length; matched++, i++) {
    const at = key[i] as IndexField;
    const [field, direction] = sort[matched] ?? ['', 1];
    if (at.field !== field || at.direction === null) break;
    const s = at.direction === direction ? 1 : -1;
    if (sign !== 0 && s !== sign) break;
    sign = s;
    const c = filter.get(field);
    if (pins(c) || c?.op === 'range') bounds.push(field);
  }
  const sortInIndex = matched === sort.length;
  // 3. Range: the next field. After an unbounded sort field it narrows nothing, but its keys are
  // checked in the index, not on documents: the "range" of the rule.
  const next = key[i];
  if (next !== undefined && next.direction !== null && filter.get(next.field)?.op === 'range') {
    bounds.push(next.field);
  }

  const keyed = pins(filter.get('_id'));
  if (filter.size > 0 && !bounds.includes(key[0]?.field ?? '')) {
    const first = key[0]?.field ?? '';
    problems.push(
      `${index.name}: its first field, ${first}, is not pinned or ranged by the filter`,
    );
  } else if (!keyed) {
    // Every field the shape always filters on bounds the scan, unless it says it need not.
    for (const [field, c] of filter) {
      if (c.optional === true || c.residual === true || bounds.includes(field)) continue;
      if (c.op !== 'eq' && c.op !== 'in' && c.op !== 'range') continue;
      problems.push(`${index.name}: ${c.op} field ${field} does not bound the scan`);
    }
  }
  if (filter.size === 0 && sort.length === 0) {
    problems.push(`${index.name}: an empty filter without a sort reads the whole collection`);
  }

  let method: SortMethod;
  if (sort.length === 0) method = 'none';
  else if (sortInIndex && scans === 1 && !unknownScans) method = 'index';
  else if (sortInIndex && !unknownScans && scans <= MAX_MERGED_SCANS) method = 'merge';
  else method = 'memory';

  if (sort.length > 0 && sortInIndex) {
    // Equality fields the index holds after the sort: read over the whole span of the sort.
    for (const later of key.slice(i)) {
      if (pins(filter.get(later.field))) {
        problems.push(
          `${index.name}: equality field ${later.field} comes after the sort in the index`,
        );
      }
    }
  }
  if (method === 'memory' && !keyed) {
    const why = sortInIndex
      ? `the sort follows an $in of ${unknownScans ? 'unbounded' : String(scans)} values ` +
        `(merged in order only up to ${MAX_MERGED_SCANS}; declare maxValues)`
      : sortGap(sort[matched]?.[0] ?? '', key, equalityEnd, filter);
    if (variant.limit) {
      problems.push(`${index.name}: sorts in memory with a limit (${why})`);
    } else if (variant.memorySort === undefined) {
      problems.push(`${index.name}: sorts in memory (${why}); say why that is small, or fix it`);
    }
  }
  return {
    index: index.name,
    served: problems.length === 0,
    bounds,
    residual: [...filter.keys()].filter((f) => !bounds.includes(f)),
    sort: method,
    problems,
  };
}

/** Why the index cannot give the sort on `field`: what stands in its place. */
function sortGap(
  field: string,
  key: readonly IndexField[],
  equalityEnd: number,
  filter: ReadonlyMap<string, FieldCondition>,
): string {
  const at = key.findIndex((k) => k.field === field);
  if (at < 0) return `sort field ${field} is not in the index`;
  const blocking = key.slice(equalityEnd, at).find((k) => !pins(filter.get(k.field)));
  if (blocking !== undefined) {
    const c = filter.get(blocking.field);
    return c?.op === 'range'
      ? `range field ${blocking.field} comes before sort field ${field}`
      : `index field ${blocking.field}, not pinned by the filter, comes before sort field ${field}`;
  }
  if (at < equalityEnd) return `the index holds sort field ${field} before the sort's first field`;
  return `the sort's fields are not in index order or direction at ${field}`;
}

/** The judgement of a whole shape: every variant against its declared index. */
export interface ShapeVerdict {
  readonly shape: string;
  readonly served: boolean;
  /** Every variant's problems, each prefixed by the variant. */
  readonly problems: readonly string[];
  /** The sort method of the declared index, the worst of the variants'. */
  readonly sort: SortMethod;
}

const SORT_RANK: Readonly<Record<SortMethod, number>> = { none: 0, index: 1, merge: 2, memory: 3 };

/** Judges a shape: served when its declared index serves every combination of its fields. */
export function judgeShape(shape: QueryShape, indexes: readonly IndexSpec[]): ShapeVerdict {
  if (shape.scan !== undefined)
    return { shape: shape.name, served: true, problems: [], sort: 'none' };
  const variants = shapeVariants(shape);
  const declared = indexes.find((ix) => ix.name === shape.index);
  if (declared === undefined) {
    return {
      shape: shape.name,
      served: false,
      problems: [`${shape.name}: no index ${shape.index} on ${shape.collection}`],
      sort: 'memory',
    };
  }
  const problems: string[] = [];
  let sort: SortMethod = 'none';
  for (const v of variants) {
    const verdict = judgeIndex(v, declared);
    if (SORT_RANK[verdict.sort] > SORT_RANK[sort]) sort = verdict.sort;
    for (const p of verdict.problems) problems.push(`${v.label}: ${p}`);
  }
  return { shape: shape.name, served: problems.length === 0, problems, sort };
}
