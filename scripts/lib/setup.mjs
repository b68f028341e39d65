// Installing and building the workspace before anything else runs.
// Node's standard library only: this is what makes `npm start` work on a fresh clone.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, ROOT } from './paths.mjs';
import { run } from './processes.mjs';

const STAMP = join(ROOT, 'node_modules', '.cairn-lockfile-hash');

/** Stops with a clear message on a Node older than the workspace needs. */
export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new Error(
      `Node ${process.versions.node} is too old: Cairn needs Node 20.19 or newer (mongodb 7 requires it)`,
    );
  }
}

/**
 * Runs `npm ci` when node_modules does not match package-lock.json (a fresh clone, or a changed
 * lockfile); otherwise does nothing, so a warm start takes no time here.
 */
export async function ensureInstalled(log) {
  const lock = readFileSync(join(ROOT, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return;
  log('installing dependencies (npm ci)');
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: ROOT,
    what: 'npm ci',
  });
  // tap compiles its plugin set into node_modules; ours drops its TypeScript plugin for tsx
  // (package.json "tap"). Build it now, or the first test run would use the default set.
  log("building tap with the project's plugins (tap build)");
  await run(bin('tap'), ['build'], { cwd: ROOT, what: 'tap build' });
  writeFileSync(STAMP, hash);
}

/**
 * Type-checks and compiles every workspace (incremental: seconds when nothing changed), then
 * bundles the dashboard's front-end (esbuild, a few seconds), which services/reports serves.
 */
export async function ensureBuilt(log) {
  log('building (tsc -b)');
  await run(bin('tsc'), ['-b'], { cwd: ROOT, what: 'TypeScript build (tsc -b)' });
  log('building the dashboard (esbuild)');
  await run(process.execPath, [join(ROOT, 'packages', 'dashboard', 'build.mjs')], {
    cwd: ROOT,
    what: 'dashboard build (packages/dashboard/build.mjs)',
  });
}

/** `ms` as "1.2 s". */
export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
