import { setTimeout as sleep } from 'node:timers/promises';

/** How to send statements to an LRS. */
export interface SendOptions {
  /** The xAPI base URL (`.../xapi`) or the statements resource itself. */
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  /** Statements per request. */
  readonly batch: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** At most this many statements per second (0: no limit). */
  readonly rate: number;
  /** Attempts after the first for a request answered 429 or 503, or not answered at all. */
  readonly maxRetries: number;
  /** First back-off; it doubles on each retry (a Retry-After header takes precedence). */
  readonly backoffMs: number;
  /** Called after every request with the tally so far. */
  readonly onProgress?: (tally: SendTally) => void;
}

/** Sensible defaults for a local LRS. */
export const DEFAULT_SEND_OPTIONS = {
  batch: 100,
  concurrency: 4,
  rate: 0,
  maxRetries: 6,
  backoffMs: 250,
} as const;

/** Counts of requests and of the statements in them. */
export interface SendTally {
  /** Requests answered 200, rejected (4xx: the statements are bad), failed (anything else). */
  readonly requests: { accepted: number; rejected: number; failed: number; retried: number };
  readonly statements: { accepted: number; rejected: number; failed: number };
}

const MAX_BACKOFF_MS = 30_000;
const RETRYABLE = new Set([429, 503]);
/** Statuses that say something in the batch is wrong: split it to find what. */
const REJECTING = new Set([400, 409, 413]);

/** The statements resource of `url`. */
export function statementsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/u, '');
  return trimmed.endsWith('/statements') ? trimmed : `${trimmed}/statements`;
}

/** Back-off before retry number `attempt` (0-based): Retry-After if given, else doubling. */
export function backoff(attempt: number, baseMs: number, retryAfter: string | null): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_BACKOFF_MS);
  return Math.min(baseMs * 2 ** attempt, MAX_BACKOFF_MS);
}

/** Groups `lines` into arrays of `size`. */
async function* batches(
  lines: AsyncIterable<string> | Iterable<string>,
  size: number,
): AsyncGenerator<string[]> {
  let batch: string[] = [];
  for await (const line of lines) {
    if (line.trim() === '') continue;
    batch.push(line);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Spaces requests out so that no more than `rate` statements per second are sent. */
class RateLimit {
  readonly #rate: number;
  #next = 0;

  constructor(rate: number) {
    this.#rate = rate;
  }

  async take(statements: number): Promise<void> {
    if (this.#rate <= 0) return;
    const now = performance.now();
    const at = Math.max(now, this.#next);
    this.#next = at + (statements / this.#rate) * 1000;
    if (at > now) await sleep(at - now);
  }
}

/**
 * Streams statements (JSON texts, one per item) to an LRS: POST in batches with HTTP Basic auth
 * and `X-Experience-API-Version: 1.0.3`, `concurrency` requests at a time, at most `rate`
 * statements per second. 429 and 503 (and network errors) are retried with back-off. A batch
 * answered 400, 409 or 413 is split in halves until the bad statements are alone (xAPI rejects a
 * whole batch for one bad statement), so that the tally counts statements accurately.
 */
export async function sendStatements(
  lines: AsyncIterable<string> | Iterable<string>,
  options: SendOptions,
): Promise<SendTally> {
  const url = statementsUrl(options.url);
  const authorization = `Basic ${Buffer.from(`${options.key}:${options.secret}`).toString('base64')}`;
  const tally = {
    requests: { accepted: 0, rejected: 0, failed: 0, retried: 0 },
    statements: { accepted: 0, rejected: 0, failed: 0 },
  };
  const limit = new RateLimit(options.rate);
  const report = (): void => options.onProgress?.(tally);

  const post = async (batch: readonly string[]): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      await limit.take(batch.length);
      let status: number;
      let retryAfter: string | null = null;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/json',
            'x-experience-api-version': '1.0.3',
          },
          body: `[${batch.join(',')}]`,
        });
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      if (status === 200) {
        tally.requests.accepted++;
        tally.statements.accepted += batch.length;
        return report();
      }
      if ((status === 0 || RETRYABLE.has(status)) && attempt < options.maxRetries) {
        tally.requests.retried++;
        report();
        await sleep(backoff(attempt, options.backoffMs, retryAfter));
        continue;
      }
      if (REJECTING.has(status)) {
        tally.requests.rejected++;
        report();
        if (batch.length === 1) {
          tally.statements.rejected++;
          return;
        }
        const half = Math.ceil(batch.length / 2);
        await post(batch.slice(0, half));
        await post(batch.slice(half));
        return;
      }
      tally.requests.failed++;
      tally.statements.failed += batch.length;
      return report();
    }
  };

  const source = batches(lines, options.batch);
  // Workers share one iterator: each takes the next batch when its request is done.
  const worker = async (): Promise<void> => {
    for (;;) {
      const next = await source.next();
      if (next.done === true) return;
      await post(next.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return tally;
}
