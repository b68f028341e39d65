import t from 'tap';
import { statementBatchJobId, statementQueueName, statementQueueNames } from '@cairn/jobs';

t.test('queue names are Redis Cluster hash-tagged, one per partition', async (t) => {
  t.equal(statementQueueName(0), '{statements-p0}');
  t.same(statementQueueNames(3), ['{statements-p0}', '{statements-p1}', '{statements-p2}']);
  t.throws(() => statementQueueName(-1), RangeError);
});

t.test('batch job ids are deterministic and contain no colon', async (t) => {
  const job = { storeId: 'default', statementIds: ['6fa459ea-ee8a-3ca4-894e-db77e160355e', 'x'] };
  t.equal(statementBatchJobId(job), statementBatchJobId({ ...job }));
  t.notMatch(statementBatchJobId({ storeId: 'a:b', statementIds: ['c:d'] }), /:/);
});
