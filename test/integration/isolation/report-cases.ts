// The reports (/api/v1/reports), the report settings and the OpenAPI document and Swagger UI of
// the reports service, with B's credential (every scope): B's reports are B's store's only, a
// report naming A's framework, skill or person is answered exactly like one naming nothing, B's
// report settings are B's, and the documentation routes belong to no store.
import type { Test } from 'tap';
import { onReports, type IsolationCase } from './case.js';
import { expectNothingOfA, nowhere } from './expectations.js';
import type { Method, World } from './fixture.js';
import { personOfA } from './people-api-cases.js';
import { FRAMEWORK_OF_A, SECRET_SKILL, SECRETS, skillsOfA } from './skills-api-cases.js';

const REPORTS = '/api/v1/reports';
const COHORT_REPORTS = [
  'heatmap',
  'top-growing',
  'growth',
  'social-formal',
  'knowledge-sharing',
  'formal-outcomes',
] as const;
const NO_FRAMEWORK = 'https://nowhere.example.org/frameworks/none';
const NO_SKILL = 'https://nowhere.example.org/skills/none';
const A_PSEUDONYM_KEY = 'pseudonym-key-of-a-'.repeat(3);

function namesNothingOfA(t: Test, w: World, body: string): void {
  for (const secret of [...SECRETS(w), w.dataOfA.agent.mbox, A_PSEUDONYM_KEY])
    t.notOk(body.includes(secret), `does not name ${secret}`);
}

/** B's cohort report: B's own (empty) store, and A's framework answered as no framework. */
const cohortReport = (method: Method, report: (typeof COHORT_REPORTS)[number]): IsolationCase => ({
  method,
  url: `${REPORTS}/${report}`,
  attempt: `B's ${report}: nothing of A, and A's framework is no framework`,
  async run(t, w) {
    await skillsOfA(w);
    const own = await w.b.reports({ method: 'GET', url: `${REPORTS}/${report}` });
    t.equal(own.statusCode, 200, own.body.slice(0, 200));
    namesNothingOfA(t, w, own.body);
    const param = (framework: string) => `framework=${encodeURIComponent(framework)}`;
    await expectNothingOfA(
      t,
      w.b.reports,
      { method, url: `${REPORTS}/${report}?${param(FRAMEWORK_OF_A)}` },
      { method, url: `${REPORTS}/${report}?${param(NO_FRAMEWORK)}` },
      [[FRAMEWORK_OF_A, NO_FRAMEWORK]],
      { status: 404 },
    );
  },
});

const dataHealth = (method: Method): IsolationCase => ({
  method,
  url: `${REPORTS}/data-health`,
  attempt: "B's data health counts nothing of A",
  async run(t, w) {
    await personOfA(w);
    const res = await w.b.reports({ method: 'GET', url: `${REPORTS}/data-health` });
    t.equal(res.statusCode, 200);
    namesNothingOfA(t, w, res.body);
    const rows = res.json<{ rows: { check: string; count: number | null }[] }>().rows;
    t.equal(rows.find((r) => r.check === 'people without a directory entry')?.count, 0);
    t.equal((await w.b.reports({ method, url: `${REPORTS}/data-health` })).statusCode, 200);
  },
});

/** A's person's profile or evidence: a 404 as for a person who never existed. */
const personReport = (method: Method, what: 'profile' | 'evidence'): IsolationCase => ({
  method,
  url: `${REPORTS}/people/:id/${what}`,
  attempt: `B reads A's person's ${what}`,
  async run(t, w) {
    const a = await personOfA(w);
    const other = nowhere.sha2();
    const query = what === 'evidence' ? `?skill=${encodeURIComponent(NO_SKILL)}` : '';
    await expectNothingOfA(
      t,
      w.b.reports,
      { method, url: `${REPORTS}/people/${a.personId}/${what}${query}` },
      { method, url: `${REPORTS}/people/${other}/${what}${query}` },
      [[a.personId, other]],
      { status: 404 },
    );
    if (what === 'evidence') {
      const skill = encodeURIComponent(SECRET_SKILL);
      const res = await w.b.reports({
        method: 'GET',
        url: `${REPORTS}/people/${a.personId}/evidence?skill=${skill}`,
      });
      t.equal(res.statusCode, 404, "A's skill is no skill of B's");
    }
  },
});

