// `npm run cairn -- verify|rebuild --store S` (workers/aggregator/src/run-cli.ts): called in this
// process, and once through scripts/cairn.mjs to check that it dispatches the two commands there.
import t from 'tap';
import { AGGREGATOR_USAGE, runAggregatorCli } from '@cairn/aggregator';
import { SKILL_ALIGNMENT_EXTENSION } from '@cairn/analytics';
import { COLLECTIONS } from '@cairn/store';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import { pollUntil } from '../../helpers/poll.js';
import { runNode } from '../../helpers/processes.js';

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(args: readonly string[], env: Record<string, string>): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await runAggregatorCli(args, {
    env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

t.test('help and usage errors need no database', async (t) => {
  for (const args of [['help'], ['--help'], ['verify', '-h']]) {
    t.strictSame(await cli(args, {}), { code: 0, stdout: AGGREGATOR_USAGE, stderr: '' });
  }
  const cases: [string[], string][] = [
    [[], 'no command given'],
    [['verify'], 'verify needs --store'],
    [['rebuild', '--json'], 'rebuild needs --store'],
    [['verify', 'now', '--store', 'x'], 'unknown command: verify now'],
    [['stores', 'list'], 'unknown command: stores list'],
  ];
  for (const [args, message] of cases) {
    const ran = await cli(args, {});
    t.equal(ran.code, 2, args.join(' '));
    t.equal(
      ran.stderr,
      args.includes('--json')
        ? `${JSON.stringify({ code: 'CLI_ERR_USAGE', message })}\n`
        : `cairn: ${message}\n\n${AGGREGATOR_USAGE}`,
    );
  }
  t.strictSame(
    (await cli(['verify'], {})).stderr,
    `cairn: verify needs --store\n\n${AGGREGATOR_USAGE}`,
  );
  const noDatabase = await cli(['verify', '--store', 'x'], {});
  t.equal(noDatabase.code, 1);
  t.match(
    noDatabase.stderr,
    /^cairn: invalid configuration for cairn:\n {2}- MONGODB_URI is required/,
  );
});

t.test('verify finds a wrong bucket, rebuild repairs it', async (t) => {
  const r = await buildTestApp(t);
  const uri = process.env['MONGODB_URI'];
  if (uri === undefined) throw new Error('MONGODB_URI is not set: run the tests with npm test');
  const env = { MONGODB_URI: uri, CAIRN_MONGODB_DATABASE: r.database };
  await startTestAggregator(t, r);
  const res = await r.app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: {
      authorization: await basicAuth(r.store, 'default', ['all']),
      'x-experience-api-version': '2.0.0',
    },
    payload: [1, 2, 3].map((n) => ({
      actor: { mbox: 'mailto:ann@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/passed' },
      object: {
        id: `https://example.com/activities/${n}`,
        definition: {
          extensions: { [SKILL_ALIGNMENT_EXTENSION]: ['https://skills.example.com/safety'] },
        },
      },
      result: { success: true },
      timestamp: '2024-03-01T09:00:00.000Z',
    })),
  });
  t.equal(res.statusCode, 200);
  const statements = r.mongo.db.collection(COLLECTIONS.statements);
  await pollUntil('the pipeline to drain', async () =>
    (await statements.countDocuments({ 'pipeline.state': 'pending' })) === 0 ? true : undefined,
  );

  t.strictSame(await cli(['verify', '--store', 'default'], env), {
    code: 0,
    stdout: 'Store default: the buckets match its statements.\n',
    stderr: '',
  });
  t.strictSame(await cli(['verify', '--store', 'nope'], env), {
    code: 1,
    stdout: '',
    stderr: 'cairn: unknown store: nope\n',
  });

  // A bucket gone wrong (a lost update): one more statement counted than there are.
  const [day] = await r.store.skillDaysOf('default').list();
  if (day === undefined) throw new Error('no bucket');
  const one = { statements: 1n, events: 0n, w: 0n, wy: 0n, wy2: 0n, wout: 0n };
  t.ok(await r.store.skillDaysOf('default').addOnce(day.key, one, 'test-corrupt'));
  await r.store.skillDaysOf('default').settle(day.key, 'test-corrupt');

  const found = await cli(['verify', '--store', 'default'], env);
  t.equal(found.code, 1, found.stderr);
  const lines = found.stdout.trim().split('\n');
  t.equal(lines.at(-1), 'Store default: 1 bucket(s) differ from its statements.');
  const difference = JSON.parse(lines[0] ?? '') as Record<string, Record<string, unknown>>;
  t.strictSame(difference['key'], { ...day.key });
  t.equal(difference['live']?.['statements'], String(day.totals.statements + 1n), 'as a string');
  t.equal(difference['expected']?.['statements'], String(day.totals.statements));

  const asJson = await cli(['verify', '--store', 'default', '--json'], env);
  t.equal(asJson.code, 1);
  t.match(JSON.parse(asJson.stdout), { store: 'default', differences: [{ key: day.key }] });

  // A lost evidence row too: rebuild starts from the statements, not from the evidence.
  const evidence = r.mongo.db.collection(COLLECTIONS.evidence);
  const rowsBefore = await evidence.countDocuments();
  await evidence.deleteOne({});
  const rebuilt = await cli(['rebuild', '--store', 'default', '--json'], env);
  t.equal(rebuilt.code, 0, rebuilt.stderr);
  t.match(JSON.parse(rebuilt.stdout), {
    store: 'default',
    statements: 3,
    rows: rowsBefore,
    buckets: Number,
    generation: 0,
  });
  t.equal(await evidence.countDocuments({ state: 'counted' }), rowsBefore, 'every row again');
  t.equal((await cli(['verify', '--store', 'default'], env)).code, 0, 'exact again');

  // Through npm run cairn: scripts/cairn.mjs sends verify here, not to the LRS's CLI.
  const script = await runNode(
    ['scripts/cairn.mjs', 'verify', '--store', 'default', '--json'],
    {
      ...env,
    },
    120_000,
  );
  t.equal(script.code, 0, script.stderr);
  t.strictSame(JSON.parse(script.stdout), { store: 'default', differences: [], voids: [] });
});
