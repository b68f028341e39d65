// The dashboard in a real browser (headless Chromium), against the reports service on a store
// seeded with the simulator's organisation and aggregated by the real pipeline: what an analyst
// or a team lead does with it, and what it must never show.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import t from 'tap';
import { reportStack } from '../reports/report-fixture.js';
import {
  DESKTOP,
  launchBrowser,
  newContext,
  PHONE,
  screenshot,
  signIn,
  viewReady,
} from './browser.js';

// Seeding the store through the real pipeline takes a minute or two on the local server.
t.setTimeout(600_000);
const stack = await reportStack(t);
const base = await stack.reports.listen({ host: '127.0.0.1', port: 0 });
const browser = await launchBrowser(t);
const cohortOnly = await stack.auth(['reports:cohort']);
const analyst = await stack.auth(['reports:cohort', 'reports:person']);
const admin = await stack.auth(['admin']);
const people = (await stack.get('/api/v1/people?limit=5', admin)).json<{
  people: { id: string }[];
}>().people;
const person = people[0]?.id ?? '';

/** The heatmap's table as the page shows it: one line per row. */
async function tableText(page: Page): Promise<string> {
  const body = page.locator('[data-view] details table tbody');
  await body.locator('tr').first().waitFor({ state: 'attached' });
  return (await body.textContent()) ?? '';
}

t.test('sign-in keeps only an HttpOnly, SameSite=Strict session cookie', async (t) => {
  const { context, page, problems } = await newContext(browser);
  await signIn(page, base, analyst);
  const cookies = await context.cookies();
  t.strictSame(
    cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite })),
    [{ name: 'cairn_session', httpOnly: true, sameSite: 'Strict' }],
  );
  const secret = Buffer.from(analyst.slice(6), 'base64').toString().split(':')[1] ?? '';
  t.notOk(page.url().includes(secret), 'the secret is not in the URL');
  const storage = await page.evaluate('[localStorage.length, sessionStorage.length]');
  t.strictSame(storage, [0, 0], 'nothing in local or session storage');
  t.match(
    await page.locator('#who').innerText(),
    /Signed in as test reports:cohort reports:person/,
  );
  t.strictSame(problems, []);
  await context.close();
});

t.test('a wrong secret is refused, and the form says why', async (t) => {
  const { context, page } = await newContext(browser);
  await page.goto(`${base}/dashboard/`);
  await page.getByLabel('Key').fill('key-nobody');
  await page.getByLabel('Secret').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  t.equal(await page.getByRole('alert').innerText(), 'Sign-in failed: unknown key or wrong secret');
  t.strictSame(await context.cookies(), []);
  await context.close();
});

const VIEWS = [
  { view: 'overview', search: '?view=overview', chart: 'heatmap' },
  { view: 'skill', search: '?view=skill', chart: 'growth' },
  { view: 'social', search: '?view=social', chart: 'sources' },
  { view: 'sharing', search: '?view=sharing', chart: 'sharing' },
  { view: 'person', search: `?view=person&person=${person}`, chart: 'profile' },
  { view: 'health', search: '?view=health', chart: 'data-health' },
] as const;

t.test('each view renders with data, at desktop and phone sizes', async (t) => {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    const { context, page, problems } = await newContext(browser, viewport);
    await signIn(page, base, analyst);
    for (const v of VIEWS) {
      await page.goto(`${base}/dashboard/${v.search}`);
      await viewReady(page, v.view);
      const card = page.locator(`[data-testid="${v.chart}"]`);
      t.equal(await card.count(), 1, `${v.view} (${size}): its chart card is there`);
      t.ok(await card.locator('canvas').count(), `${v.view} (${size}): the chart is drawn`);
      t.equal(await page.locator('.state.error').count(), 0, `${v.view} (${size}): no error`);
      await screenshot(page, `${v.view}-${size}`);
    }
    // Content Security Policy violations and script errors show up here.
    t.strictSame(problems, [], `${size}: no console errors`);
    await context.close();
  }
});

t.test('a filter changes the URL and the figures; a reload restores the view', async (t) => {
  const { context, page } = await newContext(browser);
  await signIn(page, base, analyst);
  const before = await tableText(page);
  await page.getByLabel('Source').selectOption('social');
  await page.waitForURL(/source=social/);
  await viewReady(page, 'overview');
  const after = await tableText(page);
  await screenshot(page, 'overview-social-desktop');
  t.ok(before.length > 0 && after.length > 0, 'both tables have rows');
  t.not(after, before, 'the figures changed');
  await page.reload();
  await viewReady(page, 'overview');
  t.equal(await page.getByLabel('Source').inputValue(), 'social', 'the filter is restored');
  t.equal(await tableText(page), after, 'the same figures');
  await page.goBack();
  await viewReady(page, 'overview');
  t.equal(await tableText(page), before, 'back shows the figures before the filter');
  await context.close();
});

