// Pipeline metrics (docs/pipeline.md, Metrics): queue counts and the oldest waiting job from
// BullMQ, lag percentiles from recorded samples, the outbox from MongoDB; as JSON on
// GET /admin/v1/pipeline and as Prometheus text on GET /metrics.
import t from 'tap';
import { Queue } from 'bullmq';
import {
  createStatementBatchQueue,
  LAG_WINDOW_MS,
  recordLag,
  STATEMENT_DONE_QUEUE,
  STATEMENT_INTAKE_QUEUE,
  statementQueueName,
} from '@cairn/jobs';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';
import {
  parsePrometheus,
  pipelineTestApp,
  poisonWorker,
  postBatch,
  sampleValue,
  type PipelineTestApp,
} from './pipeline-fixtures.js';

const STORE = 'default';

/** Two intake jobs: one fails for good (a poison worker), one then waits (the worker gone). */
async function oneFailedOneWaiting(t: Teardown, r: PipelineTestApp): Promise<void> {
  const queue = createStatementBatchQueue({ connection: r.redis, prefix: r.queuePrefix });
  t.teardown(() => queue.close());
  const poison = await poisonWorker(t, r, STATEMENT_INTAKE_QUEUE);
  await queue.enqueue({ storeId: STORE, statementIds: ['a'] });
  const intake = new Queue(STATEMENT_INTAKE_QUEUE, { connection: r.redis, prefix: r.queuePrefix });
  t.teardown(() => intake.close());
  await pollUntil('the first job to fail', async () =>
    (await intake.getFailedCount()) === 1 ? true : undefined,
  );
  await poison.close();
  await queue.enqueue({ storeId: STORE, statementIds: ['b', 'c'] });
}

t.test('queue figures reflect enqueued and failed jobs', async (t) => {
  const r = await pipelineTestApp(t);
  const before = await r.monitor.metrics();
  t.strictSame(
    before.queues.map((q) => q.queue),
    ['intake', 'p0', 'p1', 'p2', 'p3', 'done', 'rederive'],
    'intake, every partition, done',
  );
  t.ok(
    before.queues.every(
      (q) => q.waiting + q.active + q.delayed + q.failed === 0 && q.oldestWaitingMs === null,
    ),
    'all empty at first',
  );

  await oneFailedOneWaiting(t, r);
  const at = new Date(Date.now() + 1500);
  const after = await r.monitor.metrics(at);
  const intake = after.queues[0];
  t.match(intake, { queue: 'intake', name: STATEMENT_INTAKE_QUEUE, waiting: 1, failed: 1 });
  t.ok(
    (intake?.oldestWaitingMs ?? 0) >= 1500,
    'the oldest waiting job is aged from when it was added',
  );
  t.ok(
    after.queues.slice(1).every((q) => q.waiting + q.failed === 0),
    'the other queues are still empty',
  );
});

t.test('lag percentiles come from the recorded samples of the last window', async (t) => {
  const r = await pipelineTestApp(t);
  const now = Date.now();
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  await recordLag(r.redis, r.queuePrefix, STATEMENT_DONE_QUEUE, hundred, now);
  await recordLag(r.redis, r.queuePrefix, statementQueueName(2), [30, 10, 20], now);
  // Outside the window: left out of the figures.
  await recordLag(r.redis, r.queuePrefix, statementQueueName(2), [99_999], now - LAG_WINDOW_MS - 1);
  await recordLag(r.redis, r.queuePrefix, statementQueueName(1), [Number.NaN, -5], now);

  const { lag } = await r.monitor.metrics(new Date(now + 10));
  t.strictSame(lag, [
    { partition: 'all', samples: 100, p50Ms: 50, p99Ms: 99 },
    { partition: '0', samples: 0, p50Ms: null, p99Ms: null },
    { partition: '1', samples: 1, p50Ms: 0, p99Ms: 0 },
    { partition: '2', samples: 3, p50Ms: 20, p99Ms: 30 },
    { partition: '3', samples: 0, p50Ms: null, p99Ms: null },
  ]);
});

t.test('GET /admin/v1/pipeline: the same figures as JSON, for installation admins', async (t) => {
  const r = await pipelineTestApp(t);
  const ids = await postBatch(r, STORE, 1, 3);
  await r.store.outbox.giveUp(STORE, ids.slice(0, 1), new Date());
  await oneFailedOneWaiting(t, r);
  await recordLag(r.redis, r.queuePrefix, STATEMENT_DONE_QUEUE, [1000, 3000]);

  const admin = await basicAuth(r.store, STORE, ['admin']);
  const res = await r.app.inject({ url: '/admin/v1/pipeline', headers: { authorization: admin } });
  t.equal(res.statusCode, 200, res.body);
  const body = res.json<{
    partitions: number;
    queues: { queue: string; waiting: number; failed: number }[];
    lag: { partition: string; p50Ms: number | null }[];
    outbox: { pending: number; failed: number; oldestPendingMs: number | null };
  }>();
  t.equal(body.partitions, 4);
  t.match(body.queues[0], { queue: 'intake', waiting: 1, failed: 1 });
  t.match(body.lag[0], { partition: 'all', samples: 2, p50Ms: 1000, p99Ms: 3000 });
  t.match(body.outbox, { pending: 2, failed: 1 });
  t.ok((body.outbox.oldestPendingMs ?? -1) >= 0, 'the oldest pending statement is aged');

  const storeAdmin = await basicAuth(r.store, 'other-store', ['admin']);
  const forbidden = await r.app.inject({
    url: '/admin/v1/pipeline',
    headers: { authorization: storeAdmin },
  });
  t.equal(forbidden.statusCode, 403);
  t.strictSame(forbidden.json(), {
    statusCode: 403,
    error: 'Forbidden',
    code: 'ADMIN_ERR_FORBIDDEN',
    message: 'only an admin credential of the default store may read the pipeline metrics',
  });
  const statementsOnly = await basicAuth(r.store, STORE, ['statements/write']);
  t.equal(
    (await r.app.inject({ url: '/admin/v1/pipeline', headers: { authorization: statementsOnly } }))
      .statusCode,
    403,
    'the admin scope is needed',
  );
});

