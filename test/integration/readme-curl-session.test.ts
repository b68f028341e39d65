// The README's curl sessions are a promise to every new user. Run as written against a real LRS,
// the first posts a statement, a batch, a voiding statement and an attachment, and reads them
// back; against the reports service, the second makes a framework and a rule, dry-runs a statement
// and looks a person up. This test takes each shell block from README.md as it is (only the lines
// that set LRS or API, KEY and SECRET are replaced by this test's server and credential), runs it
// with bash and curl, and checks each answer.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { buildTestApp, buildTestReportsApp } from '../helpers/build-test-app.js';
import type { Scope } from '@cairn/auth';
import type { Store } from '@cairn/store';
import { basicAuth } from '../helpers/credentials.js';
import type { Teardown } from '../helpers/env.js';

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The first ```sh block after a heading of README.md, without its LRS=, API=, KEY= and R= lines. */
function curlSession(heading: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const at = readme.indexOf(`### ${heading}`);
  if (at === -1) throw new Error(`README.md has no "### ${heading}" section`);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (block === undefined) throw new Error(`README.md has no sh block under "${heading}"`);
  return block
    .split('\n')
    .filter((line) => !/^(LRS|API|KEY|R)=/.test(line))
    .join('\n');
}

/** The key and secret of a new credential of the default store. */
async function keyAndSecret(store: Store, scopes: Scope[]): Promise<[string, string]> {
  const [key = '', secret = ''] = Buffer.from(
    (await basicAuth(store, 'default', scopes)).slice('Basic '.length),
    'base64',
  )
    .toString('utf8')
    .split(':');
  return [key, secret];
}

/** Runs a session with bash -euo pipefail in a directory of its own; its standard output. */
async function runSession(
  t: Teardown,
  session: string,
  env: Record<string, string>,
): Promise<string> {
  const cwd = mkdtempSync(join(tmpdir(), 'cairn-readme-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));
  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', session], {
    cwd,
    env: { PATH: process.env['PATH'], ...env },
    timeout: 60_000,
  });
  return stdout;
}

function ids(line: string | undefined): string[] {
  const parsed = JSON.parse(line ?? 'null') as unknown;
  if (!Array.isArray(parsed) || !parsed.every((id) => typeof id === 'string' && UUID.test(id))) {
    throw new Error(`expected a list of statement ids, got ${String(line)}`);
  }
  return parsed as string[];
}

t.test("the README's curl session runs as written and reads back what it stored", async (t) => {
  const { app, store } = await buildTestApp(t);
  const [key, secret] = await keyAndSecret(store, ['all']);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  const stdout = await runSession(t, curlSession('A curl session'), {
    LRS: `http://127.0.0.1:${port}/xapi`,
    KEY: key,
    SECRET: secret,
  });
  // Every answer but the last is one line of JSON (xapi() ends each with a newline); the last is
  // the headers and the multipart body of the page with its attachment.
  const lines = stdout.split('\n');
  const [first, batch, voiding, gone, voided, attached, query] = lines;
  const rest = lines.slice(7).join('\n');

  const [id] = ids(first);
  t.match(id, UUID, '1. one statement: its id');
  t.equal(ids(batch).length, 2, '2. a batch: an id for each statement, assigned by Cairn');
  const [voidingId] = ids(voiding);
  t.match(voidingId, UUID, '3. the voiding statement is stored');
  t.match(
    JSON.parse(gone ?? ''),
    { statusCode: 404, code: 'XAPI_ERR_NOT_FOUND' },
    '   the voided statement is gone by statementId',
  );
  t.match(JSON.parse(voided ?? ''), {
    id,
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  });
  const [attachedId] = ids(attached);
  t.match(attachedId, UUID, '4. the statement with an attachment is stored');

  const listed = (JSON.parse(query ?? '') as { statements: { id: string }[] }).statements.map(
    (s) => s.id,
  );
  const [passed, answered] = ids(batch);
  t.same(
    listed,
    [attachedId, voidingId, passed],
    "5. Ada's statements, newest first: the voided one gone, the voiding one listed",
  );
  t.notOk(listed.includes(answered ?? ''), 'the statement of another person is not listed');
  t.match(rest, /^content-type: multipart\/mixed; boundary=/im, 'the page comes as multipart');
  t.match(rest, /Certificate: Ada completed Intro to SQL/, 'with the attachment in it');
  t.match(rest, /"more":"\/xapi\/statements\?more=/, 'and a more link to the next page');
});

t.test(
  "the README's reports-service session runs as written against port 8081's app",
  async (t) => {
    const { app, store } = await buildTestReportsApp(t);
    // What `npm start` prints holds every scope; the session needs `admin`.
    const [key, secret] = await keyAndSecret(store, ['admin']);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;

    const stdout = await runSession(t, curlSession('Skills, people and directory'), {
      API: `http://127.0.0.1:${port}/api/v1`,
      KEY: key,
      SECRET: secret,
    });
    const [framework, rules, dryRun, people] = stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as unknown);

    const SQL = 'https://skills.acme.example/sql';
    t.match(
      framework,
      { generation: 1, framework: { id: 'acme', name: 'Acme skills' } },
      '1. the framework, generation 1',
    );
    t.match(rules, { generation: 2, rules: [{ id: 'intro-to-sql' }] }, '2. the rule, generation 2');
    t.match(
      dryRun,
      {
        generation: 2,
        idAssigned: true,
        type: 'evidence',
        rows: [{ skill: SQL, day: /^\d{4}-\d{2}-\d{2}$/ }],
      },
      '3. the dry run: one SQL row, the statement given an id',
    );
    t.equal((dryRun as { rows: unknown[] }).rows.length, 1);
    t.strictSame(people, { people: [], next: null }, '4. nobody yet: people come from statements');
  },
);

t.test("the README's reports session: one line per report, each answered", async (t) => {
  const { app, store } = await buildTestReportsApp(t);
  const [key, secret] = await keyAndSecret(store, ['admin']);
  const admin = { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
  // A store with the README's framework and one person from a directory import.
  for (const [url, payload] of [
    [
      '/api/v1/frameworks',
      {
        id: 'acme',
        name: 'Acme skills',
        skills: [{ iri: 'https://skills.acme.example/sql', name: 'SQL' }],
      },
    ],
    [
      '/api/v1/directory',
      {
        people: [
          {
            id: 'ada',
            name: 'Ada',
            identifiers: [{ kind: 'mbox', value: 'ada@example.org' }],
            memberships: [{ team: 'data', department: 'eng', from: '2024-01-01' }],
          },
        ],
      },
    ],
  ] as const) {
    const res = await app.inject({ method: 'POST', url, headers: admin, payload });
    t.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const stdout = await runSession(t, curlSession('Reports'), {
    R: `http://127.0.0.1:${port}/api/v1/reports`,
    KEY: key,
    SECRET: secret,
  });
  const [csvHeader, ...rest] = stdout.split('\n').filter((line) => line !== '');
  t.match(csvHeader, /^attribute,cohort,skill,skillName,withheld,/u, '1. the heatmap as CSV');
  const reports = rest.map((line) => JSON.parse(line) as { report?: string; statusCode?: number });
  t.same(
    reports.map((r) => r.report),
    [
      'person-profile',
      'growth',
      'top-growing',
      'social-formal',
      'knowledge-sharing',
      'formal-outcomes',
      'evidence',
      'data-health',
    ],
    '2-9: every report answers',
  );
});
