import type { Redis } from 'ioredis';

/** Samples older than this are left out of the percentiles. */
export const LAG_WINDOW_MS = 5 * 60_000;
/** Samples kept per queue at most (the newest). */
export const LAG_SAMPLES_MAX = 10_000;

/** p50 and p99 of the lag samples of one window. */
export interface LagPercentiles {
  /** Samples in the window. */
  readonly samples: number;
  /** Milliseconds; null when the window holds no sample. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/**
 * Where a queue's lag samples live: next to the queue's BullMQ keys, in the same Redis Cluster
 * slot (the queue name is a hash tag), and under the prefix that tests and deployments clear.
 */
export function lagKey(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:lag`;
}

/**
 * Records lags, in milliseconds, from statements' `stored` time to their aggregation, under the
 * queue that aggregated them. One round trip whatever the number of samples: a capped list of
 * `"<recorded at ms>:<lag ms>"` (newest first), trimmed to {@link LAG_SAMPLES_MAX} and expiring
 * a day after the last write so that the samples of a queue nobody consumes any more vanish.
 * Negative or non-finite lags (clock skew between processes) are recorded as 0 or dropped.
 */
export async function recordLag(
  redis: Redis,
  prefix: string,
  queueName: string,
  lagsMs: readonly number[],
  now: number = Date.now(),
): Promise<void> {
  const samples = lagsMs
    .filter((lag) => Number.isFinite(lag))
    .slice(-LAG_SAMPLES_MAX)
    .map((lag) => `${now}:${Math.max(0, Math.round(lag))}`);
  if (samples.length === 0) return;
  const key = lagKey(prefix, queueName);
  await redis
    .multi()
    .lpush(key, ...samples)
    .ltrim(key, 0, LAG_SAMPLES_MAX - 1)
    .pexpire(key, 86_400_000)
    .exec();
}

/** The lags of statements stored at `stored` and aggregated at `now`: what recordLag takes. */
export function lagsSince(stored: readonly Date[], now: Date = new Date()): number[] {
  return stored.map((s) => now.getTime() - s.getTime());
}

/** The lags recorded under each queue within the window ending at `now`, in one round trip. */
export async function readLags(
  redis: Redis,
  prefix: string,
  queueNames: readonly string[],
  now: number = Date.now(),
  windowMs: number = LAG_WINDOW_MS,
): Promise<number[][]> {
  if (queueNames.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const name of queueNames) pipeline.lrange(lagKey(prefix, name), 0, -1);
  const replies = (await pipeline.exec()) ?? [];
  const from = now - windowMs;
  return queueNames.map((name, i) => {
    const [error, value] = replies[i] ?? [null, []];
    if (error !== null) throw error;
    return parseSamples(value, from);
  });
}

function parseSamples(value: unknown, from: number): number[] {
  if (!Array.isArray(value)) return [];
  const lags: number[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string') continue;
    const [at, lag] = entry.split(':').map(Number);
    if (at !== undefined && lag !== undefined && at >= from && Number.isFinite(lag)) lags.push(lag);
  }
  return lags;
}

/** Nearest-rank p50 and p99 of `lagsMs` (any order). */
export function lagPercentiles(lagsMs: readonly number[]): LagPercentiles {
  if (lagsMs.length === 0) return { samples: 0, p50Ms: null, p99Ms: null };
  const sorted = [...lagsMs].sort((a, b) => a - b);
  const rank = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { samples: sorted.length, p50Ms: rank(0.5), p99Ms: rank(0.99) };
}
