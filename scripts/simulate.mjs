#!/usr/bin/env node
// `npm run simulate -- <options>`: the statement simulator (packages/simulate, docs/simulator.md).
// Installs what is missing and builds, then runs packages/simulate/dist/main.js with the
// arguments. Node's standard library only, because it runs before `npm ci`. What it says itself
// goes to stderr, like the simulator's progress.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { checkNode, ensureBuilt, ensureInstalled } from './lib/setup.mjs';

const say = (line) => process.stderr.write(`[simulate] ${line}\n`);

async function main() {
  checkNode();
  await ensureInstalled(say);
  await ensureBuilt(say);
  // The simulator runs in the caller's directory, so that a relative --out means what it says.
  const child = spawn(
    process.execPath,
    [join(ROOT, 'packages/simulate/dist/main.js'), ...process.argv.slice(2)],
    { cwd: process.env.INIT_CWD || process.cwd(), stdio: 'inherit' },
  );
  return new Promise((done) => {
    child.once('error', (error) => {
      say(`cannot run the simulator: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(error.message);
    process.exit(1);
  },
);
