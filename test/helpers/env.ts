/**
 * The servers the integration tests talk to. `npm test` starts throw-away ones and sets these;
 * to run one file by hand, start servers yourself and set MONGODB_URI and REDIS_URL.
 */
export function testServers(): { mongoUri: string; redisUrl: string } {
  const mongoUri = process.env['MONGODB_URI'];
  const redisUrl = process.env['REDIS_URL'];
  if (!mongoUri || !redisUrl) {
    throw new Error(
      'MONGODB_URI and REDIS_URL are not set: run the tests with `npm test`, which starts the servers',
    );
  }
  return { mongoUri, redisUrl };
}

/** What tap's `t` offers that the helpers need. */
export interface Teardown {
  teardown(fn: () => unknown): void;
}