/** A's report settings, set once per world with A's credential. */
const settingsOfA = new WeakMap<World, Promise<void>>();
function reportSettingsOfA(w: World): Promise<void> {
  let made = settingsOfA.get(w);
  if (made === undefined) {
    made = (async () => {
      const res = await w.a.reports({
        method: 'PUT',
        url: '/api/v1/report-settings',
        payload: { minCohort: 7, pseudonymKey: A_PSEUDONYM_KEY },
      });
      if (res.statusCode !== 200)
        throw new Error(`A's report settings: ${res.statusCode} ${res.body}`);
    })();
    settingsOfA.set(w, made);
  }
  return made;
}

async function expectSettingsOfAUnchanged(t: Test, w: World): Promise<void> {
  const a = await w.store.reportSettingsOf(w.a.storeId).get();
  t.equal(a.minCohort, 7, "A's k is A's");
  t.equal(a.pseudonymKey, A_PSEUDONYM_KEY, "A's key is A's");
}

const settingsRead = (method: Method): IsolationCase => ({
  method,
  url: '/api/v1/report-settings',
  attempt: "B reads its own report settings, not A's",
  async run(t, w) {
    await reportSettingsOfA(w);
    const res = await w.b.reports({ method, url: '/api/v1/report-settings' });
    t.equal(res.statusCode, 200);
    const got = await w.b.reports({ method: 'GET', url: '/api/v1/report-settings' });
    t.match(got.json(), { minCohort: 5, pseudonymKeySet: false });
    namesNothingOfA(t, w, got.body);
  },
});

const settingsWrite: IsolationCase = {
  method: 'PUT',
  url: '/api/v1/report-settings',
  attempt: "B changes its own report settings; A's are untouched",
  async run(t, w) {
    await reportSettingsOfA(w);
    const res = await w.b.reports({
      method: 'PUT',
      url: '/api/v1/report-settings',
      payload: { minCohort: 9 },
    });
    t.equal(res.statusCode, 200);
    t.match(res.json(), { minCohort: 9, pseudonymKeySet: false });
    await expectSettingsOfAUnchanged(t, w);
  },
};

/** The OpenAPI document and Swagger UI: no credential, no store; the same for anyone. */
const documentation = (method: Method, route: string, request: string): IsolationCase => ({
  service: 'reports',
  method,
  url: route,
  attempt: 'the same for anyone, naming nothing of A',
  async run(t, w) {
    await skillsOfA(w);
    const [anonymous, b] = [
      await w.anonymousReports({ method, url: request }),
      await w.b.reports({ method, url: request }),
    ];
    t.equal(anonymous.statusCode, b.statusCode);
    t.ok(anonymous.statusCode < 400, `${request}: ${anonymous.statusCode}`);
    t.equal(anonymous.body, b.body);
    namesNothingOfA(t, w, anonymous.body);
  },
});

const DOCS: readonly (readonly [string, string])[] = [
  ['/api/v1/openapi.json', '/api/v1/openapi.json'],
  ['/api/v1/docs', '/api/v1/docs'],
  ['/api/v1/docs/', '/api/v1/docs/'],
  ['/api/v1/docs/json', '/api/v1/docs/json'],
  ['/api/v1/docs/yaml', '/api/v1/docs/yaml'],
  ['/api/v1/docs/static/index.html', '/api/v1/docs/static/index.html'],
  ['/api/v1/docs/static/swagger-initializer.js', '/api/v1/docs/static/swagger-initializer.js'],
  ['/api/v1/docs/static/*', '/api/v1/docs/static/swagger-ui.css'],
];

export const reportCases: IsolationCase[] = [
  ...onReports([
    ...(['GET', 'HEAD'] as const).flatMap((m) => [
      ...COHORT_REPORTS.map((r) => cohortReport(m, r)),
      dataHealth(m),
      personReport(m, 'profile'),
      personReport(m, 'evidence'),
      settingsRead(m),
    ]),
    settingsWrite,
  ]),
  ...DOCS.flatMap(([route, request]) =>
    (['GET', 'HEAD'] as const).map((m) => documentation(m, route, request)),
  ),
];
