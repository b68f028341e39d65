import { pino } from 'pino';
import { loadConfig, redactConfig } from '@cairn/config';
import {
  assertRedisReachable,
  createBatchRouter,
  createRedis,
  createStatementBatchQueue,
} from '@cairn/jobs';
import { connectMongo, createMongoStore } from '@cairn/store';
import { aggregatorConfigSpec, type AggregatorConfig } from './config.js';
import { parsePartitions } from './partitions.js';
import { createLagRecorder } from './lag-recording.js';
import { createProcessors } from './processor.js';
import { startRederiveWatcher } from './rederive-watcher.js';
import { startSweeper } from './sweeper.js';
import { startWorkers } from './workers.js';
import { closeOnSignals, runMain } from '@cairn/http';

/** The composition root of workers/aggregator. */
async function main(): Promise<void> {
  const config = loadConfig<AggregatorConfig>(aggregatorConfigSpec, process.env);
  const log = pino({ level: config.CAIRN_LOG_LEVEL, base: { service: 'aggregator' } });
  const partitions = parsePartitions(config.CAIRN_AGGREGATOR_PARTITIONS, config.CAIRN_PARTITIONS);

  await assertRedisReachable(config.REDIS_URL);
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    database: config.CAIRN_MONGODB_DATABASE,
    appName: 'cairn-aggregator',
  });
  const store = createMongoStore(mongo.db);
  log.info({ config: redactConfig(aggregatorConfigSpec, config) }, 'configuration loaded');

  // Producer connections for the flows the intake step adds and for the sweeper's re-drives.
  const producer = createRedis(config.REDIS_URL, 'producer');
  await producer.connect();
  const router = createBatchRouter({ connection: producer, prefix: config.CAIRN_QUEUE_PREFIX });
  const running = await startWorkers({
    redisUrl: config.REDIS_URL,
    prefix: config.CAIRN_QUEUE_PREFIX,
    partitions,
    processors: createProcessors({
      store,
      router,
      partitions: config.CAIRN_PARTITIONS,
      onAggregated: createLagRecorder(producer, config.CAIRN_QUEUE_PREFIX, (error) =>
        log.warn({ err: error }, 'lag not recorded'),
      ),
    }),
    intakeConcurrency: config.CAIRN_INTAKE_CONCURRENCY,
    stalledIntervalMs: config.CAIRN_STALLED_INTERVAL_MS,
    onFailed: (job, error) => log.warn({ jobId: job?.id, err: error }, 'job failed'),
  });
  await running.ready();

  // The outbox sweeper adds jobs as the LRS does, on the intake queue.
  const intake = createStatementBatchQueue({
    connection: producer,
    prefix: config.CAIRN_QUEUE_PREFIX,
  });
  const sweeper = startSweeper({
    store,
    beforeSweep: () => running.reassertLimits(),
    queue: intake,
    intervalMs: config.CAIRN_SWEEP_INTERVAL_MS,
    afterMs: config.CAIRN_SWEEP_AFTER_MS,
    maxAttempts: config.CAIRN_SWEEP_MAX_ATTEMPTS,
    onSwept: (result) => log.info(result, 'outbox sweep re-drove statements'),
    onError: (error) => log.warn({ err: error }, 'outbox sweep failed; the next one retries'),
  });

  // Settings changes (rules, verbs, frameworks) are noticed at the sweeper's pace.
  const watcher = startRederiveWatcher({
    store,
    connection: producer,
    prefix: config.CAIRN_QUEUE_PREFIX,
    intervalMs: config.CAIRN_SWEEP_INTERVAL_MS,
    onQueued: (job) => log.debug(job, 're-derivation owed'),
    onError: (error) => log.warn({ err: error }, 'settings watch failed; the next one retries'),
  });

  closeOnSignals(
    async () => {
      await watcher.stop();
      await sweeper.stop();
      await intake.close();
      await running.close();
      await router.close();
      producer.disconnect(); // BullMQ does not close a connection it was handed
      await mongo.close();
    },
    (message) => log.info(message),
  );
  log.info(`aggregator ready: partitions ${partitions.join(',')} of ${config.CAIRN_PARTITIONS}`);
}

runMain('aggregator', main);
