import { pino } from 'pino';
import { loadConfig, redactConfig } from '@cairn/config';
import { assertRedisReachable, createRedis } from '@cairn/jobs';
import { connectMongo, createMongoStore } from '@cairn/store';
import { startAggregator } from './aggregator.js';
import { aggregatorConfigSpec, type AggregatorConfig } from './config.js';
import { closeOnSignals, runMain } from '@cairn/http';

/** The composition root of workers/aggregator. */
async function main(): Promise<void> {
  const config = loadConfig<AggregatorConfig>(aggregatorConfigSpec, process.env);
  const log = pino({ level: config.CAIRN_LOG_LEVEL, base: { service: 'aggregator' } });

  await assertRedisReachable(config.REDIS_URL);
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    database: config.CAIRN_MONGODB_DATABASE,
    appName: 'cairn-aggregator',
  });
  const store = createMongoStore(mongo.db);
  log.info({ config: redactConfig(aggregatorConfigSpec, config) }, 'configuration loaded');

  // Producer connection for the flows the intake step adds, the sweeper's re-drives and the lag
  // samples.
  const producer = createRedis(config.REDIS_URL, 'producer');
  await producer.connect();
  const aggregator = await startAggregator({
    config,
    store,
    producer,
    events: {
      jobFailed: (job, error) => log.warn({ jobId: job?.id, err: error }, 'job failed'),
      lagNotRecorded: (error) => log.warn({ err: error }, 'lag not recorded'),
      swept: (result) => log.info(result, 'outbox sweep re-drove statements'),
      sweepFailed: (error) => log.warn({ err: error }, 'outbox sweep failed; the next one retries'),
      watchFailed: (error) =>
        log.warn({ err: error }, 'settings watch failed; the next one retries'),
      rederiveQueued: (job) => log.debug(job, 're-derivation owed'),
    },
  });

  closeOnSignals(
    async () => {
      await aggregator.stop();
      producer.disconnect(); // BullMQ does not close a connection it was handed
      await mongo.close();
    },
    (message) => log.info(message),
  );
  log.info(
    `aggregator ready: partitions ${aggregator.partitions.join(',')} of ${config.CAIRN_PARTITIONS}`,
  );
}

runMain('aggregator', main);
