// The bench's HTTP load, on undici's connection pool. Two shapes:
// - closed loop: each of `connections` sends its next request when its last one is answered,
//   for a duration or a number of requests ("as fast as the server answers");
// - open loop at a rate: request k falls due at start + k / rate whether or not the server has
//   answered the ones before it, and its latency counts from when it fell due (coordinated
//   omission corrected, as wrk2 does).
// Until 2026-11-29 the bench used autocannon. Two of its habits skewed our figures: its
// `overallRate` is a per-connection quota per second (each connection sends its share back to
// back, then waits for the next second), so "200/s on 20 connections" measured bursts of 20
// concurrent requests; and a run of a fixed number of requests lasts at least until its next
// one-second tick, so a step's first single request added a second to the step's duration.
import { Pool, errors } from 'undici';

export interface LoadRequest {
  readonly method: 'GET' | 'PUT' | 'POST';
  readonly path: string;
  readonly body?: string;
}

export interface LoadOptions {
  /** e.g. http://127.0.0.1:1234 */
  readonly origin: string;
  readonly headers: Readonly<Record<string, string>>;
  /** At most this many requests in flight, one per connection. */
  readonly connections: number;
  readonly timeoutSec: number;
  /** Builds the next request, right before it is written. */
  readonly next: () => LoadRequest;
  readonly onResponse: (status: number, body: string) => void;
}

export interface LoadRun {
  /** Requests written. */
  readonly sent: number;
  /** Open loop: requests that fell due but found no free connection before the end. */
  readonly unsent: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  /**
   * Latency of each 2xx response, ms: from the write (closed loop) or from when the request
   * fell due (open loop), to the end of the response body.
   */
  readonly latenciesMs: readonly number[];
  readonly errors: number;
  readonly timeouts: number;
  /** Bytes of the response bodies. */
  readonly bytes: number;
  /** From the first request to the last response. */
  readonly durationSec: number;
}

/** How many requests of a steady `rate` fall due within `elapsedMs`, capped at `total`. */
export function dueBy(elapsedMs: number, rate: number, total: number): number {
  return Math.min(total, Math.max(0, Math.floor((elapsedMs * rate) / 1000) + 1));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** One pool and the figures of the requests made through it. */
function loadSession(options: LoadOptions) {
  const pool = new Pool(options.origin, {
    connections: options.connections,
    headersTimeout: options.timeoutSec * 1000,
    bodyTimeout: options.timeoutSec * 1000,
  });
  const headers = { 'content-type': 'application/json', ...options.headers };
  const statusCodes: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const counts = { sent: 0, errors: 0, timeouts: 0, bytes: 0 };
  const started = performance.now();

  /** Sends the next request; its latency counts from `since`. Never rejects. */
  async function send(since: number): Promise<void> {
    counts.sent++;
    const request = options.next();
    try {
      const response = await pool.request({
        method: request.method,
        path: request.path,
        headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      });
      const body = await response.body.text();
      const ms = performance.now() - since;
      const status = response.statusCode;
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      counts.bytes += Buffer.byteLength(body);
      if (status >= 200 && status < 300) latenciesMs.push(ms);
      options.onResponse(status, body);
    } catch (error) {
      counts.errors++;
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
        counts.timeouts++;
      }
    }
  }

  async function finish(unsent: number): Promise<LoadRun> {
    const durationSec = (performance.now() - started) / 1000;
    await pool.close();
    return { ...counts, unsent, statusCodes, latenciesMs, durationSec };
  }

  return { send, finish, started };
}

/**
 * Closed loop: `connections` senders, each sending its next request when the last is answered,
 * until `amount` requests are sent or `durationSec` has passed; requests in flight then finish.
 */
export async function runClosed(
  options: LoadOptions & ({ readonly amount: number } | { readonly durationSec: number }),
): Promise<LoadRun> {
  const session = loadSession(options);
  const amount = 'amount' in options ? options.amount : Infinity;
  const deadline = 'amount' in options ? Infinity : session.started + options.durationSec * 1000;
  let claimed = 0;
  const sender = async () => {
    while (claimed < amount && performance.now() < deadline) {
      claimed++;
      await session.send(performance.now());
    }
  };
  const senders = Math.min(options.connections, amount);
  await Promise.all(Array.from({ length: senders }, sender));
  return session.finish(0);
}

/**
 * Open loop: `rate` requests per second fall due for `durationSec`, each sent at once when a
 * connection is free, or as soon as one frees up; those still waiting at the end are unsent.
 */
export async function runPaced(
  options: LoadOptions & { readonly rate: number; readonly durationSec: number },
): Promise<LoadRun> {
  const session = loadSession(options);
  const { started } = session;
  const total = Math.floor(options.rate * options.durationSec);
  const dueAt = (k: number) => started + (k * 1000) / options.rate;
  /** Due times of the requests waiting for a free connection, oldest first. */
  const waiting: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const dispatch = (since: number): void => {
    const request: Promise<void> = session.send(since).then(() => {
      inFlight.delete(request);
      const next = waiting.shift();
      if (next !== undefined) dispatch(next);
    });
    inFlight.add(request);
  };

  let due = 0;
  while (due < total) {
    const nowDue = dueBy(performance.now() - started, options.rate, total);
    for (; due < nowDue; due++) {
      if (inFlight.size < options.connections) dispatch(dueAt(due));
      else waiting.push(dueAt(due));
    }
    if (due < total) await sleep(dueAt(due) - performance.now());
  }
  await sleep(started + options.durationSec * 1000 - performance.now());
  // The window is closed: what never got a connection is not sent; what is in flight finishes.
  const unsent = waiting.length;
  waiting.length = 0;
  while (inFlight.size > 0) await Promise.race(inFlight);
  return session.finish(unsent);
}
