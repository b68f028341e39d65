import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runCli, type CliIo, type Summary } from '@cairn/simulate';

function io(tty = false): CliIo & { outText: () => string; errText: () => string } {
  let out = '';
  let err = '';
  let clock = 0;
  return {
    out: (text) => (out += text),
    err: (text) => (err += text),
    errIsTty: tty,
    now: () => (clock += 1000),
    outText: () => out,
    errText: () => err,
  };
}

t.test('generates into --out with the options given', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-simulate-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const cli = io();
  const args = ['--people', '6', '--days', '5', '--seed', '9', '--start', '2025-03-03'];
  const code = await runCli([...args, '--mess', 'duplicates,invalid', '--out', dir], cli);
  t.equal(code, 0, cli.errText());
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary;
  t.match(summary, { people: 6, days: 5, seed: 9, start: '2025-03-03' });
  t.same(summary.messEnabled, ['duplicates', 'invalid']);
  t.match(cli.outText(), /statement lines for 6 people/);
  t.match(cli.errText(), /generated in/);
});

t.test('bad arguments exit with 2 and say why', async (t) => {
  for (const [args, message] of [
    [['--people', 'many'], /--people must be an integer/],
    [['--mess', 'chaos'], /unknown mess kind chaos/],
    [['--start', '2025-13-45'], /start must be a date/],
    [['--wat'], /Unknown option/],
    [['--send-only'], /--send-only needs --post/],
  ] as const) {
    const cli = io();
    t.equal(await runCli(args, cli), 2, args.join(' '));
    t.match(cli.errText(), message);
  }
  const help = io();
  t.equal(await runCli(['--help'], help), 0);
  t.match(help.outText(), /Usage: npm run simulate/);
});

t.test('--post sends what was generated and prints the tally', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-simulate-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  let received = 0;
  let failNext = true;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      // Every statement counts once: the first request is turned away with 503.
      if (failNext) {
        failNext = false;
        response.writeHead(503, { 'retry-after': '0' }).end();
        return;
      }
      received += (JSON.parse(body) as unknown[]).length;
      response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  t.teardown(() => new Promise<void>((done) => server.close(() => done())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xapi`;
  const common = ['--people', '4', '--days', '3', '--mess', 'none', '--out', dir, '--post', url];
  const cli = io(true);
  const code = await runCli([...common, '--key', 'k', '--secret', 's', '--batch', '7'], cli);
  t.equal(code, 0, cli.errText());
  const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as Summary;
  t.equal(received, summary.lines);
  t.match(
    cli.outText(),
    new RegExp(`statements: ${summary.lines.toLocaleString('en-US')} accepted`),
  );
  t.match(cli.errText(), /\r\[#+\] 100%/);
  const again = io();
  t.equal(await runCli([...common, '--send-only', '--concurrency', '2', '--rate', '0'], again), 0);
  t.equal(received, 2 * summary.lines);
  t.match(again.errText(), /\[#+\] 100%.*\n$/);
});
