// Index correctness without `explain` (issue 17, item 5): every query shape of packages/store is
// judged against the declared indexes by MongoDB's rules, and the rules themselves are tested with
// shapes that must fail.
import t from 'tap';
import fc from 'fast-check';
import {
  COLLECTIONS,
  ID_INDEX,
  INDEXES,
  indexSpecOf,
  indexSpecsOf,
  judgeIndex,
  judgeShape,
  QUERY_CATALOGUE,
  shapeVariants,
  type FieldCondition,
  type IndexSpec,
  type QueryShape,
  type QueryVariant,
} from '@cairn/store';

t.test('every shape of the catalogue is served by its index', async (t) => {
  for (const shape of QUERY_CATALOGUE) {
    const verdict = judgeShape(shape, indexSpecsOf(shape.collection));
    if (shape.scan !== undefined) {
      t.equal(shape.index, 'none', `${shape.name}: a scan by design names no index`);
      t.comment(`SCAN BY DESIGN ${shape.name}: ${shape.scan}`);
      continue;
    }
    if (shape.gap !== undefined) {
      t.notOk(
        verdict.served,
        `${shape.name}: the known gap is still there (remove \`gap\` once fixed)`,
      );
      t.comment(`KNOWN GAP ${shape.name}: ${shape.gap}`);
      continue;
    }
    t.ok(verdict.served, `${shape.name} is served by ${shape.index}`, {
      problems: verdict.problems.slice(0, 10),
      // What each index of the collection does for the first failing combination, to pick one.
      others: verdict.served
        ? []
        : indexSpecsOf(shape.collection).map((ix) => {
            const v = judgeIndex(shapeVariants(shape)[0] as QueryVariant, ix);
            return `${ix.name}: ${v.served ? 'serves it' : v.problems.join('; ')}`;
          }),
    });
  }
});

t.test('the catalogue is well formed', async (t) => {
  const names = QUERY_CATALOGUE.map((s) => s.name);
  t.strictSame(
    names.filter((n, i) => names.indexOf(n) !== i),
    [],
    'names are unique',
  );
  const collections = new Set<string>(Object.values(COLLECTIONS));
  for (const shape of QUERY_CATALOGUE) {
    t.ok(collections.has(shape.collection), `${shape.name}: a collection of COLLECTIONS`);
    t.ok(
      shape.scan !== undefined ||
        indexSpecsOf(shape.collection).some((ix) => ix.name === shape.index),
      `${shape.name}: ${shape.index} is declared on ${shape.collection}`,
    );
    for (const [field, c] of Object.entries(shape.filter)) {
      if (c.maxValues !== undefined) t.equal(c.op, 'in', `${shape.name}: maxValues on $in only`);
      if (c.residual === true) t.equal(c.op, 'eq', `${shape.name}: ${field} residual is an eq`);
    }
    if (shape.memorySort !== undefined) {
      // A stale note hides nothing only if the sort is really done in memory.
      t.equal(
        judgeShape(shape, indexSpecsOf(shape.collection)).sort,
        'memory',
        `${shape.name}: memorySort is said only of a sort done in memory`,
      );
    }
  }
});

t.test('every declared index serves some shape of the catalogue', async (t) => {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    for (const description of indexes) {
      const name = indexSpecOf(description).name;
      t.ok(
        QUERY_CATALOGUE.some((s) => s.collection === collection && s.index === name),
        `${collection}.${name} is used (an index no query uses only costs writes)`,
      );
    }
  }
});

// The rules, on shapes built for them.

const EQ: FieldCondition = { op: 'eq' };
const IN: FieldCondition = { op: 'in' };
const RANGE: FieldCondition = { op: 'range' };

function index(name: string, key: Readonly<Record<string, 1 | -1>>): IndexSpec {
  return indexSpecOf({ name, key });
}

function shape(
  filter: Readonly<Record<string, FieldCondition>>,
  sort: Readonly<Record<string, 1 | -1>> | undefined,
  rest: Partial<QueryShape> = {},
): QueryShape {
  return {
    name: 'test',
    collection: COLLECTIONS.statements,
    op: 'find',
    filter,
    ...(sort === undefined ? {} : { sort }),
    index: 'ix',
    ...rest,
  };
}

/** The verdict of the one combination of a shape without optional fields. */
function judge(s: QueryShape, ix: IndexSpec) {
  const [variant] = shapeVariants(s);
  if (variant === undefined) throw new Error('no variant');
  return judgeIndex(variant, ix);
}

const STORE_VERB_ORDER = index('ix', { storeId: 1, verbId: 1, order: -1 });

