import { loadConfig, redactConfig } from '@cairn/config';
import { closeOnSignals, listen, loggerOptions, runMain } from '@cairn/http';
import { readFile } from 'node:fs/promises';
import {
  assertRedisReachable,
  createErasureQueue,
  createPipelineMonitor,
  createRedis,
} from '@cairn/jobs';
import { connectMongo, createMongoStore } from '@cairn/store';
import { buildApp } from './app.js';
import { reportsConfigSpec, type ReportsConfig } from './config.js';

/** The composition root of services/reports. */
async function main(): Promise<void> {
  const config = loadConfig<ReportsConfig>(reportsConfigSpec, process.env);
  await assertRedisReachable(config.REDIS_URL);
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    database: config.CAIRN_MONGODB_DATABASE,
    // A round trip that outlasts the request's budget fails instead of hanging (503).
    operationTimeoutMs: config.CAIRN_REQUEST_TIMEOUT_MS,
    appName: 'cairn-reports',
  });
  const redis = createRedis(config.REDIS_URL, 'producer');
  await redis.connect();
  const store = createMongoStore(mongo.db);
  // Erasures of people (DELETE /api/v1/people/:id) are run by the aggregator.
  const erasures = createErasureQueue({ connection: redis, prefix: config.CAIRN_QUEUE_PREFIX });
  // Read-only handles on the pipeline's queues: the data-health report's failed jobs and lag.
  const pipelineMonitor = createPipelineMonitor({
    connection: redis,
    prefix: config.CAIRN_QUEUE_PREFIX,
    partitions: config.CAIRN_PARTITIONS,
  });
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };

  const app = await buildApp({
    store,
    pipelineMonitor,
    erasures,
    productVersion: pkg.version,
    bodyLimit: config.CAIRN_MAX_BODY_BYTES,
    requestTimeoutMs: config.CAIRN_REQUEST_TIMEOUT_MS,
    ...(config.CAIRN_RATE_LIMIT_PER_MINUTE > 0
      ? {
          rateLimit: { redis, perMinute: config.CAIRN_RATE_LIMIT_PER_MINUTE, service: 'reports' },
        }
      : {}),
    logger: loggerOptions('reports', config.CAIRN_LOG_LEVEL),
    checks: [
      { name: 'mongodb', check: () => store.ping() },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ],
  });
  app.log.info({ config: redactConfig(reportsConfigSpec, config) }, 'configuration loaded');

  closeOnSignals(
    async () => {
      await app.close();
      await erasures.close();
      await pipelineMonitor.close();
      redis.disconnect();
      await mongo.close();
    },
    (message) => app.log.info(message),
  );
  const address = await listen(app, {
    host: config.CAIRN_REPORTS_HOST,
    port: config.CAIRN_REPORTS_PORT,
    portVariable: 'CAIRN_REPORTS_PORT',
  });
  app.log.info(
    `reports ready: reports at ${address}/api/v1/reports, OpenAPI at ${address}/api/v1/docs`,
  );
}

runMain('reports', main);
