import { pino } from 'pino';
import { loadConfig, redactConfig } from '@cairn/config';
import { assertRedisReachable, createRedis, createStatementBatchQueue } from '@cairn/jobs';
import { connectMongo, createMongoStore } from '@cairn/store';
import { aggregatorConfigSpec, type AggregatorConfig } from './config.js';
import { parsePartitions } from './partitions.js';
import { createProcessor } from './processor.js';
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

  const running = startWorkers({
    redisUrl: config.REDIS_URL,
    prefix: config.CAIRN_QUEUE_PREFIX,
    partitions,
    processor: createProcessor({ store }),
    onFailed: (job, error) => log.warn({ jobId: job?.id, err: error }, 'job failed'),
  });
  await Promise.all(running.workers.map((w) => w.waitUntilReady()));

  // The outbox sweeper adds jobs as the LRS does: a producer connection, the intake queue.
  const producer = createRedis(config.REDIS_URL, 'producer');
  await producer.connect();
  const intake = createStatementBatchQueue({
    connection: producer,
    prefix: config.CAIRN_QUEUE_PREFIX,
  });
  const sweeper = startSweeper({
    store,
    queue: intake,
    intervalMs: config.CAIRN_SWEEP_INTERVAL_MS,
    afterMs: config.CAIRN_SWEEP_AFTER_MS,
    onSwept: (result) => log.info(result, 'outbox sweep re-drove statements'),
    onError: (error) => log.warn({ err: error }, 'outbox sweep failed; the next one retries'),
  });

  closeOnSignals(
    async () => {
      await sweeper.stop();
      await intake.close();
      producer.disconnect(); // BullMQ does not close a connection it was handed
      await running.close();
      await mongo.close();
    },
    (message) => log.info(message),
  );
  log.info(`aggregator ready: partitions ${partitions.join(',')} of ${config.CAIRN_PARTITIONS}`);
}

runMain('aggregator', main);
