// What an analyst gets from services/reports on a store the real pipeline filled with the
// simulator's organisation: every report in JSON, CSV and NDJSON, person-level data only with
// reports:person, small cohorts withheld everywhere, exports that a spreadsheet cannot turn into
// formulas, and cohort figures that are exactly what their members' figures give.
import t from 'tap';
import { AS_OF, reportStack } from './report-fixture.js';

t.setTimeout(300_000);

interface Table {
  report: string;
  meta: Record<string, unknown>;
  columns: { name: string }[];
  rows: Record<string, unknown>[];
}

const FORMULA_TEAM = '=HYPERLINK("http://evil.example","x")';

t.test('the reports of an aggregated organisation', async (t) => {
  const s = await reportStack(t);
  const cohort = await s.auth(['reports:cohort']);
  const person = await s.auth(['reports:person']);
  const admin = await s.auth(['admin']);
  const xapiOnly = await s.auth(['all']);

  const heat = (await s.get(`/api/v1/reports/heatmap?asOf=${AS_OF}`, cohort)).json<Table>();

  t.test(
    'heatmap: teams x skills and the organisation, every figure with its people',
    async (t) => {
      t.equal(heat.report, 'heatmap');
      t.match(heat.meta, { asOf: AS_OF, cohort: 'team', membership: 'event', k: 5 });
      const org = heat.rows.filter((r) => r['attribute'] === 'organisation');
      const teams = heat.rows.filter((r) => r['attribute'] === 'team');
      t.ok(org.length > 0 && teams.length > 0, 'rows for teams and for the organisation');
      for (const row of heat.rows) {
        if (row['withheld'] === null) {
          t.ok(
            (row['people'] as number) >= 5,
            `${String(row['cohort'])}: a shown cell has >= k people`,
          );
          if (row['meanMastery'] !== null) {
            t.ok((row['meanLow80'] as number) <= (row['meanMastery'] as number));
            t.ok((row['meanMastery'] as number) <= (row['meanHigh80'] as number));
          }
        } else {
          t.equal(row['people'], null, 'a withheld cell shows no figure');
          t.equal(row['meanMastery'], null);
          t.equal(row['formalStatements'], null);
        }
      }
      t.ok(
        teams.some((r) => r['withheld'] !== null || r['masteryWithheld'] !== null),
        'teams of about eight: some cells are withheld',
      );
      const shown = org.filter((r) => r['withheld'] === null);
      t.ok(shown.length > 0, 'the organisation is large enough to be shown');
    },
  );

  t.test('CSV and NDJSON carry the same rows, as attachments', async (t) => {
    const csv = await s.get(`/api/v1/reports/heatmap?asOf=${AS_OF}&format=csv`, cohort);
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /^text\/csv/u);
    t.equal(
      csv.headers['content-disposition'],
      `attachment; filename="cairn-heatmap-${AS_OF}.csv"`,
    );
    const lines = csv.body.trim().split('\n');
    t.equal(lines[0], heat.columns.map((c) => c.name).join(','), 'the header is the columns');
    t.equal(lines.length, heat.rows.length + 1, 'one line per row');
    const nd = await s.get(`/api/v1/reports/heatmap?asOf=${AS_OF}`, cohort, {
      accept: 'application/x-ndjson',
    });
    t.match(nd.headers['content-type'], /^application\/x-ndjson/u);
    t.same(
      nd.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
      heat.rows,
    );
    const refused = await s.get(`/api/v1/reports/heatmap`, cohort, { accept: 'text/html' });
    t.equal(refused.statusCode, 406);
    t.match(refused.json(), { code: 'REPORTS_ERR_NOT_ACCEPTABLE', statusCode: 406 });
  });

  t.test("a cohort figure is what its members' figures give", async (t) => {
    // Current membership: each member's evidence is all theirs, so the cohort's mean mastery is
    // the mean of the members' profile mastery, over those with sufficient evidence.
    const current = (
      await s.get(`/api/v1/reports/heatmap?asOf=${AS_OF}&membership=current`, cohort)
    ).json<Table>();
    const cell = current.rows.find(
      (r) => r['attribute'] === 'team' && r['withheld'] === null && r['meanMastery'] !== null,
    );
    if (cell === undefined) throw new Error('no shown team cell with a mean');
    const members = s.directory.people.filter(
      (p) =>
        p.memberships.find((m) => m.from <= AS_OF && (m.to === undefined || AS_OF < m.to))?.team ===
        cell['cohort'],
    );
    const masteries: number[] = [];
    for (const m of members) {
      const mbox = m.identifiers.find((i) => i.kind === 'mbox');
      if (mbox?.kind !== 'mbox') continue;
      const found = await s.store
        .peopleOf('default')
        .findByIdentifiers([`mbox::mailto:${mbox.value.replace(/^mailto:/u, '')}`]);
      const id = found[0]?.personId;
      if (id === undefined) continue;
      const profile = (
        await s.get(
          `/api/v1/reports/people/${id}/profile?asOf=${AS_OF}&skill=${encodeURIComponent(String(cell['skill']))}`,
          person,
        )
      ).json<Table>();
      const row = profile.rows[0];
      if (row?.['sufficient'] === true) masteries.push(row['mastery'] as number);
    }
    t.equal(masteries.length, cell['sufficient'], "the sufficient members are the cell's");
    const mean = masteries.reduce((a, b) => a + b, 0) / masteries.length;
    t.ok(
      Math.abs(mean - (cell['meanMastery'] as number)) < 1e-9,
      `mean ${mean} = ${String(cell['meanMastery'])}`,
    );
  });

  t.test('person-level reports need reports:person; cohort ones reports:cohort', async (t) => {
    const [someone] = (await s.store.peopleOf('default').list({ limit: 1 })).people;
    if (someone === undefined) throw new Error('no person');
    const denied = await s.get(`/api/v1/reports/people/${someone.personId}/profile`, cohort);
    t.equal(denied.statusCode, 403);
    t.match(denied.json(), { statusCode: 403, code: 'AUTH_ERR_FORBIDDEN' });
    const growthOfPerson = await s.get(`/api/v1/reports/growth?person=${someone.personId}`, cohort);
    t.equal(growthOfPerson.statusCode, 403);
    t.match(growthOfPerson.json(), { statusCode: 403, code: 'AUTH_ERR_FORBIDDEN' });
    const noReports = await s.get(`/api/v1/reports/heatmap`, xapiOnly);
    t.equal(noReports.statusCode, 403, "xAPI's all does not grant reports");
    const noCohort = await s.get(`/api/v1/reports/heatmap`, person);
    t.equal(noCohort.statusCode, 403, 'reports:person does not grant cohort reports');
    t.equal((await s.get(`/api/v1/reports/heatmap`, admin)).statusCode, 200, 'admin does');
    const unknown = await s.get(`/api/v1/reports/people/${'0'.repeat(64)}/profile`, person);
    t.equal(unknown.statusCode, 404);
    t.match(unknown.json(), { code: 'REPORTS_ERR_NOT_FOUND' });
  });

  t.test('person profile: mastery inside its interval, growth, trend', async (t) => {
    const [someone] = (await s.store.peopleOf('default').list({ limit: 5 })).people;
    if (someone === undefined) throw new Error('no person');
    const profile = (
      await s.get(`/api/v1/reports/people/${someone.personId}/profile?asOf=${AS_OF}`, person)
    ).json<Table>();
    t.ok(profile.rows.length > 0, 'skills with evidence');
    for (const row of profile.rows) {
      t.ok((row['low80'] as number) <= (row['mastery'] as number));
      t.ok((row['mastery'] as number) <= (row['high80'] as number));
      t.equal(String(row['trend']).split(' ').length, 12, 'twelve weekly points');
    }
  });

  t.test('evidence drill-down: pages without overlap; the export streams every row', async (t) => {
    const [someone] = (await s.store.peopleOf('default').list({ limit: 1 })).people;
    if (someone === undefined) throw new Error('no person');
    const profile = (
      await s.get(`/api/v1/reports/people/${someone.personId}/profile?asOf=${AS_OF}`, person)
    ).json<Table>();
    const leaf = profile.rows.find((r) => !String(r['skill']).endsWith('/'));
    const skill = encodeURIComponent(String(leaf?.['skill']));
    const base = `/api/v1/reports/people/${someone.personId}/evidence?skill=${skill}&asOf=${AS_OF}`;
    const all = await s.get(`${base}&format=ndjson`, person);
    t.equal(all.statusCode, 200, all.body.slice(0, 200));
    const every = all.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    t.ok(every.length >= 2, `${every.length} rows`);
    const first = (await s.get(`${base}&limit=1`, person)).json<Table>();
    t.equal(first.rows.length, 1);
    const next = first.meta['next'];
    t.type(next, 'string');
    const second = (await s.get(`${base}&limit=1000&after=${String(next)}`, person)).json<Table>();
    t.same([...first.rows, ...second.rows], every, 'two pages are the whole, in order');
    const days = every.map((r) => String(r['day']));
    t.same(days, [...days].sort().reverse(), 'latest first');
    const bad = await s.get(`${base}&after=nonsense`, person);
    t.equal(bad.statusCode, 400);
    t.match(bad.json(), { code: 'REPORTS_ERR_INVALID' });
  });

  t.test('growth over time and top growing', async (t) => {
    const growth = (
      await s.get(`/api/v1/reports/growth?asOf=${AS_OF}&weeks=8`, cohort)
    ).json<Table>();
    t.ok(growth.rows.length > 0);
    t.ok(growth.rows.every((r) => (r['week'] as number) <= 0 && (r['week'] as number) > -8));
    const top = (
      await s.get(`/api/v1/reports/top-growing?asOf=${AS_OF}&period=28`, cohort)
    ).json<Table>();
    t.same(
      top.rows.map((r) => r['rank']),
      top.rows.map((_, i) => i + 1),
      'ranked 1..n',
    );
    for (const r of top.rows)
      if (r['growing'] === true) t.ok((r['z'] as number) > (r['threshold'] as number));
  });

  t.test('social and formal: by source over time, with and without, by platform', async (t) => {
    const base = `/api/v1/reports/social-formal?asOf=${AS_OF}`;
    const sources = (await s.get(base, cohort)).json<Table>();
    t.match(sources.meta, { view: 'sources', note: /^Associations, not causes/u });
    t.ok(sources.rows.length > 0);
    for (const r of sources.rows) {
      const total = (r['formalStatements'] as number) + (r['socialStatements'] as number);
      if (total > 0) t.equal(r['socialShare'], (r['socialStatements'] as number) / total);
    }
    t.ok(
      sources.rows.some((r) => (r['socialStatements'] as number) > 0),
      'the simulated organisation learns socially',
    );
    const groups = (await s.get(`${base}&view=with-without`, cohort)).json<Table>();
    t.ok(groups.rows.length > 0);
    for (const r of groups.rows) {
      t.ok(['with-social', 'without-social'].includes(String(r['group'])));
      if (r['withheld'] === null && r['people'] !== null)
        t.ok((r['people'] as number) >= 5, 'a shown group has >= k people');
    }
    const platforms = (await s.get(`${base}&view=platforms`, cohort)).json<Table>();
    t.ok(platforms.rows.some((r) => r['withheld'] === null && r['platform'] !== null));
    for (const r of platforms.rows)
      if (r['withheld'] === null) t.ok((r['people'] as number) >= 5);
      else t.equal(r['statements'], null);
  });

  t.test(
    'knowledge sharing: cohort flows for reports:cohort, edges for reports:person',
    async (t) => {
      const flows = (
        await s.get(`/api/v1/reports/knowledge-sharing?asOf=${AS_OF}`, cohort)
      ).json<Table>();
      t.ok(flows.rows.length > 0, 'likes credit authors: someone helps someone');
      for (const r of flows.rows) {
        if (r['withheld'] === null) {
          t.ok((r['helpers'] as number) >= 5 && (r['helped'] as number) >= 5);
        } else t.equal(r['statements'], null);
      }
      t.notMatch(JSON.stringify(flows), /[0-9a-f]{64}/u, 'no person id in a cohort report');
      const denied = await s.get(`/api/v1/reports/knowledge-sharing?level=person`, cohort);
      t.equal(denied.statusCode, 403);
      t.match(denied.json(), { code: 'AUTH_ERR_FORBIDDEN' });
      const edges = (
        await s.get(`/api/v1/reports/knowledge-sharing?level=person&asOf=${AS_OF}`, person)
      ).json<Table>();
      t.ok(edges.rows.length > 0);
      for (const r of edges.rows) t.ok((r['helperReach'] as number) >= 1);
    },
  );

  t.test('formal outcomes: pass rates and score distributions by activity', async (t) => {
    const outcomes = (
      await s.get(`/api/v1/reports/formal-outcomes?asOf=${AS_OF}`, cohort)
    ).json<Table>();
    const shown = outcomes.rows.filter((r) => r['withheld'] === null);
    t.ok(shown.length > 0, 'some activities have enough people');
    for (const r of shown) {
      t.ok((r['people'] as number) >= 5);
      const bins = Object.entries(r)
        .filter(([name]) => name.startsWith('score'))
        .reduce((n, [, v]) => n + (v as number), 0);
      t.equal(bins, r['outcomes'], 'every outcome is in one score bin');
      if (r['passRate'] !== null)
        t.ok((r['passRate'] as number) >= 0 && (r['passRate'] as number) <= 1);
    }
    for (const r of outcomes.rows.filter((x) => x['withheld'] !== null))
      t.equal(r['score0to10'], null);
  });

  t.test('data health names what is missing and what to do', async (t) => {
    const health = (await s.get('/api/v1/reports/data-health', cohort)).json<Table>();
    t.same(
      health.rows.map((r) => r['check']),
      [
        'unmapped verbs',
        'people without a directory entry',
        'failed pipeline jobs',
        'pipeline lag p99 (ms, last 5 minutes)',
      ],
    );
  });

  t.test('small cohorts: with k above every team, every team cell is withheld', async (t) => {
    const put = await s.reports.inject({
      method: 'PUT',
      url: '/api/v1/report-settings',
      headers: { authorization: admin },
      payload: { minCohort: 30 },
    });
    t.equal(put.statusCode, 200);
    t.match(put.json(), { minCohort: 30, pseudonymKeySet: false });
    const withheld = (
      await s.get(`/api/v1/reports/heatmap?asOf=${AS_OF}&format=json`, cohort)
    ).json<Table>();
    for (const row of withheld.rows.filter((r) => r['attribute'] === 'team')) {
      t.not(row['withheld'], null);
      t.equal(row['people'], null);
    }
    const csv = await s.get(`/api/v1/reports/heatmap?asOf=${AS_OF}&format=csv`, cohort);
    t.notMatch(csv.body, /,\d+,\d+,0\.\d+/u, 'the export withholds them too');
    await s.reports.inject({
      method: 'PUT',
      url: '/api/v1/report-settings',
      headers: { authorization: admin },
      payload: { minCohort: 5 },
    });
  });

  t.test('pseudonymised exports need the store key, then hide person ids', async (t) => {
    const [someone] = (await s.store.peopleOf('default').list({ limit: 1 })).people;
    if (someone === undefined) throw new Error('no person');
    const url = `/api/v1/reports/people/${someone.personId}/profile?pseudonymise=true`;
    const refused = await s.get(url, person);
    t.equal(refused.statusCode, 400);
    t.match(refused.json(), { code: 'REPORTS_ERR_INVALID' });
    await s.reports.inject({
      method: 'PUT',
      url: '/api/v1/report-settings',
      headers: { authorization: admin },
      payload: { pseudonymKey: 'k'.repeat(40) },
    });
    const shown = (await s.get(url, person)).json<Table>();
    t.match(shown.meta['person'], /^ps_[0-9a-f]{64}$/u);
    t.not(shown.meta['person'], someone.personId);
    const again = (await s.get(url, person)).json<Table>();
    t.equal(again.meta['person'], shown.meta['person'], 'stable: exports can be joined');
  });

  t.test('the OpenAPI document lists every report, with an example', async (t) => {
    const doc = (await s.reports.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    t.match(doc.openapi, /^3\.1/u);
    for (const path of [
      '/api/v1/reports/heatmap',
      '/api/v1/reports/growth',
      '/api/v1/reports/top-growing',
      '/api/v1/reports/data-health',
      '/api/v1/reports/people/{id}/profile',
      '/api/v1/reports/people/{id}/evidence',
      '/api/v1/reports/social-formal',
      '/api/v1/reports/knowledge-sharing',
      '/api/v1/reports/formal-outcomes',
    ])
      t.ok(doc.paths[path]?.['get'], path);
    const ui = await s.reports.inject({ method: 'GET', url: '/api/v1/docs' });
    t.ok([200, 302].includes(ui.statusCode), 'Swagger UI is served');
  });
});

t.test('a cohort named like a formula is text in the CSV export', async (t) => {
  const s = await reportStack(t, { firstTeamName: FORMULA_TEAM });
  const cohort = await s.auth(['reports:cohort']);
  const put = await s.reports.inject({
    method: 'PUT',
    url: '/api/v1/report-settings',
    headers: { authorization: await s.auth(['admin']) },
    payload: { minCohort: 1 },
  });
  t.equal(put.statusCode, 200);
  const csv = await s.get(`/api/v1/reports/heatmap?asOf=${AS_OF}&format=csv`, cohort);
  t.match(csv.body, `"'=HYPERLINK(""http://evil.example"",""x"")"`, 'quoted, apostrophe first');
  t.notMatch(csv.body, /(^|,)"?=HYPERLINK/mu, 'never a bare formula');
});
