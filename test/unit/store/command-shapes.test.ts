// The reader of driver commands that the query-shapes integration test relies on: what it reads
// from each command, how it matches catalogue entries, and what it finds in explain results.
import t from 'tap';
import { COLLECTIONS, shapeVariants, type QueryShape, type QueryVariant } from '@cairn/store';
import {
  describeShape,
  filterBranches,
  filterShape,
  matchesShape,
  sampleFilter,
  shapesOfCommand,
  winningStages,
} from '../../helpers/command-shapes.js';

t.test('filters: each field and its operator class', async (t) => {
  t.strictSame(
    filterShape({
      storeId: 's',
      stored: new Date(0),
      registration: null,
      pipeline: { state: 'pending' },
      _id: { $in: ['a'] },
      order: { $gt: 'a', $lte: 'b' },
      ops: { $nin: ['x'] },
      authorityKey: { $eq: 'k' },
      voided: { $ne: true },
      refStatementId: { $exists: true },
      tags: { $elemMatch: { a: 1 } },
      mixed: { $in: ['a'], $gt: 'b' },
    }),
    {
      storeId: 'eq',
      stored: 'eq',
      registration: 'eq',
      pipeline: 'eq',
      _id: 'in',
      order: 'range',
      ops: 'nin',
      authorityKey: 'eq',
      voided: 'ne',
      refStatementId: 'exists',
      tags: '$elemMatch',
      mixed: 'in+range',
    },
  );
  t.strictSame(filterShape({ $and: [{ a: 1 }, { b: { $in: [1] } }], $or: [] }), {
    a: 'eq',
    b: 'in',
    $or: 'unsupported',
  });
  t.strictSame(filterShape(undefined), {});
});

t.test(
  'a top-level $or is one index scan per branch, each with the fields outside it',
  async (t) => {
    t.strictSame(
      filterBranches({
        storeId: 's',
        order: { $lt: 'x' },
        $or: [{ verbId: 'v', agentKeys: 'a' }, { isStatementRef: true }],
      }),
      [
        { storeId: 'eq', order: 'range', verbId: 'eq', agentKeys: 'eq' },
        { storeId: 'eq', order: 'range', isStatementRef: 'eq' },
      ],
    );
    t.strictSame(filterBranches({ a: 1 }), [{ a: 'eq' }], 'no $or: the filter itself');
    t.strictSame(
      shapesOfCommand('find', {
        find: 'statements',
        filter: { storeId: 's', $or: [{ verbId: 'v' }, { isStatementRef: true }] },
        sort: { order: -1 },
      })?.map((shape) => shape.filter),
      [
        { storeId: 'eq', verbId: 'eq' },
        { storeId: 'eq', isStatementRef: 'eq' },
      ],
      'a find with $or gives a shape per branch',
    );
  },
);

t.test('commands: the shapes each one carries', async (t) => {
  t.strictSame(
    shapesOfCommand('find', {
      find: 'statements',
      filter: { storeId: 's' },
      sort: new Map([['order', -1]]),
      limit: 11,
    }),
    [
      {
        collection: 'statements',
        op: 'find',
        filter: { storeId: 'eq' },
        sort: [['order', -1]],
        limit: 11,
      },
    ],
  );
  t.match(
    shapesOfCommand('aggregate', {
      aggregate: 'evidence',
      pipeline: [{ $match: { storeId: 's' } }, { $group: { _id: 1, n: { $sum: 1 } } }],
    }),
    [{ op: 'countDocuments', filter: { storeId: 'eq' }, limit: 0 }],
  );
  t.match(
    shapesOfCommand('aggregate', {
      aggregate: 'evidence',
      pipeline: [{ $match: { a: 1 } }, { $sort: { b: 1 } }, { $limit: 5 }],
    }),
    [{ op: 'aggregate', filter: { a: 'eq' }, sort: [['b', 1]], limit: 5 }],
  );
  t.match(
    shapesOfCommand('update', {
      update: 'skill_days',
      updates: [
        { q: { _id: 'a' }, u: { $inc: { n: 1 } }, upsert: true },
        { q: { _id: { $in: ['a'] } }, u: { $set: { x: 1 } }, multi: true },
        { q: { _id: 'b' }, u: { storeId: 's', n: 1 } },
      ],
    }),
    [{ op: 'updateOne' }, { op: 'updateMany', filter: { _id: 'in' } }, { op: 'replaceOne' }],
  );
  t.match(
    shapesOfCommand('delete', {
      delete: 'documents',
      deletes: [
        { q: { _id: 'a' }, limit: 1 },
        { q: { storeId: 's' }, limit: 0 },
      ],
    }),
    [{ op: 'deleteOne' }, { op: 'deleteMany' }],
  );
  t.match(
    shapesOfCommand('findAndModify', {
      findAndModify: 'stores',
      query: { _id: 'a' },
      update: { $set: { n: 1 } },
    }),
    [{ collection: 'stores', op: 'findOneAndUpdate', filter: { _id: 'eq' } }],
  );
  t.strictSame(shapesOfCommand('insert', { insert: 'statements', documents: [] }), []);
  t.equal(
    shapesOfCommand('mapReduce', { mapReduce: 'statements' }),
    undefined,
    'unknown: looked at',
  );
});