t.test('GET /metrics: Prometheus text carrying the figures, open by default', async (t) => {
  const r = await pipelineTestApp(t);
  await postBatch(r, STORE, 1, 5);
  await oneFailedOneWaiting(t, r);
  await recordLag(r.redis, r.queuePrefix, statementQueueName(3), [2000, 4000, 6000]);

  const res = await r.app.inject({ url: '/metrics' });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  const samples = parsePrometheus(res.body);
  const value = (name: string, labels: Record<string, string> = {}) =>
    sampleValue(samples, name, labels);
  t.equal(value('cairn_pipeline_partitions'), 4);
  t.equal(value('cairn_pipeline_queue_jobs', { queue: 'intake', state: 'waiting' }), 1);
  t.equal(value('cairn_pipeline_queue_jobs', { queue: 'intake', state: 'failed' }), 1);
  t.equal(value('cairn_pipeline_queue_jobs', { queue: 'p3', state: 'waiting' }), 0);
  t.equal(value('cairn_pipeline_queue_jobs', { queue: 'done', state: 'waiting-children' }), 0);
  t.ok((value('cairn_pipeline_oldest_waiting_seconds', { queue: 'intake' }) ?? -1) >= 0);
  t.equal(value('cairn_pipeline_oldest_waiting_seconds', { queue: 'p0' }), 0);
  t.equal(value('cairn_pipeline_lag_seconds', { partition: '3', quantile: '0.5' }), 4);
  t.equal(value('cairn_pipeline_lag_seconds', { partition: '3', quantile: '0.99' }), 6);
  t.equal(value('cairn_pipeline_lag_samples', { partition: '3' }), 3);
  t.equal(
    value('cairn_pipeline_lag_seconds', { partition: '0', quantile: '0.5' }),
    undefined,
    'no lag series without samples',
  );
  t.equal(value('cairn_outbox_pending_statements'), 5);
  t.equal(value('cairn_outbox_failed_statements'), 0);
  t.ok((value('cairn_outbox_oldest_pending_seconds') ?? -1) >= 0);

  // A second scrape reads the figures again.
  await r.store.outbox.giveUp(STORE, ['7a1c0000-0000-4000-8000-000000000001'], new Date());
  const again = parsePrometheus((await r.app.inject({ url: '/metrics' })).body);
  t.equal(sampleValue(again, 'cairn_outbox_pending_statements'), 4);
  t.equal(sampleValue(again, 'cairn_outbox_failed_statements'), 1);
});

t.test('GET /metrics with CAIRN_METRICS_TOKEN needs the bearer token', async (t) => {
  const token = 'scrape-token-0123456789';
  const r = await pipelineTestApp(t, { metricsToken: token });
  const unauthorized = {
    statusCode: 401,
    error: 'Unauthorized',
    code: 'METRICS_ERR_UNAUTHORIZED',
    message: 'GET /metrics needs the header Authorization: Bearer <CAIRN_METRICS_TOKEN>',
  };
  for (const authorization of [undefined, `Bearer ${token}x`, `Basic ${token}`, 'Bearer']) {
    const res = await r.app.inject({
      url: '/metrics',
      headers: authorization === undefined ? {} : { authorization },
    });
    t.equal(res.statusCode, 401, `refused: ${authorization ?? 'no header'}`);
    t.strictSame(res.json(), unauthorized);
    t.equal(res.headers['www-authenticate'], 'Bearer realm="Cairn metrics"');
  }
  const ok = await r.app.inject({
    url: '/metrics',
    headers: { authorization: `Bearer ${token}` },
  });
  t.equal(ok.statusCode, 200);
  t.equal(sampleValue(parsePrometheus(ok.body), 'cairn_outbox_pending_statements'), 0);
});

t.test('two apps in one process keep their own registries', async (t) => {
  const a = await pipelineTestApp(t);
  const b = await pipelineTestApp(t);
  await postBatch(a, STORE, 1, 2);
  const [ra, rb] = await Promise.all([
    a.app.inject({ url: '/metrics' }),
    b.app.inject({ url: '/metrics' }),
  ]);
  t.equal(sampleValue(parsePrometheus(ra.body), 'cairn_outbox_pending_statements'), 2);
  t.equal(sampleValue(parsePrometheus(rb.body), 'cairn_outbox_pending_statements'), 0);
});
