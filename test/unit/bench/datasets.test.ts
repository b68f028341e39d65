import t from 'tap';
import { validateStatement } from '@cairn/xapi';
import { datasetFrom } from '../../../bench/lib/datasets.js';

// The benchmark's traffic comes from the simulator. The load generator runs in another process and
// rebuilds the same dataset from its spec, so statement i must depend only on the spec and i.

const spec = { kind: 'simulated', seed: 7, people: 6, days: 5 } as const;

t.test('a simulated dataset is random-access and the same in every process', async (t) => {
  const a = datasetFrom(spec);
  const b = datasetFrom(spec);
  t.ok((a.distinct ?? 0) > 50, 'a few days of a small organisation');
  t.ok(a.generation !== null && a.generation.statementsPerSec > 0, 'generation is timed');
  for (const i of [0, 1, 17, 1_000_000_000]) {
    t.strictSame(a.dataset.statement(i), b.dataset.statement(i));
    t.equal(a.dataset.statement(i).id, a.dataset.statementId(i));
  }
  const ids = new Set(a.dataset.batch(0, 500).map((s) => s.id));
  t.equal(ids.size, 500, 'every index has its own id, past the pool size too');
  t.not(datasetFrom({ ...spec, seed: 8 }).dataset.statementId(0), a.dataset.statementId(0));
});

t.test('its statements are valid xAPI and void nothing', async (t) => {
  const { dataset, distinct } = datasetFrom(spec);
  for (const s of dataset.batch(0, distinct ?? 0)) {
    const result = validateStatement(s, '2.0.0');
    if (!result.ok) t.fail(`${JSON.stringify(result.problems)} in ${JSON.stringify(s)}`);
    t.not(s.verb.id, 'http://adlnet.gov/expapi/verbs/voided');
  }
});

t.test('the synthetic dataset of issue 3 stays available', async (t) => {
  const { dataset, distinct, generation } = datasetFrom({ kind: 'synthetic', seed: 7 });
  t.equal(distinct, null);
  t.equal(generation, null);
  t.equal(dataset.statement(3).id, dataset.statementId(3));
});
