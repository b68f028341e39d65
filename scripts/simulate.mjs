#!/usr/bin/env node
// `npm run simulate -- <options>`: the statement simulator (packages/simulate, docs/simulator.md).
// Installs what is missing and builds, then runs packages/simulate/dist/main.js with the
// arguments. Node's standard library only, because it runs before `npm ci`. What it says itself
// goes to stderr, like the simulator's progress.
import { join } from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { exitWith, runAttached } from './lib/processes.mjs';
import { checkNode, ensureBuilt, ensureInstalled } from './lib/setup.mjs';

const say = (line) => process.stderr.write(`[simulate] ${line}\n`);

async function main() {
  checkNode();
  await ensureInstalled(say);
  await ensureBuilt(say);
  // The simulator runs in the caller's directory, so that a relative --out means what it says.
  return runAttached(
    process.execPath,
    [join(ROOT, 'packages/simulate/dist/main.js'), ...process.argv.slice(2)],
    { cwd: process.env.INIT_CWD || process.cwd(), say, what: 'the simulator' },
  );
}

exitWith(main, say);