const ENTRY: QueryShape = {
  name: 'test',
  collection: COLLECTIONS.statements,
  op: 'find',
  filter: { storeId: { op: 'eq' }, order: { op: 'range', optional: true } },
  sort: { order: -1 },
  limit: true,
  index: 'store_latest',
};
const observed = (over: Partial<Parameters<typeof matchesShape>[0]> = {}) => ({
  collection: 'statements',
  op: 'find' as const,
  filter: { storeId: 'eq' },
  sort: [['order', -1] as const],
  limit: 11,
  ...over,
});

t.test('matching: a query matches the entry that declares it', async (t) => {
  t.ok(matchesShape(observed(), ENTRY));
  t.ok(matchesShape(observed({ filter: { storeId: 'eq', order: 'range' } }), ENTRY), 'optional');
  t.ok(matchesShape(observed({ sort: [['order', 1]] }), ENTRY), 'the sort reversed');
  t.notOk(matchesShape(observed({ filter: {} }), ENTRY), 'a field the entry requires');
  t.notOk(matchesShape(observed({ filter: { storeId: 'in' } }), ENTRY), 'another operator');
  t.notOk(matchesShape(observed({ filter: { storeId: 'eq', x: 'eq' } }), ENTRY), 'a field more');
  t.notOk(matchesShape(observed({ sort: [] }), ENTRY), 'another sort');
  t.notOk(matchesShape(observed({ limit: 0 }), ENTRY), 'no limit where the entry has one');
  t.notOk(matchesShape(observed({ collection: 'evidence' }), ENTRY), 'another collection');
  const findOne: QueryShape = { ...ENTRY, op: 'findOne', sort: {}, filter: { _id: { op: 'eq' } } };
  t.ok(matchesShape(observed({ filter: { _id: 'eq' }, sort: [], limit: 1 }), findOne));
  t.notOk(matchesShape(observed({ filter: { _id: 'eq' }, sort: [], limit: 0 }), findOne));
  t.equal(
    describeShape(observed({ filter: { storeId: 'eq', order: 'range' } })),
    'statements find {storeId: eq, order: range} sort {order: -1} limit 11',
  );
});

t.test('explain: sample filters and the stages of the winning plan', async (t) => {
  const [, withOrder] = shapeVariants(ENTRY) as [QueryVariant, QueryVariant];
  t.strictSame(sampleFilter(withOrder), { storeId: 'sample', order: { $gt: 'sample' } });
  const ixscan = { stage: 'IXSCAN', indexName: 'store_latest' };
  const classic = {
    queryPlanner: {
      winningPlan: { stage: 'LIMIT', inputStage: { stage: 'FETCH', inputStage: ixscan } },
      rejectedPlans: [{ stage: 'COLLSCAN' }],
    },
  };
  t.strictSame(winningStages(classic), ['LIMIT', 'FETCH', 'IXSCAN'], 'rejected plans left out');
  const sbe = {
    queryPlanner: {
      winningPlan: {
        queryPlan: { stage: 'SORT', inputStage: { stage: 'COLLSCAN' } },
        slotBasedPlan: { stages: '...' },
      },
    },
  };
  t.strictSame(winningStages(sbe), ['SORT', 'COLLSCAN']);
  const sharded = {
    queryPlanner: {
      winningPlan: {
        stage: 'SHARD_MERGE',
        shards: [{ winningPlan: { stage: 'FETCH', inputStage: ixscan } }, { winningPlan: ixscan }],
      },
    },
  };
  t.strictSame(winningStages(sharded), ['SHARD_MERGE', 'FETCH', 'IXSCAN', 'IXSCAN']);
});
