// Starts the MongoDB-compatible server and Redis that Cairn needs, unless MONGODB_URI / REDIS_URL
// name servers of the user's own. Node's standard library only.
import { join } from 'node:path';
import { ensureMongoLocal, startMongoLocal } from './mongo-local.mjs';
import { ensureRedisServer, startRedis } from './redis.mjs';

/**
 * @param {{ dataDir: string | null, log: (m: string) => void, env: NodeJS.ProcessEnv }} options
 *   dataDir null: throw-away servers that keep nothing (tests: the local server in memory).
 * @returns {{ mongoUri: string, redisUrl: string, local: { mongo: boolean, redis: boolean }, stop(): Promise<void> }}
 */
export async function startLocalServices({ dataDir, log, env }) {
  const started = [];
  const stop = async () => {
    for (const proc of started.reverse()) await proc.stop(10_000);
  };
  try {
    let mongoUri = env.MONGODB_URI;
    if (!mongoUri) {
      const jar = await ensureMongoLocal(log);
      const file = dataDir ? join(dataDir, 'mongo', 'cairn.mv.db') : null;
      const mongo = await startMongoLocal(jar, { file, env });
      started.push(mongo.process);
      mongoUri = mongo.uri;
      log(
        `local MongoDB-compatible server (mongo-java-server) at ${mongoUri}${file ? ` (file ${file})` : ' (in memory)'}`,
      );
    }
    let redisUrl = env.REDIS_URL;
    if (!redisUrl) {
      const command = await ensureRedisServer(log);
      const redis = await startRedis(command, { dataDir: dataDir && join(dataDir, 'redis') });
      started.push(redis.process);
      redisUrl = redis.url;
      log(`local Redis at ${redisUrl}${dataDir ? ' (append-only file)' : ' (no persistence)'}`);
    }
    return { mongoUri, redisUrl, local: { mongo: !env.MONGODB_URI, redis: !env.REDIS_URL }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
