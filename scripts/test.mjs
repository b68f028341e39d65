#!/usr/bin/env node
// `npm test`: installs what is missing, builds and type-checks, lints, checks formatting and import
// cycles, starts throw-away local services (unless MONGODB_URI / REDIS_URL are set), runs every
// tap test, stops what it started, and exits non-zero on any failure.
// Arguments are passed to tap: `npm test -- test/integration/health.test.ts`.
// Node's standard library only, because it runs before `npm ci`.
import { ensureChromium } from './lib/chromium.mjs';
import { startLocalServices } from './lib/local-services.mjs';
import { bin, ROOT } from './lib/paths.mjs';
import { prefixer, run } from './lib/processes.mjs';
import { checkNode, ensureBuilt, ensureInstalled, seconds } from './lib/setup.mjs';

const say = prefixer('test');
const tapArgs = process.argv.slice(2);
let services = null;

async function main() {
  const started = Date.now();
  checkNode();
  await ensureInstalled(say);
  await ensureBuilt(say);
  say('lint (eslint)');
  await run(bin('eslint'), ['--max-warnings', '0', '.'], { cwd: ROOT, what: 'eslint' });
  say('format (prettier --check)');
  await run(bin('prettier'), ['--check', '--log-level', 'warn', '.'], {
    cwd: ROOT,
    what: 'prettier --check (run `npm run format`)',
  });
  say('import cycles (madge)');
  await run('npm', ['run', '--silent', 'cycles'], { cwd: ROOT, what: 'madge --circular' });

  const chromium = await ensureChromium(say);
  services = await startLocalServices({ dataDir: null, log: say, env: process.env });
  say('tests (tap)');
  await run(bin('tap'), tapArgs, {
    cwd: ROOT,
    env: {
      ...process.env,
      MONGODB_URI: services.mongoUri,
      REDIS_URL: services.redisUrl,
      CAIRN_CHROMIUM: chromium,
    },
    what: 'tap',
  });
  if (tapArgs.length === 0) {
    // tap itself demands 100% or nothing; our floor is in .c8rc.json (docs/testing.md says why).
    say('coverage floor (c8 check-coverage, .c8rc.json)');
    await run(bin('c8'), ['check-coverage'], {
      cwd: ROOT,
      what: 'coverage below the floor in .c8rc.json',
    });
  }
  say(`all checks passed in ${seconds(Date.now() - started)}`);
}

async function stop(code) {
  if (services) await services.stop();
  process.exit(code);
}

process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));

main().then(
  () => stop(0),
  async (error) => {
    say(`FAILED: ${error.message}`);
    await stop(1);
  },
);
