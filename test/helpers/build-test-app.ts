import type { FastifyInstance } from 'fastify';
import type { ReadinessCheck } from '@cairn/http';
import { createErasureQueue, createRedis, createStatementBatchQueue } from '@cairn/jobs';
import { buildApp as buildLrsApp, type LrsDeps } from '@cairn/lrs';
import { buildApp as buildReportsApp, type ReportsDeps } from '@cairn/reports';
import type { Store } from '@cairn/store';
import type { Teardown } from './env.js';
import { testResources, type TestResources } from './test-resources.js';

export interface TestApp extends TestResources {
  readonly app: FastifyInstance;
}

/** Stands between an app and the real store (to hold a write in flight, say). */
export type WrapStore = (store: Store) => Store;

const asIs: WrapStore = (store) => store;

/** The readiness checks main.ts wires, against this test's own connections. */
export function realChecks(r: TestResources): ReadinessCheck[] {
  return [
    { name: 'mongodb', check: () => r.store.ping() },
    { name: 'redis', check: async () => void (await r.redis.ping()) },
  ];
}

/**
 * The LRS app on resources the test already has, wired like main.ts does, closed on teardown.
 * With {@link reportsAppOn} on the same resources, the two services share one database, as in a
 * deployment.
 */
export async function lrsAppOn(
  t: Teardown,
  r: TestResources,
  overrides: Partial<Omit<LrsDeps, 'store'>> = {},
  wrapStore: WrapStore = asIs,
): Promise<FastifyInstance> {
  const connection = createRedis(r.redisUrl, 'producer');
  await connection.connect();
  const pipeline = createStatementBatchQueue({ connection, prefix: r.queuePrefix });
  const app = await buildLrsApp({
    productVersion: '0.0.0-test',
    pipeline,
    ...overrides,
    store: wrapStore(r.store),
    checks: overrides.checks ?? realChecks(r),
  });
  t.teardown(async () => {
    await app.close();
    await pipeline.close();
    connection.disconnect(); // BullMQ does not close a connection it was handed
  });
  return app;
}

/** The reports app on resources the test already has, wired like main.ts does. */
export async function reportsAppOn(
  t: Teardown,
  r: TestResources,
  overrides: Partial<Omit<ReportsDeps, 'store'>> = {},
  wrapStore: WrapStore = asIs,
): Promise<FastifyInstance> {
  const connection = createRedis(r.redisUrl, 'producer');
  await connection.connect();
  const erasures = createErasureQueue({ connection, prefix: r.queuePrefix });
  const app = await buildReportsApp({
    erasures,
    ...overrides,
    store: wrapStore(r.store),
    checks: overrides.checks ?? realChecks(r),
  });
  t.teardown(async () => {
    await app.close();
    await erasures.close();
    connection.disconnect(); // BullMQ does not close a connection it was handed
  });
  return app;
}

/**
 * The LRS app on its own database and queue prefix, wired like main.ts does, closed on teardown.
 * Requests go through `app.inject`. `wrapStore` lets a test stand between the app and the real
 * store (to hold a write in flight, say); `store` in the result stays the real one.
 */
export async function buildTestApp(
  t: Teardown,
  overrides: Partial<Omit<LrsDeps, 'store'>> = {},
  wrapStore: WrapStore = asIs,
): Promise<TestApp> {
  const r = await testResources(t);
  return { ...r, app: await lrsAppOn(t, r, overrides, wrapStore) };
}

/** The reports app (the analysts' `/api/v1`), likewise. */
export async function buildTestReportsApp(
  t: Teardown,
  overrides: Partial<Omit<ReportsDeps, 'store'>> = {},
  wrapStore: WrapStore = asIs,
): Promise<TestApp> {
  const r = await testResources(t);
  return { ...r, app: await reportsAppOn(t, r, overrides, wrapStore) };
}
