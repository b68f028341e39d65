import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig, redactConfig } from '@cairn/config';
import { closeOnSignals, listen, loggerOptions, runMain } from '@cairn/http';
import {
  assertRedisReachable,
  createPipelineMonitor,
  createRedis,
  createStatementBatchQueue,
} from '@cairn/jobs';
import { connectMongo, createMongoStore } from '@cairn/store';
import { buildApp } from './app.js';
import { bootstrap } from './bootstrap.js';
import { lrsConfigSpec, type LrsConfig } from './config.js';
import { checkOriginList, splitOriginList } from './cors/origins.js';

/** The composition root of services/lrs: configuration, connections, app, listener, shutdown. */
async function main(): Promise<void> {
  const config = loadConfig<LrsConfig>(lrsConfigSpec, process.env);
  const corsOrigins = checkOriginList(splitOriginList(config.CAIRN_CORS_ORIGINS));
  if (!corsOrigins.ok) {
    throw new ConfigError('lrs', [`CAIRN_CORS_ORIGINS ${corsOrigins.problem}`]);
  }
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };

  await assertRedisReachable(config.REDIS_URL);
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    database: config.CAIRN_MONGODB_DATABASE,
    // A round trip that outlasts the request's budget fails instead of hanging (503).
    operationTimeoutMs: config.CAIRN_REQUEST_TIMEOUT_MS,
    appName: 'cairn-lrs',
  });
  const redis = createRedis(config.REDIS_URL, 'producer');
  await redis.connect();
  const pipeline = createStatementBatchQueue({
    connection: redis,
    prefix: config.CAIRN_QUEUE_PREFIX,
  });
  // Read-only handles on every pipeline queue: /metrics, /admin/v1/pipeline, failed jobs.
  const pipelineMonitor = createPipelineMonitor({
    connection: redis,
    prefix: config.CAIRN_QUEUE_PREFIX,
    partitions: config.CAIRN_PARTITIONS,
  });
  const store = createMongoStore(mongo.db);
  await store.ensureIndexes();
  const credential =
    config.CAIRN_BOOTSTRAP_KEY !== undefined && config.CAIRN_BOOTSTRAP_SECRET !== undefined
      ? { key: config.CAIRN_BOOTSTRAP_KEY, secret: config.CAIRN_BOOTSTRAP_SECRET }
      : null;
  await bootstrap(store, credential, new Date());

  const app = await buildApp({
    store,
    pipeline,
    productVersion: pkg.version,
    defaultXapiVersion: config.CAIRN_XAPI_DEFAULT_VERSION ?? null,
    missingXapiVersionReply: config.CAIRN_XAPI_MISSING_VERSION_REPLY,
    bodyLimit: config.CAIRN_MAX_BODY_BYTES,
    requestTimeoutMs: config.CAIRN_REQUEST_TIMEOUT_MS,
    corsOrigins: corsOrigins.origins,
    ...(config.CAIRN_RATE_LIMIT_PER_MINUTE > 0
      ? { rateLimit: { redis, perMinute: config.CAIRN_RATE_LIMIT_PER_MINUTE } }
      : {}),
    attachmentLimits: {
      maxPartBytes: config.CAIRN_MAX_ATTACHMENT_PART_BYTES,
      maxTotalBytes: config.CAIRN_MAX_ATTACHMENTS_BYTES,
    },
    maxDocumentBytes: config.CAIRN_MAX_DOCUMENT_BYTES,
    consistencyLagMs: config.CAIRN_CONSISTENCY_LAG_MS,
    pipelineMonitor,
    ...(config.CAIRN_METRICS_TOKEN !== undefined
      ? { metricsToken: config.CAIRN_METRICS_TOKEN }
      : {}),
    logger: loggerOptions('lrs', config.CAIRN_LOG_LEVEL),
    checks: [
      { name: 'mongodb', check: () => store.ping() },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ],
  });
  app.log.info({ config: redactConfig(lrsConfigSpec, config) }, 'configuration loaded');

  closeOnSignals(
    async () => {
      await app.close();
      await pipeline.close();
      await pipelineMonitor.close();
      redis.disconnect();
      await mongo.close();
    },
    (message) => app.log.info(message),
  );
  const address = await listen(app, {
    host: config.CAIRN_LRS_HOST,
    port: config.CAIRN_LRS_PORT,
    portVariable: 'CAIRN_LRS_PORT',
  });
  app.log.info(`lrs ready: xAPI at ${address}/xapi`);
}

runMain('lrs', main);
