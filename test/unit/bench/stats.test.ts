import t from 'tap';
import { percentile, ratio, round, summarize } from '../../../bench/lib/stats.js';
import { cellText, table } from '../../../bench/lib/table.js';

t.test('percentile uses the nearest rank', async (t) => {
  const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  t.equal(percentile(sorted, 50), 5);
  t.equal(percentile(sorted, 90), 9);
  t.equal(percentile(sorted, 99), 10);
  t.equal(percentile(sorted, 100), 10);
  t.equal(percentile(sorted, 0.1), 1);
  t.equal(percentile([42], 99), 42);
  t.ok(Number.isNaN(percentile([], 50)));
  t.throws(() => percentile(sorted, 0), RangeError);
  t.throws(() => percentile(sorted, 101), RangeError);
});

t.test('summarize sorts numerically and leaves its input alone', async (t) => {
  const values = [10, 9, 100, 1, 2];
  const s = summarize(values);
  t.same(s, { count: 5, mean: 24.4, p50: 9, p90: 100, p99: 100, max: 100 });
  t.same(values, [10, 9, 100, 1, 2]);
  const empty = summarize([]);
  t.equal(empty.count, 0);
  t.ok(Number.isNaN(empty.mean) && Number.isNaN(empty.p99) && Number.isNaN(empty.max));
});

t.test('ratio and round', async (t) => {
  t.equal(ratio(1, 4), 0.25);
  t.ok(Number.isNaN(ratio(1, 0)));
  t.equal(round(123456, 3), 123000);
  t.equal(round(0.0012345, 2), 0.0012);
  t.equal(round(0), 0);
  t.ok(Number.isNaN(round(Number.NaN)));
});

t.test('table aligns columns, numbers to the right', async (t) => {
  t.equal(cellText(null), '-');
  t.equal(cellText(Number.NaN), '-');
  t.equal(cellText(12345.6), '12,346');
  t.equal(cellText(0.123456), '0.123');
  t.equal(
    table(
      ['step', 'req/s'],
      [
        ['a', 5],
        ['longer', 1234],
      ],
    ),
    ['step    req/s', '------  -----', 'a           5', 'longer  1,234'].join('\n'),
  );
});