t.test("a chart's CSV download is exactly what the API serves", async (t) => {
  const { context, page } = await newContext(browser);
  await signIn(page, base, analyst, '?view=overview&source=formal&cohort=department');
  const link = page.locator('[data-testid="heatmap"] a[data-testid="csv"]');
  const href = (await link.getAttribute('href')) ?? '';
  t.match(href, /^\/api\/v1\/reports\/heatmap\?/);
  t.match(href, /source=formal/);
  t.match(href, /cohort=department/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const downloaded = await readFile((await download.path()) ?? '', 'utf8');
  const api = await stack.get(href, analyst);
  t.equal(api.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(downloaded, api.body);
  await context.close();
});

t.test('small cohorts stay withheld, as the API withholds them', async (t) => {
  const { context, page } = await newContext(browser);
  await signIn(page, base, analyst);
  const api = (await stack.get('/api/v1/reports/heatmap', analyst)).json<{
    rows: Record<string, unknown>[];
  }>().rows;
  const withheld = api.filter((r) => r['withheld'] !== null);
  t.ok(withheld.length > 0, 'the seeded store has withheld cells');
  await page.locator('details summary').click();
  const rows = await page.locator('[data-view] details table tbody tr').allInnerTexts();
  for (const r of withheld) {
    const line = rows.find((x) => {
      const cells = x.split('\t');
      const cohort = r['attribute'] === 'organisation' ? 'Organisation' : r['cohort'];
      return cells[0] === cohort && cells[1] === r['skillName'];
    });
    t.ok(line, `${String(r['cohort'])} x ${String(r['skillName'])} is listed`);
    const cells = (line ?? '').split('\t');
    t.strictSame(
      [cells[2], cells[4], cells.at(-1)],
      ['–', '–', String(r['withheld'])],
      'no figure, and why',
    );
  }
  const note = await page.locator('[data-testid="heatmap"] .note').innerText();
  // The chart withholds the mastery colour of cells whose mastery alone is withheld, too.
  const noColour = api.filter(
    (r) => r['withheld'] !== null || (r['meanMastery'] === null && r['masteryWithheld'] !== null),
  );
  t.match(note, `${noColour.length} cell(s) withheld`);
  await context.close();
});

t.test("a reports:cohort credential never sees a person's name", async (t) => {
  const { context, page } = await newContext(browser);
  await signIn(page, base, cohortOnly);
  const nav = await page.locator('nav').innerText();
  t.notMatch(nav, /Person/, 'no person view is offered');
  const names = stack.directory.people.map((p) => p.name);
  const seen: string[] = [];
  for (const v of VIEWS.filter((x) => x.view !== 'person')) {
    await page.goto(`${base}/dashboard/${v.search}`);
    await viewReady(page, v.view);
    seen.push(await page.locator('body').innerText());
  }
  // A person link shared with them lands on the overview instead.
  await page.goto(`${base}/dashboard/?view=person&person=${person}`);
  await viewReady(page, 'overview');
  seen.push(await page.locator('body').innerText());
  const text = seen.join('\n');
  t.ok(names.length > 0);
  t.strictSame(
    names.filter((n) => text.includes(n)),
    [],
    'no name of the directory appears',
  );
  t.notOk(text.includes(person), 'nor a person id');
  await context.close();
});

t.test('the evidence behind a figure opens from the person view', async (t) => {
  const { context, page } = await newContext(browser);
  await signIn(page, base, analyst, `?view=person&person=${person}`);
  await page.locator('[data-view] table tbody tr').first().click();
  await page.locator('[data-testid="evidence-card"]').waitFor();
  t.ok(
    (await page.locator('[data-testid="evidence-card"] tbody tr').count()) > 0,
    'evidence rows are listed',
  );
  await screenshot(page, 'person-evidence-desktop');
  await context.close();
});

t.test('sign-out ends the session; revoking the credential ends it too', async (t) => {
  const { context, page } = await newContext(browser);
  await signIn(page, base, analyst);
  const [cookie] = await context.cookies();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  t.strictSame(await context.cookies(), [], 'the cookie is gone');
  const replay = await stack.reports.inject({
    method: 'GET',
    url: '/api/v1/reports/data-health',
    headers: { cookie: `cairn_session=${cookie?.value ?? ''}` },
  });
  t.equal(replay.statusCode, 401, 'the old cookie opens nothing');

  const doomed = await stack.auth(['reports:cohort']);
  await signIn(page, base, doomed);
  const key = Buffer.from(doomed.slice(6), 'base64').toString().split(':')[0] ?? '';
  await stack.store.credentials.revoke('default', key, new Date());
  await page.reload();
  await page.getByRole('alert').waitFor();
  t.match(await page.getByRole('alert').innerText(), /credential revoked/);
  await context.close();
});
