import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis } from '@cairn/jobs';
import { connectMongo, createMongoStore, type MongoConnection, type Store } from '@cairn/store';
import { testServers, type Teardown } from './env.js';

export interface TestResources {
  readonly mongo: MongoConnection;
  readonly store: Store;
  /** A producer connection (fails fast). */
  readonly redis: Redis;
  readonly redisUrl: string;
  /** A database name nobody else uses. */
  readonly database: string;
  /** A BullMQ prefix nobody else uses. */
  readonly queuePrefix: string;
}

/**
 * A database and a queue prefix of this test's own on the real servers, with indexes, dropped and
 * deleted again on teardown, so that test files run in parallel without seeing each other.
 */
export async function testResources(t: Teardown): Promise<TestResources> {
  const { mongoUri, redisUrl } = testServers();
  const id = randomBytes(5).toString('hex');
  const database = `cairn_test_${id}`;
  const queuePrefix = `cairn-test-${id}`;
  const mongo = await connectMongo({ uri: mongoUri, database, appName: 'cairn-test' });
  const store = createMongoStore(mongo.db);
  await store.ensureIndexes();
  const redis = createRedis(redisUrl, 'producer');
  await redis.connect();
  t.teardown(async () => {
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await mongo.db.dropDatabase();
    await mongo.close();
  });
  return { mongo, store, redis, redisUrl, database, queuePrefix };
}
