// Database errors are mapped one way everywhere (issue 20, item 9): whichever route meets a
// database that is down or too slow answers 503 `CAIRN_ERR_UNAVAILABLE` with Retry-After (a retry
// can succeed), the cause is kept in the log, a request has a time budget instead of hanging, and
// a request that arrives while the service drains on SIGTERM gets the same 503.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import t from 'tap';
import { MongoClient } from 'mongodb';
import { createMongoStore, type Store } from '@cairn/store';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';

const UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  code: 'CAIRN_ERR_UNAVAILABLE',
  message: 'the service cannot reach its database in time; retry after 5 s',
};

/** A TCP server that accepts connections and never answers: a paused database. */
async function silentServer(t: Teardown): Promise<number> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A store whose statements, documents and activities are on a database that never answers
 * (found by server selection within 300 ms, as the services' budget bounds it); credentials stay
 * on the real one, so requests get past authentication.
 */
async function pausedDatabase(t: Teardown): Promise<(store: Store) => Store> {
  const port = await silentServer(t);
  const client = new MongoClient(`mongodb://127.0.0.1:${port}/?directConnection=true`, {
    serverSelectionTimeoutMS: 300,
    connectTimeoutMS: 300,
    socketTimeoutMS: 300,
  });
  t.teardown(() => client.close());
  const paused = createMongoStore(client.db('paused'));
  return (store) => ({
    ...store,
    statementsOf: (id) => paused.statementsOf(id),
    documentsOf: (id) => paused.documentsOf(id),
    activitiesOf: (id) => paused.activitiesOf(id),
  });
}

/** Log lines at warn and above, as JSON. */
function logCapture(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

t.test('every route answers a database outage with the same 503 and Retry-After', async (t) => {
  const log = logCapture();
  const r = await buildTestApp(
    t,
    { logger: { level: 'warn', stream: log.stream } },
    await pausedDatabase(t),
  );
  const headers = {
    authorization: await basicAuth(r.store, 'default', ['all']),
    'x-experience-api-version': '2.0.0',
  };
  const agent = encodeURIComponent(JSON.stringify({ mbox: 'mailto:ann@example.com' }));
  const activity = encodeURIComponent('https://example.com/courses/safety');
  const requests = [
    { method: 'GET', url: '/xapi/statements' },
    { method: 'GET', url: '/xapi/statements?statementId=0b6a1c9e-1111-4c1d-9e8f-0a1b2c3d4e5f' },
    {
      method: 'POST',
      url: '/xapi/statements',
      payload: {
        actor: { mbox: 'mailto:ann@example.com' },
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
        object: { id: 'https://example.com/courses/safety' },
      },
    },
    {
      method: 'GET',
      url: `/xapi/activities/state?activityId=${activity}&agent=${agent}&stateId=s1`,
    },
    { method: 'GET', url: `/xapi/activities?activityId=${activity}` },
  ] as const;
  for (const request of requests) {
    const res = await r.app.inject({ ...request, headers });
    const what = `${request.method} ${request.url.split('?')[0] ?? ''}`;
    t.equal(res.statusCode, 503, what);
    t.strictSame(res.json(), UNAVAILABLE, `${what}: Cairn's body`);
    t.equal(res.headers['retry-after'], '5', `${what}: Retry-After`);
  }
  const warned = log.lines.filter((l) => l['msg'] === 'request failed: unavailable');
  t.equal(warned.length, requests.length, 'each one logged once, at warn');
  t.ok(
    // The driver's error itself, or as the cause of the store's (pino logs causes' stacks).
    warned.every((l) => /Mongo\w+Error/.test(JSON.stringify(l['err']))),
    "with the driver's error as the cause",
  );
});

t.test('a request over its time budget gets 503 instead of hanging', async (t) => {
  const never = (store: Store): Store => ({
    ...store,
    statementsOf: (id) => ({
      ...store.statementsOf(id),
      query: () => new Promise(() => undefined),
    }),
  });
  const r = await buildTestApp(t, { requestTimeoutMs: 200 }, never);
  const res = await r.app.inject({
    method: 'GET',
    url: '/xapi/statements',
    headers: {
      authorization: await basicAuth(r.store, 'default', ['all']),
      'x-experience-api-version': '2.0.0',
    },
  });
  t.equal(res.statusCode, 503);
  t.strictSame(res.json(), {
    ...UNAVAILABLE,
    message: 'the request took longer than its budget of 200 ms; retry after 5 s',
  });
  t.equal(res.headers['retry-after'], '5');
});

/** A raw HTTP/1.1 connection: what it sends, and everything received until it closes. */
async function rawConnection(port: number): Promise<{
  send: (text: string) => void;
  received: Promise<string>;
}> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
  const received = new Promise<string>((resolve, reject) => {
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
  return { send: (t) => void socket.write(t), received };
}

t.test('while draining, a request in flight finishes and a new one gets 503', async (t) => {
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let entered = (): void => undefined;
  const inFlight = new Promise<void>((resolve) => (entered = resolve));
  const holding = (store: Store): Store => ({
    ...store,
    statementsOf: (id) => {
      const repo = store.statementsOf(id);
      return {
        ...repo,
        query: async (q) => {
          entered();
          await held;
          return repo.query(q);
        },
      };
    },
  });
  const r = await buildTestApp(t, {}, holding);
  await r.app.listen({ host: '127.0.0.1', port: 0 });
  const address = r.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const authorization = await basicAuth(r.store, 'default', ['all']);
  const head = (path: string) =>
    `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\n` +
    'X-Experience-API-Version: 2.0.0\r\n';

  // One request in flight, and another client half-way through sending its request.
  const first = await rawConnection(address.port);
  first.send(`${head('/xapi/statements')}Connection: close\r\n\r\n`);
  await inFlight;
  const second = await rawConnection(address.port);
  second.send(head('/xapi/statements?limit=1'));

  const closed = r.app.close(); // what SIGTERM does (closeOnSignals)
  // The drain has begun once the listener is closed (after the preClose hooks).
  await pollUntil('the listener to close', async () => (r.app.server.listening ? undefined : true));
  second.send('\r\n');
  const refused = await second.received;
  release();
  const finished = await first.received;
  await closed;

  t.match(finished, /^HTTP\/1\.1 200 /, 'the request in flight finished');
  t.match(refused, /^HTTP\/1\.1 503 /, 'the request that came during the drain: 503');
  t.match(refused, /\r\nretry-after: 5\r\n/i);
  t.match(refused, /\r\nconnection: close\r\n/i);
  t.strictSame(JSON.parse(refused.split('\r\n\r\n')[1] ?? ''), {
    ...UNAVAILABLE,
    message: 'the service is shutting down; retry after 5 s',
  });
});
