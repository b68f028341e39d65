// Every 503 carries Retry-After; an outage of the database or queues reads as CAIRN_ERR_UNAVAILABLE,
// while a service's own 503 (a dashboard that was never built) keeps the code that says what to do.
import createError from '@fastify/error';
import { fastify } from 'fastify';
import t from 'tap';
import { createErrorHandler } from '@cairn/http';

const NotBuilt = createError<[string]>('DASHBOARD_ERR_NOT_BUILT', '%s', 503);
const StoreDown = createError<[string]>(
  'STORE_ERR_UNAVAILABLE',
  'the database is unavailable: %s',
  503,
);

async function answer(error: Error) {
  const app = fastify();
  app.setErrorHandler(createErrorHandler());
  app.get('/', () => Promise.reject(error));
  const res = await app.inject({ url: '/' });
  await app.close();
  return res;
}

t.test("a service's own 503 keeps its code and message", async (t) => {
  const res = await answer(new NotBuilt('the dashboard is not built: run `npm run build`'));
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '5');
  t.strictSame(res.json(), {
    statusCode: 503,
    error: 'Service Unavailable',
    code: 'DASHBOARD_ERR_NOT_BUILT',
    message: 'the dashboard is not built: run `npm run build`',
  });
});

t.test("the store's 503 reads as the database being unreachable", async (t) => {
  const res = await answer(new StoreDown('timed out'));
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '5');
  t.match(res.json(), { code: 'CAIRN_ERR_UNAVAILABLE', message: /cannot reach its database/u });
});
