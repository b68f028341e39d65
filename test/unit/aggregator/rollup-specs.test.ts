// The analytics core's roll-up families and the store's collections describe the same roll-ups:
// the worker hands one's keys and sums to the other (workers/aggregator/src/reconcile-evidence.ts),
// so a field added on one side only would be lost or misplaced without this check.
import t from 'tap';
import { OUTCOME_BIN_FIELDS as BINS, ROLLUP_FAMILIES } from '@cairn/analytics';
import { OUTCOME_BIN_FIELDS, ROLLUP_SPECS, TOTAL_FIELDS } from '@cairn/store';

t.test(
  'every family of the analytics core is a roll-up of the store, field for field',
  async (t) => {
    t.strictSame(
      ROLLUP_FAMILIES.map((f) => f.name).sort(),
      Object.keys(ROLLUP_SPECS).sort(),
      'the same families',
    );
    for (const family of ROLLUP_FAMILIES) {
      const spec = ROLLUP_SPECS[family.name];
      t.strictSame(family.keyFields, ['store', ...spec.keyFields], `${family.name}: key`);
      t.strictSame(family.sumFields, spec.sumFields, `${family.name}: sums`);
    }
    t.strictSame(ROLLUP_SPECS.skillDays.sumFields, TOTAL_FIELDS, 'the buckets keep their fields');
    t.strictSame(OUTCOME_BIN_FIELDS, BINS, 'the same histogram bins');
  },
);

t.test('a read path filters only on its own field, later paths and the extra fields', async (t) => {
  for (const spec of Object.values(ROLLUP_SPECS)) {
    for (const path of spec.reads) {
      if (path.field !== null)
        t.equal(
          Object.keys(path.indexKey)[1],
          path.field,
          `${spec.name}.${path.name}: its index leads with it`,
        );
      t.ok(spec.keyFields.includes(path.field ?? 'day'), `${spec.name}.${path.name}: a key field`);
    }
    if (spec.reads.length > 0) t.equal(spec.reads.at(-1)?.field, null, `${spec.name}: ends by day`);
  }
});
