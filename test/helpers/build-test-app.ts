import type { FastifyInstance } from 'fastify';
import type { ReadinessCheck } from '@cairn/http';
import { createErasureQueue, createRedis, createStatementBatchQueue } from '@cairn/jobs';
import { buildApp as buildLrsApp, type LrsDeps } from '@cairn/lrs';
import { buildApp as buildReportsApp } from '@cairn/reports';
import type { Store } from '@cairn/store';
import type { Teardown } from './env.js';
import { testResources, type TestResources } from './test-resources.js';

export interface TestApp extends TestResources {
  readonly app: FastifyInstance;
}

/** The readiness checks main.ts wires, against this test's own connections. */
export function realChecks(r: TestResources): ReadinessCheck[] {
  return [
    { name: 'mongodb', check: () => r.store.ping() },
    { name: 'redis', check: async () => void (await r.redis.ping()) },
  ];
}

/**
 * The LRS app on its own database and queue prefix, wired like main.ts does, closed on teardown.
 * Requests go through `app.inject`. `wrapStore` lets a test stand between the app and the real
 * store (to hold a write in flight, say); `store` in the result stays the real one.
 */
export async function buildTestApp(
  t: Teardown,
  overrides: Partial<Omit<LrsDeps, 'store'>> = {},
  wrapStore: (store: Store) => Store = (store) => store,
): Promise<TestApp> {
  const r = await testResources(t);
  const connection = createRedis(r.redisUrl, 'producer');
  await connection.connect();
  const pipeline = createStatementBatchQueue({ connection, prefix: r.queuePrefix });
  const erasures = createErasureQueue({ connection, prefix: r.queuePrefix });
  const app = await buildLrsApp({
    productVersion: '0.0.0-test',
    pipeline,
    erasures,
    ...overrides,
    store: wrapStore(r.store),
    checks: overrides.checks ?? realChecks(r),
  });
  t.teardown(async () => {
    await app.close();
    await pipeline.close();
    await erasures.close();
    connection.disconnect(); // BullMQ does not close a connection it was handed
  });
  return { ...r, app };
}

/** The reports app, likewise. */
export async function buildTestReportsApp(
  t: Teardown,
  overrides: { checks?: ReadinessCheck[] } = {},
): Promise<TestApp> {
  const r = await testResources(t);
  const app = await buildReportsApp({ store: r.store, checks: overrides.checks ?? realChecks(r) });
  t.teardown(() => app.close());
  return { ...r, app };
}
