#!/usr/bin/env node
// `npm start`: installs what is missing, builds, starts the local MongoDB-compatible server and
// Redis (unless MONGODB_URI / REDIS_URL are set), then services/lrs, services/reports and
// workers/aggregator with prefixed logs. Ctrl-C or SIGTERM stops everything.
// Node's standard library only, because it runs before `npm ci`.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startLocalServices } from './lib/local-services.mjs';
import { waitForHttp } from './lib/net.mjs';
import { ROOT } from './lib/paths.mjs';
import { prefixer, startProcess } from './lib/processes.mjs';
import { checkNode, ensureBuilt, ensureInstalled, seconds } from './lib/setup.mjs';

const say = prefixer('cairn');
const started = Date.now();
const children = [];
let services = null;
let servicesFile = null;
let stopping = false;

async function main() {
  checkNode();
  await ensureInstalled(say);
  await ensureBuilt(say);

  const dataDir = resolve(ROOT, process.env.CAIRN_DATA_DIR || '.data');
  mkdirSync(dataDir, { recursive: true });
  services = await startLocalServices({ dataDir, log: say, env: process.env });
  if (stopping) return;
  servicesFile = writeServicesFile(dataDir, services);

  const credential = bootstrapCredential(dataDir, services.local.mongo);
  const env = {
    ...process.env,
    MONGODB_URI: services.mongoUri,
    REDIS_URL: services.redisUrl,
    ...(credential
      ? { CAIRN_BOOTSTRAP_KEY: credential.key, CAIRN_BOOTSTRAP_SECRET: credential.secret }
      : {}),
  };
  const lrsPort = process.env.CAIRN_LRS_PORT || '8080';
  const reportsPort = process.env.CAIRN_REPORTS_PORT || '8081';
  const lrsHost = process.env.CAIRN_LRS_HOST || '127.0.0.1';
  const reportsHost = process.env.CAIRN_REPORTS_HOST || '127.0.0.1';

  for (const [name, entry] of [
    ['lrs', 'services/lrs/dist/main.js'],
    ['reports', 'services/reports/dist/main.js'],
    ['aggregator', 'workers/aggregator/dist/main.js'],
  ]) {
    const proc = startProcess(name, process.execPath, [join(ROOT, entry)], { env, cwd: ROOT });
    children.push(proc);
    proc.exited.then(({ code, signal }) => {
      if (stopping) return;
      say(`${name} exited (${signal ?? `code ${code}`}); stopping Cairn`);
      void shutdown(1);
    });
  }

  const isStopping = () => stopping;
  const [lrsReady, reportsReady] = await Promise.all([
    waitForHttp(`http://${urlHost(lrsHost)}:${lrsPort}/ready`, 60_000, isStopping),
    waitForHttp(`http://${urlHost(reportsHost)}:${reportsPort}/ready`, 60_000, isStopping),
  ]);
  if (stopping) return;
  if (lrsReady !== 200 || reportsReady !== 200) {
    say(
      `services did not become ready within 60 s (lrs ${lrsReady || 'no answer'}, reports ${reportsReady || 'no answer'})`,
    );
    return shutdown(1);
  }
  const lrs = `http://${urlHost(lrsHost)}:${lrsPort}`;
  say(
    `Cairn is running (${seconds(Date.now() - started)}): xAPI ${lrs}/xapi, reports http://${urlHost(reportsHost)}:${reportsPort}; Ctrl-C stops it`,
  );
  if (credential) {
    say(
      `credential with every scope in the default store: key ${credential.key} secret ${credential.secret}`,
    );
    say(`  (kept in ${credential.file}${credential.generated ? ', generated just now' : ''})`);
    say(
      `try: curl -u '${credential.key}:${credential.secret}' -H 'X-Experience-API-Version: 2.0.0' ${lrs}/xapi/about`,
    );
  }
}

/**
 * The first credential. CAIRN_BOOTSTRAP_KEY/SECRET win; otherwise, with the local server, one is
 * generated once and kept in the data directory (mode 0600) so that it survives restarts.
 */
function bootstrapCredential(dataDir, localMongo) {
  const { CAIRN_BOOTSTRAP_KEY: key, CAIRN_BOOTSTRAP_SECRET: secret } = process.env;
  if (key || secret) return null; // the services read and validate them themselves
  if (!localMongo) return null; // a deployment makes its credentials with the CLI
  const file = join(dataDir, 'bootstrap-credential.json');
  if (existsSync(file))
    return { ...JSON.parse(readFileSync(file, 'utf8')), file, generated: false };
  const made = {
    key: `cairn-${randomBytes(6).toString('hex')}`,
    secret: randomBytes(24).toString('base64url'),
  };
  writeFileSync(file, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
  return { ...made, file, generated: true };
}

/**
 * While Cairn runs, the local servers' addresses are kept in the data directory, so that
 * `npm run cairn` (scripts/cairn.mjs) can reach the same database without MONGODB_URI. Servers of
 * the user's own are not written down: their URIs may hold passwords.
 */
function writeServicesFile(dataDir, { mongoUri, redisUrl, local }) {
  if (!local.mongo) return null;
  const file = join(dataDir, 'local-services.json');
  const written = { pid: process.pid, mongoUri, ...(local.redis ? { redisUrl } : {}) };
  writeFileSync(file, `${JSON.stringify(written, null, 2)}\n`, { mode: 0o600 });
  return file;
}

function urlHost(host) {
  return host === '0.0.0.0' || host === '::'
    ? '127.0.0.1'
    : host.includes(':')
      ? `[${host}]`
      : host;
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping');
  if (servicesFile) rmSync(servicesFile, { force: true });
  await Promise.all(children.map((c) => c.stop(10_000)));
  if (services) await services.stop();
  say('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (error) => {
  say(`cannot start: ${error.message}`);
  await shutdown(1);
});
