import t from 'tap';
import { buildTestApp, buildTestReportsApp } from '../helpers/build-test-app.js';

for (const [service, build] of [
  ['lrs', buildTestApp],
  ['reports', buildTestReportsApp],
] as const) {
  t.test(
    `${service}: /health answers without credentials while the process is alive`,
    async (t) => {
      const { app } = await build(t);
      const res = await app.inject({ method: 'GET', url: '/health' });
      t.equal(res.statusCode, 200);
      t.same(res.json(), { status: 'ok', service });
    },
  );

  t.test(`${service}: /ready is 200 when MongoDB and Redis answer`, async (t) => {
    const { app } = await build(t);
    const res = await app.inject({ method: 'GET', url: '/ready' });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { status: 'ready', service, checks: { mongodb: 'ok', redis: 'ok' } });
  });

  t.test(`${service}: /ready is 503 and names the dependency that does not answer`, async (t) => {
    const { app } = await build(t, {
      checks: [
        { name: 'mongodb', check: async () => undefined },
        {
          name: 'redis',
          check: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
        },
        { name: 'slow', check: () => new Promise<void>(() => undefined) },
      ],
    });
    const res = await app.inject({ method: 'GET', url: '/ready' });
    t.equal(res.statusCode, 503);
    t.same(res.json(), {
      status: 'not ready',
      service,
      checks: {
        mongodb: 'ok',
        redis: 'error: connect ECONNREFUSED 127.0.0.1:1',
        slow: 'no answer within 2000 ms',
      },
    });
  });

  t.test(`${service}: an unknown route answers a JSON 404 that names it`, async (t) => {
    const { app } = await build(t);
    const res = await app.inject({ method: 'GET', url: '/nothing/here?x=1' });
    t.equal(res.statusCode, 404);
    t.same(res.json(), {
      statusCode: 404,
      error: 'Not Found',
      code: 'HTTP_ERR_NOT_FOUND',
      message: 'no route for GET /nothing/here',
    });
  });
}

t.test('lrs: /xapi/about lists every supported version without credentials', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({ method: 'GET', url: '/xapi/about' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = res.json<{ version: string[]; extensions: Record<string, unknown> }>();
  t.same(body.version, ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0']);
  t.same(body.extensions['https://cairn-lrs.org/xapi/extensions/lrs'], {
    name: 'Cairn',
    version: '0.0.0-test',
  });
  t.equal(
    res.headers['x-experience-api-version'],
    '2.0.0',
    'the latest version when none is asked for',
  );
});

t.test('lrs: /xapi/about answers in the version asked for', async (t) => {
  const { app } = await buildTestApp(t);
  const res = await app.inject({
    method: 'GET',
    url: '/xapi/about',
    headers: { 'X-Experience-API-Version': '1.0.3' },
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-experience-api-version'], '1.0.3');
});
