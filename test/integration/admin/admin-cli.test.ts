import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_CREDENTIAL_TTL_MS } from '@cairn/auth';
import { runCli, USAGE } from '@cairn/lrs';
import { DEFAULT_STORE_ID } from '@cairn/store';
import type { Teardown } from '../../helpers/env.js';
import { freePort, runNode, startNode, type Finished } from '../../helpers/processes.js';
import { testResources, type TestResources } from '../../helpers/test-resources.js';
import { basic, call, errorBody, otherProcess, statement } from './admin-client.js';

const NOW = new Date('2026-04-05T06:07:08.000Z');
const CLI = 'services/lrs/dist/cli.js';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The CLI in this process (so that its code counts for coverage), with its output captured. */
async function cli(args: readonly string[], env: Record<string, string>): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    now: () => NOW,
  });
  return { code, stdout, stderr };
}

/** The variables that point the CLI at this test's own database. */
function databaseEnv(r: TestResources): Record<string, string> {
  const uri = process.env['MONGODB_URI'];
  if (uri === undefined) throw new Error('MONGODB_URI is not set: run the tests with npm test');
  return { MONGODB_URI: uri, CAIRN_MONGODB_DATABASE: r.database };
}

async function withDatabase(t: Teardown) {
  const r = await testResources(t);
  const env = databaseEnv(r);
  return { r, env, run: (...args: string[]) => cli(args, env) };
}

function json<T>(ran: Ran | Finished): T {
  return JSON.parse(ran.stdout) as T;
}

t.test('help, and usage errors: status 2 with the usage text, no database needed', async (t) => {
  for (const args of [['help'], ['--help'], ['-h'], ['stores', 'list', '--help']]) {
    t.strictSame(await cli(args, {}), { code: 0, stdout: USAGE, stderr: '' }, args.join(' '));
  }
  const cases: [string[], string][] = [
    [[], 'no command given'],
    [['stores'], 'unknown command: stores'],
    [['stores', 'delete'], 'unknown command: stores delete'],
    [['stores', 'list', 'extra'], 'unknown command: stores list extra'],
    [['stores', 'create'], 'stores create needs --name'],
    [['credentials', 'create', '--store', 'st_1'], 'credentials create needs --scopes'],
    [['credentials', 'revoke', '--store', 'st_1'], 'credentials revoke needs --key'],
    [['stores', 'list', '--name', 'x'], 'stores list takes no --name'],
    [['stores', 'stats', '--store', 'a', '--label', 'b'], 'stores stats takes no --label'],
  ];
  for (const [args, message] of cases) {
    t.strictSame(
      await cli(args, {}),
      { code: 2, stdout: '', stderr: `cairn: ${message}\n\n${USAGE}` },
      args.join(' '),
    );
  }
  const unknownOption = await cli(['stores', 'list', '--verbose'], {});
  t.equal(unknownOption.code, 2);
  t.match(unknownOption.stderr, /^cairn: Unknown option '--verbose'/);
  const missingValue = await cli(['stores', 'create', '--name'], {});
  t.equal(missingValue.code, 2);
  t.match(missingValue.stderr, /^cairn: Option '--name <value>' argument missing/);

  t.strictSame(
    await cli(['stores', 'delete', '--json'], {}),
    {
      code: 2,
      stdout: '',
      stderr: `${JSON.stringify({ code: 'CLI_ERR_USAGE', message: 'unknown command: stores delete' })}\n`,
    },
    'with --json, the error is JSON on stderr',
  );
});

t.test('no usable database: status 1 with one message', async (t) => {
  const missing = await cli(['stores', 'list'], {});
  t.equal(missing.code, 1);
  t.match(
    missing.stderr,
    /^cairn: invalid configuration for cairn:\n {2}- MONGODB_URI is required/,
  );
  const port = await freePort();
  const unreachable = await cli(['stores', 'list'], {
    MONGODB_URI: `mongodb://user:pw@127.0.0.1:${port}/?directConnection=true&serverSelectionTimeoutMS=500`,
  });
  t.equal(unreachable.code, 1);
  t.match(
    unreachable.stderr,
    `cairn: cannot reach MongoDB at mongodb://user:***@127.0.0.1:${port}/`,
  );
  t.notMatch(unreachable.stderr, /pw@/, 'the password is not printed');
});

