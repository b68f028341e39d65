// Store isolation, route by route. Cairn promises that a credential of one store can never read,
// write, list, count or even detect the existence of another store's data, through any resource,
// filter, `more` link or error message.
//
// The test builds one LRS, and the reports service on the same database, with two stores made
// through the admin API, A full of data and B with
// one statement of its own, each with a credential holding every scope (B's `admin` included:
// neither is the default store, whose admins administer every store). Then, for every route and
// method the app has, B aims requests at A's data: A's statement ids, activity, agent, document
// addresses, ETags, attachment hash, `more` link, store id and credential key. Each answer must be
// the answer to the same request about things that never existed anywhere (the same status,
// headers and body once the names are swapped), and A must read exactly the same afterwards.
//
// The list of routes comes from each app itself (routes.ts): a route added later to either service
// without a case here makes the first subtest fail. Cases live next to this file, one module per resource.
import t from 'tap';
import { adminCases } from './admin-cases.js';
import { canonicalCases } from './canonical-cases.js';
import type { IsolationCase } from './case.js';
import { corsCases } from './cors-cases.js';
import { documentCases } from './document-cases.js';
import { expectAUnchanged } from './expectations.js';
import { buildWorld } from './fixture.js';
import { openCases } from './open-cases.js';
import { peopleApiCases } from './people-api-cases.js';
import { reportCases } from './report-cases.js';
import { routeKey, routesOf } from './routes.js';
import { skillsApiCases } from './skills-api-cases.js';
import { statementCases } from './statement-cases.js';

const ALL_CASES: readonly IsolationCase[] = [
  ...openCases,
  ...adminCases,
  ...canonicalCases,
  ...statementCases,
  ...documentCases,
  ...corsCases,
  ...peopleApiCases,
  ...skillsApiCases,
  ...reportCases,
];

// Reading cases first: while they run, B holds only its own statement, so "B gets an empty
// result" and "B's count is 1" are exact. Writing cases leave B with statements of its own that
// reuse A's ids and content, which B may of course read.
const reads = (c: IsolationCase): boolean => ['GET', 'HEAD', 'OPTIONS'].includes(c.method);
const ORDERED = [...ALL_CASES.filter(reads), ...ALL_CASES.filter((c) => !reads(c))];

t.test("store B's credential gets nothing of store A, by any route", async (t) => {
  const w = await buildWorld(t);

  t.test('every route of both services has a case, and every case a route', async (t) => {
    const lrs = routesOf('lrs', w.app);
    const reports = routesOf('reports', w.reports);
    t.ok(lrs.length >= 30, `the LRS's route tree was read (${lrs.length} routes)`);
    t.ok(
      reports.length >= 20,
      `the reports service's route tree was read (${reports.length} routes)`,
    );
    const routes = [...lrs, ...reports].map(routeKey).sort();
    t.strictSame([...new Set(ALL_CASES.map(routeKey))].sort(), routes);
  });

  for (const c of ORDERED) {
    t.test(`${routeKey(c)}: ${c.attempt}`, (t) => c.run(t, w));
  }

  t.test('after all of it, A reads exactly what it read before', async (t) => {
    await expectAUnchanged(t, w, 'every request of B');
  });
});
