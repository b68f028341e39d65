// Starts the MongoDB-compatible server and Redis that Cairn needs, unless MONGODB_URI / REDIS_URL
// name servers of the user's own. Node's standard library only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureFerretdbBinary, startFerretdb } from './ferretdb.mjs';
import { ensureRedisServer, startRedis } from './redis.mjs';

/**
 * @param {{ dataDir: string | null, log: (m: string) => void, env: NodeJS.ProcessEnv }} options
 *   dataDir null: throw-away servers that keep nothing (tests). FerretDB still gets a temporary
 *   directory, removed on stop: its in-memory SQLite mode deadlocks when a read is followed by an
 *   update of the same document (docs/ferretdb.md).
 * @returns {{ mongoUri: string, redisUrl: string, local: { mongo: boolean, redis: boolean }, stop(): Promise<void> }}
 */
export async function startLocalServices({ dataDir, log, env }) {
  const started = [];
  const scratch = dataDir ? null : mkdtempSync(join(tmpdir(), 'cairn-test-mongo-'));
  const stop = async () => {
    for (const proc of started.reverse()) await proc.stop(5000);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  try {
    let mongoUri = env.MONGODB_URI;
    if (!mongoUri) {
      const binary = await ensureFerretdbBinary(log);
      const mongo = await startFerretdb(binary, {
        dataDir: dataDir ? join(dataDir, 'mongo') : scratch,
      });
      started.push(mongo.process);
      mongoUri = mongo.uri;
      log(`local MongoDB-compatible server (FerretDB) at ${mongoUri}`);
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
