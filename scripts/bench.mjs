#!/usr/bin/env node
// `npm run bench [-- --quick]` and `npm run bench:statements`: installs what is missing and
// builds, then runs bench/bench.ts (bench/README.md) with the arguments. Node's standard library
// only, because it runs before `npm ci`.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { checkNode, ensureBuilt, ensureInstalled } from './lib/setup.mjs';

const say = (line) => process.stderr.write(`[bench] ${line}\n`);

async function main() {
  checkNode();
  await ensureInstalled(say);
  await ensureBuilt(say);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/bench.ts'), ...process.argv.slice(2)],
    { cwd: ROOT, stdio: 'inherit' },
  );
  // Ctrl-C reaches the child through the terminal; it stops its servers and exits.
  return new Promise((done) => {
    child.once('error', (error) => {
      say(`cannot run the benchmark: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(`FAILED: ${error.message}`);
    process.exit(1);
  },
);
