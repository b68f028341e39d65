// Per-credential rate limits (CAIRN_RATE_LIMIT_PER_MINUTE): counted in Redis, so every process of
// a service shares one allowance per credential (the LRS's and the reports service's are apart);
// answered 429 with Retry-After.
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { createRedis } from '@cairn/jobs';
import { buildTestApp, reportsAppOn } from '../helpers/build-test-app.js';
import { basicAuth } from '../helpers/credentials.js';
import { testServers, type Teardown } from '../helpers/env.js';

async function producer(t: Teardown, url = testServers().redisUrl) {
  const redis = createRedis(url, 'producer');
  redis.on('error', () => undefined); // the dead-Redis case reports through failed commands
  t.teardown(() => redis.disconnect());
  return redis;
}

const query = (app: FastifyInstance, authorization: string) =>
  app.inject({
    method: 'GET',
    url: '/xapi/statements?limit=1',
    headers: { authorization, 'x-experience-api-version': '2.0.0' },
  });

t.test(
  'past its allowance a credential gets 429 with Retry-After; others are unaffected',
  async (t) => {
    const redis = await producer(t);
    await redis.connect();
    const { app, store } = await buildTestApp(t, { rateLimit: { redis, perMinute: 3 } });
    const ann = await basicAuth(store, 'default', ['all']);
    const bob = await basicAuth(store, 'default', ['all']);

    const first = await query(app, ann);
    t.equal(first.statusCode, 200);
    t.equal(first.headers['x-ratelimit-limit'], '3');
    t.equal(first.headers['x-ratelimit-remaining'], '2');
    t.equal((await query(app, ann)).statusCode, 200);
    t.equal((await query(app, ann)).statusCode, 200);

    const limited = await query(app, ann);
    t.equal(limited.statusCode, 429);
    t.match(limited.headers['retry-after'], /^\d+$/, 'Retry-After in seconds');
    t.ok(Number(limited.headers['retry-after']) <= 60, 'within the one-minute window');
    t.equal(limited.headers['x-experience-api-version'], '2.0.0', 'the version is echoed here too');
    t.match(limited.json(), {
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'AUTH_ERR_RATE_LIMITED',
      message:
        /^rate limit of 3 requests a minute for this credential reached; retry in \d+ (seconds?|minute)$/,
    });

    t.equal((await query(app, bob)).statusCode, 200, 'another credential has its own allowance');
  },
);

t.test('two processes share one allowance per credential through Redis', async (t) => {
  const redis = await producer(t);
  await redis.connect();
  const one = await buildTestApp(t, { rateLimit: { redis, perMinute: 3 } });
  const two = await buildTestApp(t, { rateLimit: { redis, perMinute: 3 } });
  // The same credential in both databases stands for one credential seen by two processes.
  const auth = await basicAuth(one.store, 'default', ['all']);
  const key = Buffer.from(auth.slice('Basic '.length), 'base64').toString().split(':')[0] ?? '';
  const record = await one.store.credentials.findByKey(key);
  if (record === null) throw new Error('credential missing');
  await two.store.tenants.ensure('default', 'default', new Date());
  await two.store.credentials.upsert(record);

  t.equal((await query(one.app, auth)).statusCode, 200);
  t.equal((await query(two.app, auth)).statusCode, 200);
  t.equal((await query(one.app, auth)).statusCode, 200);
  t.equal((await query(two.app, auth)).statusCode, 429, 'the fourth request, on either process');
});

t.test('requests with a wrong secret do not use up the credential’s allowance', async (t) => {
  const redis = await producer(t);
  await redis.connect();
  const { app, store } = await buildTestApp(t, { rateLimit: { redis, perMinute: 2 } });
  const auth = await basicAuth(store, 'default', ['all']);
  const key = Buffer.from(auth.slice('Basic '.length), 'base64').toString().split(':')[0] ?? '';
  const forged = `Basic ${Buffer.from(`${key}:not-the-secret`).toString('base64')}`;
  for (let i = 0; i < 4; i++) t.equal((await query(app, forged)).statusCode, 401);
  t.equal((await query(app, auth)).statusCode, 200);
  t.equal((await query(app, auth)).statusCode, 200);
  t.equal((await query(app, auth)).statusCode, 429);
});

t.test('when Redis cannot count, requests pass: the limit guards, it does not gate', async (t) => {
  const dead = await producer(t, 'redis://127.0.0.1:9');
  const { app, store } = await buildTestApp(t, { rateLimit: { redis: dead, perMinute: 1 } });
  const auth = await basicAuth(store, 'default', ['all']);
  t.equal((await query(app, auth)).statusCode, 200);
  t.equal((await query(app, auth)).statusCode, 200);
});

t.test(
  "the reports service counts a credential's requests apart from the LRS's, with the same answer",
  async (t) => {
    const redis = await producer(t);
    await redis.connect();
    const lrs = await buildTestApp(t, { rateLimit: { redis, perMinute: 2 } });
    const reports = await reportsAppOn(t, lrs, {
      rateLimit: { redis, perMinute: 2, service: 'reports' },
    });
    const auth = await basicAuth(lrs.store, 'default', ['all']);
    const frameworks = () =>
      reports.inject({
        method: 'GET',
        url: '/api/v1/frameworks',
        headers: { authorization: auth },
      });

    t.equal((await query(lrs.app, auth)).statusCode, 200);
    t.equal((await query(lrs.app, auth)).statusCode, 200);
    t.equal((await query(lrs.app, auth)).statusCode, 429, 'the LRS allowance is used up');
    const first = await frameworks();
    t.equal(first.statusCode, 200, 'the reports allowance is whole');
    t.equal(first.headers['x-ratelimit-remaining'], '1');
    t.equal((await frameworks()).statusCode, 200);
    const limited = await frameworks();
    t.equal(limited.statusCode, 429);
    t.match(limited.headers['retry-after'], /^\d+$/, 'Retry-After in seconds');
    t.match(limited.json(), {
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'AUTH_ERR_RATE_LIMITED',
      message:
        /^rate limit of 2 requests a minute for this credential reached; retry in \d+ (seconds?|minute)$/,
    });
  },
);