t.test('every command, as text and as JSON', async (t) => {
  const { run } = await withDatabase(t);

  const created = await run('stores', 'create', '--name', 'Acme Learning');
  t.equal(created.code, 0, created.stderr);
  const id = /^Created store (st_[0-9a-f]{16}) \(Acme Learning\)\.\n$/.exec(created.stdout)?.[1];
  if (id === undefined) throw new Error(`unexpected output: ${created.stdout}`);

  const second = await run('stores', 'create', '--name', 'Beta', '--json');
  t.equal(second.code, 0);
  const beta = json<{ id: string }>(second);
  t.strictSame(beta, {
    id: beta.id,
    name: 'Beta',
    createdAt: NOW.toISOString(),
    corsOrigins: null,
  });

  const list = await run('stores', 'list', '--json');
  const stores = json<{ stores: { id: string; name: string }[] }>(list).stores;
  t.strictSame(
    stores.map((s) => [s.id, s.name]).sort(),
    [
      [DEFAULT_STORE_ID, 'Default store'],
      [id, 'Acme Learning'],
      [beta.id, 'Beta'],
    ].sort(),
    'the CLI made the default store, as an LRS start-up would',
  );
  const table = await run('stores', 'list');
  t.match(table.stdout, /^ID +NAME +CREATED +CORS ORIGINS\n/);
  t.match(
    table.stdout,
    new RegExp(`\n${id} +Acme Learning +${NOW.toISOString()} +inherit \\(CAIRN_CORS_ORIGINS\\)\n`),
  );

  const stats = await run('stores', 'stats', '--store', id);
  t.equal(
    stats.stdout,
    [
      `id:            ${id}`,
      'name:          Acme Learning',
      `created:       ${NOW.toISOString()}`,
      'cors origins:  inherit (CAIRN_CORS_ORIGINS)',
      'statements:    0',
      'last stored:   never',
      '',
    ].join('\n'),
  );
  t.strictSame(json(await run('stores', 'stats', '--store', id, '--json')), {
    id,
    name: 'Acme Learning',
    createdAt: NOW.toISOString(),
    corsOrigins: null,
    statementCount: 0,
    lastStored: null,
  });

  // A store's CORS origins: a list, * for any, or inherit for the installation's.
  const narrowed = await run(
    'stores',
    'update',
    '--store',
    id,
    '--cors-origins',
    'https://courses.example.com, http://localhost:8000',
  );
  t.equal(narrowed.code, 0, narrowed.stderr);
  t.equal(
    narrowed.stdout,
    `Updated store ${id} (Acme Learning); CORS origins: https://courses.example.com,http://localhost:8000. Every LRS process applies them within 5 s.\n`,
  );
  const inherited = json<{ corsOrigins: unknown; name: string }>(
    await run('stores', 'update', '--store', id, '--cors-origins', 'inherit', '--json'),
  );
  t.equal(inherited.corsOrigins, null);
  t.equal(inherited.name, 'Acme Learning');
  const badOrigin = await run(
    'stores',
    'update',
    '--store',
    id,
    '--cors-origins',
    'courses.example.com',
  );
  t.equal(badOrigin.code, 1);
  t.equal(
    badOrigin.stderr,
    'cairn: corsOrigins "courses.example.com" is not an origin (scheme://host[:port])\n',
  );
  const nothing = await run('stores', 'update', '--store', id);
  t.equal(nothing.code, 2);
  t.match(nothing.stderr, /^cairn: stores update needs at least one of --name, --cors-origins\n/);

  const issued = await run(
    'credentials',
    'create',
    '--store',
    id,
    '--scopes',
    'statements/write, statements/read,',
    '--label',
    'LMS',
  );
  t.equal(issued.code, 0, issued.stderr);
  t.match(issued.stdout, /^key: +ck_[0-9a-f]{24}\nsecret: +[A-Za-z0-9_-]{43}\nstore: +st_/);
  t.match(issued.stdout, /scopes: +statements\/write,statements\/read\nlabel: +LMS\n/);
  t.match(issued.stdout, /The secret is shown only this once: keep it now\.\n$/);
  const key = /^key: +(\S+)/.exec(issued.stdout)?.[1] ?? '';

  const bare = json<{ key: string; label: string }>(
    await run('credentials', 'create', '--store', id, '--scopes', 'all', '--json'),
  );
  t.equal(bare.label, '', 'the label is optional');

  const listed = await run('credentials', 'list', '--store', id);
  t.match(listed.stdout, /^KEY +SCOPES +LABEL +CREATED +REVOKED\n/);
  t.match(listed.stdout, new RegExp(`${key} +statements/write,statements/read +LMS +\\S+ +-\\n`));
  t.match(listed.stdout, new RegExp(`${bare.key} +all +- +`));
  t.notMatch(listed.stdout, /scrypt/);

  const revoked = await run('credentials', 'revoke', '--store', id, '--key', key);
  t.strictSame(revoked, {
    code: 0,
    stdout: `Revoked credential ${key} of store ${id}; every LRS process refuses it within 5 s.\n`,
    stderr: '',
  });
  t.strictSame(
    json(await run('credentials', 'revoke', '--store', id, '--key', key, '--json')),
    { key, storeId: id, revoked: true },
    'again: still done',
  );
  const afterRevoke = json<{ credentials: { key: string; revokedAt: string | null }[] }>(
    await run('credentials', 'list', '--store', id, '--json'),
  );
  t.strictSame(
    afterRevoke.credentials.map((c) => [c.key, c.revokedAt]).sort(),
    [
      [key, NOW.toISOString()],
      [bare.key, null],
    ].sort(),
  );
  for (const c of afterRevoke.credentials) {
    t.strictSame(Object.keys(c).sort(), [
      'createdAt',
      'key',
      'label',
      'revokedAt',
      'scopes',
      'storeId',
    ]);
  }
  t.equal((await run('credentials', 'list', '--store', beta.id)).stdout, 'No credentials.\n');
});

