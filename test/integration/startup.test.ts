import { createServer } from 'node:net';
import t from 'tap';
import { testServers } from '../helpers/env.js';
import { pollUntil } from '../helpers/poll.js';
import { freePort, runNode, startNode } from '../helpers/processes.js';

// Each process's entry point, as `npm start` and the Dockerfile run them.
const MAINS = {
  lrs: 'services/lrs/dist/main.js',
  reports: 'services/reports/dist/main.js',
  aggregator: 'workers/aggregator/dist/main.js',
} as const;

const quiet = { CAIRN_LOG_LEVEL: 'warn' };

for (const [name, main] of Object.entries(MAINS)) {
  t.test(
    `${name}: bad configuration stops start-up with one message naming every bad key`,
    async (t) => {
      const result = await runNode([main], {
        ...quiet,
        MONGODB_URI: 'http://not-mongo',
        REDIS_URL: undefined,
        CAIRN_LOG_LEVEL: 'shouting',
      });
      t.equal(result.code, 1);
      t.match(result.stderr, `${name}: invalid configuration for ${name}:`);
      t.match(result.stderr, /- MONGODB_URI must match pattern/);
      t.match(result.stderr, /- REDIS_URL is required/);
      t.match(result.stderr, /- CAIRN_LOG_LEVEL must be equal to one of the allowed values/);
      t.notMatch(result.stderr, /\s+at .+\(.+:\d+:\d+\)/, 'no stack trace');
    },
  );

  t.test(
    `${name}: an unreachable Redis stops start-up within seconds, naming the server`,
    async (t) => {
      const { mongoUri } = testServers();
      const port = await freePort();
      const result = await runNode([main], {
        ...quiet,
        MONGODB_URI: mongoUri,
        REDIS_URL: `redis://user:pw@127.0.0.1:${port}`,
      });
      t.equal(result.code, 1);
      t.match(result.stderr, `${name}: cannot reach Redis at redis://user:***@127.0.0.1:${port}:`);
      t.notMatch(result.stderr, /pw@/, 'the password is not printed');
    },
  );

  t.test(
    `${name}: an unreachable MONGODB_URI stops start-up within seconds, naming the server`,
    async (t) => {
      const { redisUrl } = testServers();
      const port = await freePort();
      const result = await runNode([main], {
        ...quiet,
        REDIS_URL: redisUrl,
        MONGODB_URI: `mongodb://127.0.0.1:${port}/?directConnection=true&serverSelectionTimeoutMS=1000`,
      });
      t.equal(result.code, 1);
      t.match(result.stderr, `${name}: cannot reach MongoDB at mongodb://127.0.0.1:${port}/`);
    },
  );
}

t.test(
  'lrs: a port already in use stops start-up with a message that says what to do',
  async (t) => {
    const { mongoUri, redisUrl } = testServers();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    t.teardown(() => blocker.close());
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const result = await runNode([MAINS.lrs], {
      ...quiet,
      MONGODB_URI: mongoUri,
      REDIS_URL: redisUrl,
      CAIRN_MONGODB_DATABASE: 'cairn_test_port_in_use',
      CAIRN_LRS_PORT: String(port),
    });
    t.equal(result.code, 1);
    t.match(
      result.stderr,
      `lrs: port ${port} on 127.0.0.1 is already in use: set CAIRN_LRS_PORT to a free port, or stop the process that holds it`,
    );
  },
);

t.test('lrs: a CORS origin list that is not one stops start-up, naming the origin', async (t) => {
  const { mongoUri, redisUrl } = testServers();
  const base = { ...quiet, MONGODB_URI: mongoUri, REDIS_URL: redisUrl };
  const shape = await runNode([MAINS.lrs], { ...base, CAIRN_CORS_ORIGINS: 'courses.example.com' });
  t.equal(shape.code, 1);
  t.match(shape.stderr, /- CAIRN_CORS_ORIGINS must match pattern/);
  const path = await runNode([MAINS.lrs], {
    ...base,
    CAIRN_CORS_ORIGINS: 'https://a.example, https://b.example:443',
  });
  t.equal(path.code, 1);
  t.match(
    path.stderr,
    '- CAIRN_CORS_ORIGINS "https://b.example:443" is not an origin as browsers send it; did you mean "https://b.example"?',
  );
  t.notMatch(path.stderr, /\s+at .+\(.+:\d+:\d+\)/, 'no stack trace');
});

t.test('lrs: starts, answers /ready, and exits 0 on SIGTERM', async (t) => {
  const { mongoUri, redisUrl } = testServers();
  const port = await freePort();
  const running = startNode([MAINS.lrs], {
    ...quiet,
    MONGODB_URI: mongoUri,
    REDIS_URL: redisUrl,
    CAIRN_MONGODB_DATABASE: 'cairn_test_lrs_process',
    CAIRN_LRS_PORT: String(port),
  });
  t.teardown(() => running.child.kill('SIGKILL'));
  const ready = await pollUntil(
    'lrs /ready',
    async () => {
      const res = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
      return res?.status === 200 ? await res.json() : undefined;
    },
    20_000,
  );
  t.same(ready, { status: 'ready', service: 'lrs', checks: { mongodb: 'ok', redis: 'ok' } });
  running.child.kill('SIGTERM');
  const finished = await running.finished;
  t.equal(finished.code, 0, running.output());
});

t.test(
  'lrs: CAIRN_XAPI_MISSING_VERSION_REPLY is checked at start-up and names the version of the 400 for a request without one',
  async (t) => {
    const { mongoUri, redisUrl } = testServers();
    const base = { ...quiet, MONGODB_URI: mongoUri, REDIS_URL: redisUrl };
    const bad = await runNode([MAINS.lrs], { ...base, CAIRN_XAPI_MISSING_VERSION_REPLY: '1.0' });
    t.equal(bad.code, 1);
    t.match(
      bad.stderr,
      '- CAIRN_XAPI_MISSING_VERSION_REPLY must be equal to one of the allowed values: one of 1.0.3, 2.0.0 (got "1.0")',
    );

    const port = await freePort();
    const running = startNode([MAINS.lrs], {
      ...base,
      CAIRN_MONGODB_DATABASE: 'cairn_test_missing_version_reply',
      CAIRN_LRS_PORT: String(port),
      CAIRN_XAPI_MISSING_VERSION_REPLY: '1.0.3',
    });
    t.teardown(() => running.child.kill('SIGKILL'));
    const res = await pollUntil(
      'lrs /xapi/statements',
      () => fetch(`http://127.0.0.1:${port}/xapi/statements`).catch(() => undefined),
      20_000,
    );
    t.equal(res.status, 400);
    t.equal(res.headers.get('x-experience-api-version'), '1.0.3');
    t.same(await res.json(), {
      statusCode: 400,
      error: 'Bad Request',
      code: 'XAPI_ERR_VERSION_MISSING',
      message: 'the X-Experience-API-Version header is required (1.0, 1.0.x, 2.0 or 2.0.x)',
    });
    running.child.kill('SIGTERM');
    t.equal((await running.finished).code, 0, running.output());
  },
);
