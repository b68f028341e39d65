#!/usr/bin/env node
// `npm run cairn -- <command>`: the admin CLI (services/lrs/src/cli.ts, docs/admin.md). Installs
// what is missing and builds, then runs services/lrs/dist/cli.js with the arguments, or, for
// `verify` and `rebuild` (docs/pipeline.md), workers/aggregator/dist/cli.js: services and workers
// never import each other, so each keeps its own CLI. The database
// is MONGODB_URI, or else the local server of a running `npm start` (which writes its address to
// <CAIRN_DATA_DIR>/local-services.json while it runs).
// Node's standard library only, because it runs before `npm ci`. Everything it says itself goes
// to stderr, so that the CLI's --json output on stdout stays parseable.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { exitWith, runAttached } from './lib/processes.mjs';
import { checkNode, ensureBuilt, ensureInstalled } from './lib/setup.mjs';

const LOCAL_SERVICES_FILE = 'local-services.json';
const NO_DATABASE = 'cairn: set MONGODB_URI or run npm start';

/** Commands of workers/aggregator's CLI; every other one is the LRS's. */
const AGGREGATOR_COMMANDS = ['verify', 'rebuild'];

const say = (line) => process.stderr.write(`[cairn] ${line}\n`);

/** Commands that print the usage text and touch no database. */
function needsNoDatabase(args) {
  return args.length === 0 || ['help', '--help', '-h'].includes(args[0]);
}

/** The MongoDB URI of a running `npm start`'s local server, or null. */
function localMongoUri() {
  const file = join(resolve(ROOT, process.env.CAIRN_DATA_DIR || '.data'), LOCAL_SERVICES_FILE);
  if (!existsSync(file)) return null;
  let written;
  try {
    written = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (typeof written?.mongoUri !== 'string' || !isRunning(written.pid)) return null;
  return written.mongoUri;
}

/** Whether the `npm start` that wrote the file still runs (it removes the file when it stops). */
function isRunning(pid) {
  if (!Number.isInteger(pid)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

async function main() {
  const args = process.argv.slice(2);
  checkNode();
  const env = { ...process.env };
  if (!env.MONGODB_URI && !needsNoDatabase(args)) {
    const uri = localMongoUri();
    if (uri === null) {
      process.stderr.write(`${NO_DATABASE}\n`);
      return 1;
    }
    env.MONGODB_URI = uri;
  }
  await ensureInstalled(say);
  await ensureBuilt(say);
  const cli = AGGREGATOR_COMMANDS.includes(args[0])
    ? 'workers/aggregator/dist/cli.js'
    : 'services/lrs/dist/cli.js';
  return runAttached(process.execPath, [join(ROOT, cli), ...args], {
    cwd: ROOT,
    env,
    say,
    what: 'the CLI',
  });
}

exitWith(main, say);
