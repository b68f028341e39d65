// The bench's load. Steps "as fast as the server answers" are a closed loop per connection;
// steps "at N/s" are an open loop: requests fall due at a steady pace whether or not the server
// has answered, and latency counts from when a request fell due.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import t from 'tap';
import { dueBy, runClosed, runPaced, type LoadOptions } from '../../../bench/lib/http-load.js';

/** A server that answers every request after `delayMs`, and counts how many it held at once. */
async function slowServer(delayMs: number) {
  const seen = { requests: 0, inFlight: 0, maxInFlight: 0 };
  const server: Server = createServer((req, res) => {
    seen.requests++;
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        seen.inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, delayMs);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.close();
    server.closeAllConnections();
    if (server.listening) await once(server, 'close');
  };
  return { origin: `http://127.0.0.1:${port}`, seen, close };
}

function options(origin: string, over: Partial<LoadOptions> = {}): LoadOptions {
  return {
    origin,
    headers: {},
    connections: 10,
    timeoutSec: 10,
    next: () => ({ method: 'POST', path: '/', body: '[]' }),
    onResponse: () => undefined,
    ...over,
  };
}

t.test(
  'dueBy: the first request is due at once, then one per 1/rate, never more than total',
  async (t) => {
    t.equal(dueBy(0, 200, 600), 1);
    t.equal(dueBy(4.99, 200, 600), 1);
    t.equal(dueBy(5, 200, 600), 2);
    t.equal(dueBy(10_000, 200, 600), 600);
    t.equal(dueBy(0, 200, 0), 0);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0.1, max: 1e4, noNaN: true }),
        fc.nat(10_000),
        (a, b, rate, total) => {
          const [early, late] = a <= b ? [a, b] : [b, a];
          const d1 = dueBy(early, rate, total);
          const d2 = dueBy(late, rate, total);
          return d1 <= d2 && d2 <= total && d1 >= Math.min(1, total);
        },
      ),
    );
  },
);

t.test('requests go out at the pace asked even while earlier ones are unanswered', async (t) => {
  const server = await slowServer(60);
  t.teardown(server.close);
  // Connections enough that none is ever waited for, even on a slow machine.
  const result = await runPaced({
    ...options(server.origin, { connections: 30 }),
    rate: 100,
    durationSec: 0.3,
  });
  t.equal(result.sent, 30, 'rate × duration requests');
  t.equal(result.unsent, 0);
  t.equal(server.seen.requests, 30);
  t.equal(result.latenciesMs.length, 30, 'each answered');
  t.same(result.statusCodes, { '200': 30 });
  // A closed loop on one connection would never hold two; at 100/s a 60 ms answer overlaps
  // the next five requests.
  t.ok(server.seen.maxInFlight >= 3, `server held ${server.seen.maxInFlight} at once`);
  t.ok(
    result.latenciesMs.every((ms) => ms >= 60),
    'no latency shorter than the server takes',
  );
});

t.test(
  'waiting for a free connection counts in latency; what never got one is unsent',
  async (t) => {
    const server = await slowServer(100);
    t.teardown(server.close);
    const result = await runPaced({
      ...options(server.origin, { connections: 1 }),
      rate: 100,
      durationSec: 0.3,
    });
    t.equal(result.sent + result.unsent, 30, 'every due request is either sent or unsent');
    t.ok(result.unsent > 0, `${result.unsent} unsent`);
    t.equal(server.seen.maxInFlight, 1, 'never more in flight than connections');
    // The second request fell due at 10 ms and could only go out when the first came back (about
    // 100 ms): about 190 ms from falling due to its answer.
    t.ok(
      Math.max(...result.latenciesMs) >= 180,
      `max latency ${Math.max(...result.latenciesMs)} ms`,
    );
  },
);

t.test('a server that is not there: errors, not a hang', async (t) => {
  const server = await slowServer(0);
  await server.close();
  const result = await runPaced({ ...options(server.origin), rate: 50, durationSec: 0.1 });
  t.equal(result.sent, 5);
  t.equal(result.errors, 5);
  t.equal(result.latenciesMs.length, 0);
});

t.test(
  'closed loop: each connection sends its next request when the last is answered',
  async (t) => {
    const server = await slowServer(20);
    t.teardown(server.close);
    const result = await runClosed({ ...options(server.origin, { connections: 3 }), amount: 7 });
    t.equal(result.sent, 7);
    t.equal(server.seen.requests, 7);
    t.equal(server.seen.maxInFlight, 3, 'as many in flight as connections');
    t.equal(result.latenciesMs.length, 7);
    // Seven requests of 20 ms on three connections: three rounds, about 60 ms, and no one-second
    // tick to wait for at the end.
    t.ok(result.durationSec >= 0.06 && result.durationSec < 0.5, `${result.durationSec} s`);
  },
);

t.test('closed loop for a duration: requests in flight at the deadline finish', async (t) => {
  const server = await slowServer(30);
  t.teardown(server.close);
  const bodies: string[] = [];
  const result = await runClosed({
    ...options(server.origin, { connections: 2, onResponse: (_s, body) => bodies.push(body) }),
    durationSec: 0.2,
  });
  t.ok(result.sent >= 2, `${result.sent} sent`);
  t.equal(result.latenciesMs.length, result.sent, 'every request sent was answered and counted');
  t.equal(bodies.length, result.sent, 'each response reached onResponse');
  t.ok(result.durationSec >= 0.2, 'the run lasts its duration');
});
