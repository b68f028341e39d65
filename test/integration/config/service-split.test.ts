// The analysts' configuration API (/api/v1: frameworks, rules, verbs, dry runs, people,
// directory) is the reports service's: the LRS serves xAPI and the admin API only, and answers
// /api/v1 like any route it does not have. Both services read the same credentials.
import t from 'tap';
import { buildTestApp, reportsAppOn } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';

t.test(
  'GET /api/v1/frameworks: 404 from the LRS, the store’s frameworks from reports',
  async (t) => {
    const lrs = await buildTestApp(t);
    const reports = await reportsAppOn(t, lrs);
    const authorization = await basicAuth(lrs.store, 'default', ['admin']);
    const request = {
      method: 'GET',
      url: '/api/v1/frameworks',
      headers: { authorization },
    } as const;

    const fromLrs = await lrs.app.inject(request);
    t.equal(fromLrs.statusCode, 404);
    t.strictSame(fromLrs.json(), {
      statusCode: 404,
      error: 'Not Found',
      code: 'HTTP_ERR_NOT_FOUND',
      message: 'no route for GET /api/v1/frameworks',
    });

    const fromReports = await reports.inject(request);
    t.equal(fromReports.statusCode, 200);
    t.strictSame(fromReports.json(), { generation: 0, frameworks: [] });
  },
);

t.test('no route of the reports service’s /api/v1 is left in the LRS', async (t) => {
  const lrs = await buildTestApp(t);
  const reports = await reportsAppOn(t, lrs);
  const routes = [
    ['GET', '/api/v1/frameworks'],
    ['POST', '/api/v1/frameworks/import'],
    ['GET', '/api/v1/rules'],
    ['PUT', '/api/v1/verbs'],
    ['POST', '/api/v1/dry-run'],
    ['GET', '/api/v1/people'],
    ['POST', '/api/v1/people/merge'],
    ['POST', '/api/v1/directory'],
  ] as const;
  for (const [method, url] of routes) {
    t.ok(reports.hasRoute({ method, url }), `reports has ${method} ${url}`);
    t.notOk(lrs.app.hasRoute({ method, url }), `the LRS has no ${method} ${url}`);
  }
});

t.test('one credential works on both services, each within its scopes', async (t) => {
  const lrs = await buildTestApp(t);
  const reports = await reportsAppOn(t, lrs);
  const authorization = await basicAuth(lrs.store, 'default', ['all']);
  const statements = await lrs.app.inject({
    method: 'GET',
    url: '/xapi/statements?limit=1',
    headers: { authorization, 'x-experience-api-version': '2.0.0' },
  });
  t.equal(statements.statusCode, 200, 'the LRS: xAPI with `all`');
  const rules = await reports.inject({
    method: 'GET',
    url: '/api/v1/rules',
    headers: { authorization },
  });
  t.equal(rules.statusCode, 200, 'reports: reading rules with `all`');
  const write = await reports.inject({
    method: 'PUT',
    url: '/api/v1/verbs',
    headers: { authorization },
    payload: {},
  });
  t.equal(write.statusCode, 403);
  t.strictSame(write.json(), {
    statusCode: 403,
    error: 'Forbidden',
    code: 'AUTH_ERR_FORBIDDEN',
    message: 'this credential lacks scope admin; it has: all',
  });
});
