import { Redis, type RedisOptions } from 'ioredis';
import { JobsErrors } from './errors.js';

/**
 * Who uses a connection decides how it fails: a worker's blocking connection must wait through a
 * Redis restart (BullMQ requires `maxRetriesPerRequest: null`), a producer inside an HTTP request
 * must fail fast rather than hold the request.
 */
export type RedisRole = 'worker' | 'producer';

export function redisOptions(role: RedisRole): RedisOptions {
  return role === 'worker'
    ? { maxRetriesPerRequest: null, enableReadyCheck: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5000 };
}

/** A new connection for `role`. It connects lazily on first use unless `connect()` is awaited. */
export function createRedis(url: string, role: RedisRole): Redis {
  return new Redis(url, { ...redisOptions(role), lazyConnect: true });
}

/** A Redis URL safe to print: any password replaced by "***". */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):([^@]*)@/, '//$1:***@');
}

/**
 * Connects once and pings within `timeoutMs`, without retrying, so that a wrong REDIS_URL stops
 * start-up quickly with a message naming the server.
 */
export async function assertRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined); // reported through the rejected promise below
  try {
    await probe.connect();
    await probe.ping();
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new JobsErrors.redisUnreachable(redactRedisUrl(url), reason);
  } finally {
    probe.disconnect();
  }
}
