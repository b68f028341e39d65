import t from 'tap';
import fc from 'fast-check';
import { parsePartitions } from '@cairn/aggregator';

t.test('"all" or nothing means every partition', async (t) => {
  t.same(parsePartitions(undefined, 4), [0, 1, 2, 3]);
  t.same(parsePartitions('all', 2), [0, 1]);
});

t.test('lists and ranges, deduplicated and sorted', async (t) => {
  t.same(parsePartitions('6,0-3,2', 8), [0, 1, 2, 3, 6]);
});

t.test('a partition that does not exist is refused with the reason', async (t) => {
  t.throws(() => parsePartitions('0-8', 8), {
    message: 'partition 8 does not exist: CAIRN_PARTITIONS is 8',
  });
  t.throws(() => parsePartitions('3-1', 8), { message: 'bad partition range "3-1"' });
});

t.test('any split of the partitions across processes covers each exactly once', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 1, max: 8 }),
      (total, processes) => {
        // Process i takes the partitions p with p % processes === i, written as a list.
        const owned = Array.from({ length: processes }, (_, i) => {
          const mine = Array.from({ length: total }, (_, p) => p).filter(
            (p) => p % processes === i,
          );
          return mine.length === 0 ? [] : parsePartitions(mine.join(','), total);
        });
        const all = owned.flat().sort((a, b) => a - b);
        return JSON.stringify(all) === JSON.stringify(parsePartitions('all', total));
      },
    ),
  );
  t.pass('property held');
});