t.test('refusals: status 1 with the catalogue message, as text or JSON', async (t) => {
  const { run } = await withDatabase(t);
  const id = json<{ id: string }>(await run('stores', 'create', '--name', 'R', '--json')).id;
  const cases: [string[], string, string][] = [
    [['stores', 'stats', '--store', 'st_nope'], 'ADMIN_ERR_STORE_NOT_FOUND', 'no store st_nope'],
    [['stores', 'create', '--name', '  '], 'ADMIN_ERR_INVALID', 'name must not be empty'],
    [
      ['credentials', 'create', '--store', id, '--scopes', 'all,root'],
      'ADMIN_ERR_UNKNOWN_SCOPE',
      'unknown scope "root": scopes are statements/write, statements/read, statements/read/mine, all/read, all, state, define, profile, reports:cohort, reports:person, admin',
    ],
    [
      ['credentials', 'create', '--store', id, '--scopes', ','],
      'ADMIN_ERR_INVALID',
      'scopes must name at least one scope',
    ],
    [
      ['credentials', 'revoke', '--store', id, '--key', 'ck_x'],
      'ADMIN_ERR_CREDENTIAL_NOT_FOUND',
      `no credential ck_x in store ${id}`,
    ],
    [
      ['credentials', 'list', '--store', 'st_nope'],
      'ADMIN_ERR_STORE_NOT_FOUND',
      'no store st_nope',
    ],
  ];
  for (const [args, code, message] of cases) {
    t.strictSame(
      await run(...args),
      { code: 1, stdout: '', stderr: `cairn: ${message}\n` },
      args.join(' '),
    );
    t.strictSame(
      await run(...args, '--json'),
      { code: 1, stdout: '', stderr: `${JSON.stringify({ code, message })}\n` },
      `${args.join(' ')} --json`,
    );
  }
  t.equal((await run('stores', 'list', '--json')).code, 0);
});