t.test('served: equality prefix in any order, then the sort, then the range', async (t) => {
  const v = judge(
    shape({ verbId: EQ, storeId: EQ, order: RANGE }, { order: -1 }, { limit: true }),
    STORE_VERB_ORDER,
  );
  t.ok(v.served, 'served');
  t.equal(v.sort, 'index');
  t.strictSame(v.bounds, ['storeId', 'verbId', 'order']);

  const reversed = judge(shape({ storeId: EQ, verbId: EQ }, { order: 1 }), STORE_VERB_ORDER);
  t.ok(reversed.served, 'the sort reversed is read backwards');
  t.equal(reversed.sort, 'index');

  const rangeAfter = judge(
    shape({ a: EQ, r: RANGE }, { s: 1 }, { limit: true }),
    index('ix', { a: 1, s: 1, r: 1 }),
  );
  t.ok(rangeAfter.served, 'a range after the sort is checked on the keys');
  t.strictSame(rangeAfter.bounds, ['a', 'r'], 'in the range place of the rule');

  const pinnedSort = judge(
    shape({ storeId: EQ, verbId: EQ }, { verbId: 1, order: -1 }, { limit: true }),
    STORE_VERB_ORDER,
  );
  t.ok(pinnedSort.served, 'a sort field pinned to one value needs no place');
  t.equal(pinnedSort.sort, 'index');
});

t.test('not served: a sort field before an equality field', async (t) => {
  const v = judge(
    shape({ storeId: EQ, verbId: EQ }, { order: -1 }, { limit: true }),
    index('ix', { storeId: 1, order: -1, verbId: 1 }),
  );
  t.notOk(v.served);
  t.match(v.problems.join('\n'), /equality field verbId comes after the sort/);
  t.match(v.problems.join('\n'), /eq field verbId does not bound the scan/);

  const leading = judge(
    shape({ storeId: EQ }, { order: -1 }, { limit: true }),
    index('ix', { order: -1, storeId: 1 }),
  );
  t.notOk(leading.served, 'an index led by the sort field is read whole');
  t.match(leading.problems.join('\n'), /its first field, order, is not pinned/);
});

t.test('not served: a missing prefix', async (t) => {
  const v = judge(shape({ verbId: EQ }, { order: -1 }, { limit: true }), STORE_VERB_ORDER);
  t.notOk(v.served);
  t.match(v.problems.join('\n'), /its first field, storeId, is not pinned/);

  const gap = judge(
    shape({ storeId: EQ }, { order: -1 }, { limit: true }),
    index('ix', { storeId: 1, voided: 1, order: -1 }),
  );
  t.notOk(gap.served, 'an unpinned field between the equality fields and the sort');
  t.match(gap.problems.join('\n'), /index field voided, not pinned by the filter, comes before/);

  const notInIndex = judge(shape({ storeId: EQ, kind: EQ }, undefined), STORE_VERB_ORDER);
  t.notOk(notInIndex.served, 'a field the shape always has, not in the index');
  t.match(notInIndex.problems.join('\n'), /eq field kind does not bound the scan/);
  const residual = judge(
    shape({ storeId: EQ, kind: { op: 'eq', residual: true } }, undefined),
    STORE_VERB_ORDER,
  );
  t.ok(residual.served, 'unless the shape says it is residual');
});

t.test('not served: a range before the sort', async (t) => {
  const ix = index('ix', { storeId: 1, stored: 1, order: -1 });
  const s = shape({ storeId: EQ, stored: RANGE }, { order: -1 });
  const limited = judgeIndex(shapeVariants({ ...s, limit: true })[0] as QueryVariant, ix);
  t.notOk(limited.served);
  t.equal(limited.sort, 'memory');
  t.match(
    limited.problems.join('\n'),
    /sorts in memory with a limit \(range field stored comes before sort field order\)/,
  );
  t.notOk(judge(s, ix).served, 'without a limit, only with a reason');
  t.ok(judge({ ...s, memorySort: 'few documents' }, ix).served, 'given one, served');
});

t.test('a sort in the wrong mix of directions is a sort in memory', async (t) => {
  const v = judge(
    shape({ a: EQ }, { b: 1, c: 1 }, { limit: true }),
    index('ix', { a: 1, b: 1, c: -1 }),
  );
  t.notOk(v.served);
  t.equal(v.sort, 'memory');
});

t.test('$in: equality for bounds; a sort after it merges only a declared few', async (t) => {
  const ix = index('ix', { storeId: 1, agent: 1, order: -1 });
  const unbounded = judge(shape({ storeId: EQ, agent: IN }, { order: -1 }, { limit: true }), ix);
  t.notOk(unbounded.served, 'values not declared: a sort in memory');
  t.match(unbounded.problems.join('\n'), /follows an \$in of unbounded values/);

  const few = judge(
    shape({ storeId: EQ, agent: { op: 'in', maxValues: 3 } }, { order: -1 }, { limit: true }),
    ix,
  );
  t.ok(few.served);
  t.equal(few.sort, 'merge');

  const many = judge(
    shape({ storeId: EQ, agent: { op: 'in', maxValues: 500 } }, { order: -1 }, { limit: true }),
    ix,
  );
  t.notOk(many.served, 'more than MongoDB merges');

  const noSort = judge(shape({ storeId: EQ, agent: IN }, undefined), ix);
  t.ok(noSort.served, 'without a sort, an $in is as good as equality');

  const onSortField = judge(
    shape({ storeId: EQ, personId: IN }, { personId: 1, _id: 1 }, { limit: true }),
    index('ix', { storeId: 1, personId: 1, _id: 1 }),
  );
  t.ok(onSortField.served, 'an $in on the sort field itself is index order');
  t.equal(onSortField.sort, 'index');
});

