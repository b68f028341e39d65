#!/usr/bin/env node
// `npm run bench [-- --quick]` and `npm run bench:statements`: installs what is missing and
// builds, then runs bench/bench.ts (bench/README.md) with the arguments. Node's standard library
// only, because it runs before `npm ci`.
import { join } from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { exitWith, runAttached } from './lib/processes.mjs';
import { checkNode, ensureBuilt, ensureInstalled } from './lib/setup.mjs';

const say = (line) => process.stderr.write(`[bench] ${line}\n`);

async function main() {
  checkNode();
  await ensureInstalled(say);
  await ensureBuilt(say);
  // Ctrl-C reaches the child through the terminal; it stops its servers and exits.
  return runAttached(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/bench.ts'), ...process.argv.slice(2)],
    { cwd: ROOT, say, what: 'the benchmark' },
  );
}

exitWith(main, say);
