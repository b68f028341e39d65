// The README's curl session is a promise to every new user: run as written, against a real LRS, it
// posts a statement, a batch, a voiding statement and an attachment, and reads them back. This
// test takes the shell block from README.md as it is (only the lines that set LRS, KEY and SECRET
// are replaced by this test's server and credential), runs it with bash and curl, and checks each
// answer.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { buildTestApp } from '../helpers/build-test-app.js';
import { basicAuth } from '../helpers/credentials.js';

const run = promisify(execFile);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The first ```sh block after the "A curl session" heading, without its LRS= and KEY= lines. */
function curlSession(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### A curl session'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README.md has no sh block under "A curl session"');
  return block
    .split('\n')
    .filter((line) => !/^(LRS|KEY)=/.test(line))
    .join('\n');
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
  const [key = '', secret = ''] = Buffer.from(
    (await basicAuth(store, 'default', ['all'])).slice('Basic '.length),
    'base64',
  )
    .toString('utf8')
    .split(':');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const cwd = mkdtempSync(join(tmpdir(), 'cairn-readme-'));
  t.teardown(() => rmSync(cwd, { recursive: true, force: true }));

  const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', curlSession()], {
    cwd,
    env: {
      PATH: process.env['PATH'],
      LRS: `http://127.0.0.1:${port}/xapi`,
      KEY: key,
      SECRET: secret,
    },
    timeout: 60_000,
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