t.test('_id equality and $in are served by the _id index', async (t) => {
  t.ok(judge(shape({ _id: EQ, storeId: EQ, state: EQ }, undefined), ID_INDEX).served);
  const keys = judge(shape({ _id: IN }, { order: -1 }, { limit: true }), ID_INDEX);
  t.ok(keys.served, 'sorting a lookup by keys is bounded by the keys');
  t.equal(keys.sort, 'memory');
  t.notOk(judge(shape({ _id: RANGE, storeId: EQ }, undefined), ID_INDEX).served);
});

t.test('an empty filter: served only in the order of an index', async (t) => {
  const ix = index('ix', { createdAt: 1, _id: 1 });
  t.ok(judge(shape({}, { createdAt: 1, _id: 1 }), ix).served);
  t.notOk(judge(shape({}, undefined), ix).served, 'no filter, no sort: the whole collection');
});

t.test('every combination of optional fields is judged', async (t) => {
  const s = shape({ a: EQ, b: { op: 'eq', optional: true } }, { s: 1 }, { limit: true });
  t.equal(shapeVariants(s).length, 2);
  const ix = { name: 'ix', key: index('ix', { a: 1, b: 1, s: 1 }).key };
  const verdict = judgeShape({ ...s, index: 'ix' }, [ix]);
  t.notOk(verdict.served, 'without b, the index cannot give the sort');
  t.equal(verdict.problems.length, 1);
  t.match(verdict.problems[0], /^test: ix: sorts in memory/);
  t.notOk(judgeShape({ ...s, index: 'nope' }, [ix]).served, 'an index that does not exist');
});

t.test('a key without order (hashed) bounds equality only', async (t) => {
  const ix = indexSpecOf({ name: 'ix', key: new Map([['storeId', 'hashed']]) });
  t.strictSame(ix.key, [{ field: 'storeId', direction: null }]);
  t.ok(judge(shape({ storeId: EQ }, undefined), ix).served);
  t.notOk(judge(shape({ storeId: RANGE }, undefined), ix).served);
});

// Properties: what must not change a verdict.

const FIELDS = ['a', 'b', 'c', 'd'] as const;
const arbCondition = fc.constantFrom<FieldCondition>(
  EQ,
  IN,
  RANGE,
  { op: 'in', maxValues: 4 },
  { op: 'ne' },
);
const arbDirection = fc.constantFrom<1 | -1>(1, -1);
const arbCase = fc.record({
  filter: fc.dictionary(fc.constantFrom(...FIELDS), arbCondition, { maxKeys: 4 }),
  sort: fc.uniqueArray(fc.tuple(fc.constantFrom(...FIELDS), arbDirection), {
    maxLength: 2,
    selector: ([f]) => f,
  }),
  key: fc.uniqueArray(fc.tuple(fc.constantFrom(...FIELDS), arbDirection), {
    minLength: 1,
    maxLength: 4,
    selector: ([f]) => f,
  }),
  limit: fc.boolean(),
});

function caseOf(c: {
  filter: Record<string, FieldCondition>;
  sort: [string, 1 | -1][];
  key: [string, 1 | -1][];
  limit: boolean;
}): { variant: QueryVariant; ix: IndexSpec } {
  return {
    variant: {
      label: 'p',
      filter: new Map(Object.entries(c.filter)),
      sort: c.sort,
      limit: c.limit,
    },
    ix: index('ix', Object.fromEntries(c.key)),
  };
}

t.test('property: reversing the sort, or reordering the filter, changes nothing', async (t) => {
  fc.assert(
    fc.property(arbCase, (c) => {
      const { variant, ix } = caseOf(c);
      const verdict = judgeIndex(variant, ix);
      const reversed = judgeIndex(
        { ...variant, sort: variant.sort.map(([f, d]) => [f, d === 1 ? -1 : 1] as const) },
        ix,
      );
      const reordered = judgeIndex(
        { ...variant, filter: new Map([...variant.filter].reverse()) },
        ix,
      );
      return (
        reversed.served === verdict.served &&
        reversed.sort === verdict.sort &&
        reordered.served === verdict.served &&
        reordered.sort === verdict.sort
      );
    }),
  );
  t.pass('held for every generated case');
});

t.test('property: an index served with a limit is served without one', async (t) => {
  fc.assert(
    fc.property(arbCase, (c) => {
      const { variant, ix } = caseOf({ ...c, limit: true });
      return !judgeIndex(variant, ix).served || judgeIndex({ ...variant, limit: false }, ix).served;
    }),
  );
  t.pass('held for every generated case');
});
