import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { backoff, sendStatements, statementsUrl } from '@cairn/simulate';

interface Seen {
  readonly url: string;
  readonly authorization: string;
  readonly version: string;
  readonly ids: string[];
}

/** A tiny LRS: answers with `answer(request number, ids)`; 200 bodies list the ids. */
async function fakeLrs(
  t: Test,
  answer: (n: number, ids: string[]) => number,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const ids = (JSON.parse(body) as { id: string }[]).map((s) => s.id);
      seen.push({
        url: request.url ?? '',
        authorization: request.headers.authorization ?? '',
        version: String(request.headers['x-experience-api-version']),
        ids,
      });
      const status = answer(seen.length, ids);
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(status === 429 ? { 'retry-after': '0' } : {}),
      });
      response.end(JSON.stringify(status === 200 ? ids : { message: 'no' }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  t.teardown(() => new Promise<void>((done) => server.close(() => done())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/xapi`, seen };
}

const statements = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ id: `s${i}` }));

const options = { key: 'k', secret: 's', rate: 0, maxRetries: 3, backoffMs: 1 } as const;

t.test('429 and 503 are retried; the tally counts requests and statements', async (t) => {
  const { url, seen } = await fakeLrs(t, (n) => (n === 1 ? 429 : n === 2 ? 503 : 200));
  const tally = await sendStatements(statements(5), { ...options, url, batch: 5, concurrency: 1 });
  t.same(tally, {
    requests: { accepted: 1, rejected: 0, failed: 0, retried: 2 },
    statements: { accepted: 5, rejected: 0, failed: 0 },
  });
  t.equal(seen.length, 3);
  t.equal(seen[0]?.url, '/xapi/statements');
  t.equal(seen[0]?.authorization, `Basic ${Buffer.from('k:s').toString('base64')}`);
  t.equal(seen[0]?.version, '1.0.3');
});

t.test('a rejected batch is split until the bad statements are alone', async (t) => {
  const { url } = await fakeLrs(t, (_n, ids) => (ids.includes('s3') ? 400 : 200));
  const tally = await sendStatements(statements(8), { ...options, url, batch: 8, concurrency: 2 });
  t.same(tally.statements, { accepted: 7, rejected: 1, failed: 0 });
  // 8 -> 4 (bad) + 4 -> 2 (bad) + 2 -> 1 (bad) + 1: four rejections, three acceptances.
  t.same(tally.requests, { accepted: 3, rejected: 4, failed: 0, retried: 0 });
});

t.test('giving up after the retries, and other errors, count as failed', async (t) => {
  const busy = await fakeLrs(t, () => 503);
  const gaveUp = await sendStatements(statements(3), {
    ...options,
    url: busy.url,
    batch: 2,
    concurrency: 2,
  });
  t.same(gaveUp.statements, { accepted: 0, rejected: 0, failed: 3 });
  t.equal(busy.seen.length, 2 * (options.maxRetries + 1));
  const denied = await fakeLrs(t, () => 401);
  const tally = await sendStatements(statements(3), {
    ...options,
    url: denied.url,
    batch: 10,
    concurrency: 1,
  });
  t.same(tally.requests, { accepted: 0, rejected: 0, failed: 1, retried: 0 });
});

t.test('an unreachable LRS fails after retrying', async (t) => {
  const progress: number[] = [];
  const tally = await sendStatements(['{"id":"a"}'], {
    ...options,
    url: 'http://127.0.0.1:1/xapi',
    batch: 1,
    concurrency: 1,
    maxRetries: 1,
    onProgress: (x) => progress.push(x.requests.retried),
  });
  t.same(tally.statements, { accepted: 0, rejected: 0, failed: 1 });
  t.same(progress, [1, 1]);
});

t.test('the rate limit spaces requests out', async (t) => {
  const { url, seen } = await fakeLrs(t, () => 200);
  const tally = await sendStatements(statements(4), {
    ...options,
    url,
    batch: 1,
    concurrency: 4,
    rate: 1000,
  });
  t.equal(tally.statements.accepted, 4);
  t.equal(seen.length, 4);
});

t.test('URLs and back-off', async (t) => {
  t.equal(statementsUrl('http://x/xapi/'), 'http://x/xapi/statements');
  t.equal(statementsUrl('http://x/xapi/statements'), 'http://x/xapi/statements');
  t.equal(backoff(0, 100, null), 100);
  t.equal(backoff(3, 100, null), 800);
  t.equal(backoff(30, 100, null), 30_000);
  t.equal(backoff(0, 100, '2'), 2000);
  t.equal(backoff(0, 100, 'soon'), 100);
});
