import t from 'tap';
import { assertValidStatements, SUPPORTED_VERSIONS } from '@cairn/xapi';
import {
  createDataset,
  mix,
  mulberry32,
  uuidFrom,
} from '../../../bench/lib/statement-generator.js';
import { QUERY_SHAPES, queryPaths } from '../../../bench/lib/query-shapes.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

t.test('the PRNG is deterministic and stays in [0, 1)', async (t) => {
  const a = mulberry32(7);
  const b = mulberry32(7);
  const values = Array.from({ length: 1000 }, () => a());
  t.same(
    values,
    Array.from({ length: 1000 }, () => b()),
  );
  t.ok(values.every((v) => v >= 0 && v < 1));
  t.not(mulberry32(8)(), mulberry32(7)());
  t.not(mix(1, 2), mix(2, 1));
  t.not(mix(1, 2 ** 32), mix(1, 0), 'high bits of large indexes count');
  t.match(uuidFrom(mulberry32(3)), UUID_V4);
});

t.test('statement i depends only on the seed and i', async (t) => {
  const one = createDataset({ seed: 42 });
  const two = createDataset({ seed: 42 });
  t.same(one.statement(12345), two.statement(12345));
  t.same(one.batch(10, 3), [one.statement(10), one.statement(11), one.statement(12)]);
  t.equal(one.statementId(99), one.statement(99).id);
  t.not(createDataset({ seed: 43 }).statementId(99), one.statementId(99));
  const ids = new Set(one.batch(0, 2000).map((s) => s.id));
  t.equal(ids.size, 2000, 'ids are distinct');
  t.ok([...ids].every((id) => id !== undefined && UUID_V4.test(id)));
  t.equal(one.statementId(1_000_000_123), one.statement(1_000_000_123).id);
});

t.test('generated statements are valid under every supported version', async (t) => {
  const batch = createDataset({ seed: 5 }).batch(0, 500);
  for (const version of SUPPORTED_VERSIONS) {
    t.equal(assertValidStatements(batch, version).length, 500, version);
  }
});

t.test(
  'the data look like traffic: several agents kinds, verbs, results, instructors',
  async (t) => {
    const batch = createDataset({ seed: 5 }).batch(0, 3000);
    t.ok(batch.some((s) => s.actor.mbox !== undefined));
    t.ok(batch.some((s) => s.actor.account !== undefined));
    t.ok(new Set(batch.map((s) => s.verb.id)).size >= 10);
    t.ok(new Set(batch.map((s) => ('id' in s.object ? s.object.id : ''))).size > 500);
    t.ok(batch.some((s) => s.result?.score !== undefined));
    t.ok(batch.some((s) => s.context?.instructor !== undefined));
    t.ok(batch.every((s) => s.context?.registration !== undefined));
  },
);

t.test('query paths are built from stored statements, deterministically', async (t) => {
  const dataset = createDataset({ seed: 9 });
  const plan = {
    dataset,
    seeded: 1000,
    storedFrom: new Date('2026-01-01T00:00:00Z'),
    storedTo: new Date('2026-01-01T00:10:00Z'),
    samples: 20,
    seed: 9,
  };
  for (const shape of QUERY_SHAPES) {
    if (shape === 'more') continue;
    const paths = queryPaths(shape, plan);
    t.equal(paths.length, 20, shape);
    t.same(paths, queryPaths(shape, plan), `${shape} is deterministic`);
    t.ok(
      paths.every((p) => p.startsWith('/xapi/statements?')),
      shape,
    );
  }
  const seededIds = new Set(dataset.batch(0, 1000).map((s) => s.id));
  for (const path of queryPaths('statementId', plan)) {
    t.ok(seededIds.has(new URL(path, 'http://x').searchParams.get('statementId') ?? ''));
  }
  const agent = new URL(queryPaths('agent', plan)[0] ?? '', 'http://x').searchParams.get('agent');
  t.ok(agent !== null && Object.keys(JSON.parse(agent) as object).length === 1, 'IFI only');
  const window = new URL(queryPaths('since+until', plan)[0] ?? '', 'http://x').searchParams;
  t.ok(Date.parse(window.get('since') ?? '') >= plan.storedFrom.getTime());
  t.ok(Date.parse(window.get('until') ?? '') <= plan.storedTo.getTime() + 60_000);
});