t.test(
  'end to end: a store and credential made by the CLI process authenticate against the LRS',
  async (t) => {
    const r = await testResources(t);
    const env = databaseEnv(r);
    const node = (...args: string[]) => runNode([CLI, ...args], env);

    const usage = await runNode([CLI], env);
    t.equal(usage.code, 2);
    t.match(usage.stderr, 'cairn: no command given\n\nUsage: npm run cairn -- <command>');
    const help = await runNode([CLI, 'help'], {});
    t.equal(help.code, 0);
    t.equal(help.stdout, USAGE);

    const store = await node('stores', 'create', '--name', 'Made by the CLI', '--json');
    t.equal(store.code, 0, store.stderr);
    const { id } = json<{ id: string }>(store);
    const made = await node(
      'credentials',
      'create',
      '--store',
      id,
      '--scopes',
      'statements/write,statements/read',
      '--label',
      'deploy script',
      '--json',
    );
    t.equal(made.code, 0, made.stderr);
    const { key, secret } = json<{ key: string; secret: string }>(made);

    const clock = { ms: 0 };
    const lrs = await otherProcess(t, r, clock);
    const auth = basic(key, secret);
    const post = await call(lrs, 'POST', '/xapi/statements', auth, statement());
    t.equal(post.statusCode, 200, post.body);
    const read = await call(lrs, 'GET', '/xapi/statements', auth);
    t.equal(read.json<{ statements: unknown[] }>().statements.length, 1);

    const stats = await node('stores', 'stats', '--store', id, '--json');
    t.match(json(stats), { id, statementCount: 1 });
    t.not(json<{ lastStored: string | null }>(stats).lastStored, null);

    const unknown = await node('stores', 'stats', '--store', 'st_nope');
    t.strictSame(
      [unknown.code, unknown.stdout, unknown.stderr],
      [1, '', 'cairn: no store st_nope\n'],
    );

    const revoked = await node('credentials', 'revoke', '--store', id, '--key', key);
    t.equal(revoked.code, 0, revoked.stderr);
    t.equal(
      (await call(lrs, 'GET', '/xapi/statements', auth)).statusCode,
      200,
      'the LRS process still has the verification cached',
    );
    clock.ms += DEFAULT_CREDENTIAL_TTL_MS;
    const refused = await call(lrs, 'GET', '/xapi/statements', auth);
    t.strictSame(refused.json(), errorBody(401, 'AUTH_ERR_UNAUTHORIZED', 'credential revoked'));
  },
);

t.test('npm run cairn: the database of a running npm start, or one clear line', async (t) => {
  const r = await testResources(t);
  const { MONGODB_URI: mongoUri, CAIRN_MONGODB_DATABASE: database } = databaseEnv(r);
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-cli-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const script = (...args: string[]) =>
    runNode(['scripts/cairn.mjs', ...args], {
      MONGODB_URI: undefined,
      CAIRN_DATA_DIR: dataDir,
      CAIRN_MONGODB_DATABASE: database,
    });
  const servicesFile = join(dataDir, 'local-services.json');
  const noDatabase = 'cairn: set MONGODB_URI or run npm start\n';

  t.strictSame(
    [await script('stores', 'list')].map((x) => [x.code, x.stdout, x.stderr]),
    [[1, '', noDatabase]],
    'no MONGODB_URI and no npm start',
  );

  const gone = startNode(['-e', ''], {});
  await gone.finished;
  writeFileSync(servicesFile, JSON.stringify({ pid: gone.child.pid, mongoUri }));
  const stale = await script('stores', 'list');
  t.strictSame([stale.code, stale.stderr], [1, noDatabase], 'npm start is no longer running');

  writeFileSync(servicesFile, JSON.stringify({ pid: process.pid, mongoUri }));
  const created = await script('stores', 'create', '--name', 'Via npm run cairn', '--json');
  t.equal(created.code, 0, created.stderr);
  const { id } = json<{ id: string }>(created);
  t.match(await r.store.tenants.get(id), { id, name: 'Via npm run cairn' });
  t.notMatch(created.stdout, /building/, 'what the script says itself goes to stderr');
});
