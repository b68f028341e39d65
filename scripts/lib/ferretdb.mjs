// The local MongoDB-compatible server: FerretDB 1.24 through our wrapper in tools/ferretdb.
// Built once per version of the wrapper's sources, then reused. Node's standard library only.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.mjs';
import { capture, run, startProcess } from './processes.mjs';

const SOURCE_DIR = join(ROOT, 'tools', 'ferretdb');
const SOURCES = ['main.go', 'go.mod', 'go.sum'];

/** The binary's path for the current sources; the hash in its name invalidates old builds. */
export function ferretdbBinaryPath() {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update(readFileSync(join(SOURCE_DIR, file)));
  return join(SOURCE_DIR, '.bin', `cairn-ferretdb-${hash.digest('hex').slice(0, 12)}`);
}

/** Builds the wrapper unless a binary for the current sources exists. Returns its path. */
export async function ensureFerretdbBinary(log) {
  const target = ferretdbBinaryPath();
  if (existsSync(target)) return target;
  const goVersion = await capture('go', ['version']);
  if (goVersion === null) {
    throw new Error(
      'the Go toolchain (go 1.24 or newer) is needed once, to build the local MongoDB-compatible server ' +
        '(FerretDB, tools/ferretdb). Install Go, or set MONGODB_URI to use a MongoDB server of your own.',
    );
  }
  log(
    `building the local MongoDB-compatible server with ${goVersion.trim()} (first run only; a few minutes)`,
  );
  const started = Date.now();
  mkdirSync(join(SOURCE_DIR, '.bin'), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    await run('go', ['build', '-trimpath', '-o', tmp, '.'], {
      cwd: SOURCE_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      what: 'building tools/ferretdb',
    });
    renameSync(tmp, target);
  } finally {
    rmSync(tmp, { force: true });
  }
  log(`built ${target} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return target;
}

/**
 * Starts the server on a free port of 127.0.0.1, keeping its files (one SQLite file per database)
 * under `dataDir`. Resolves once it accepts connections, with its connection string.
 */
export async function startFerretdb(binary, { dataDir, timeoutMs = 30_000 }) {
  mkdirSync(dataDir, { recursive: true });
  const args = ['-listen', '127.0.0.1:0', '-dir', dataDir, '-log-level', 'error'];
  let resolveUri;
  const ready = new Promise((resolve) => (resolveUri = resolve));
  const proc = startProcess('mongo', binary, args, {
    onLine: (line) => {
      if (line.startsWith('ready ')) resolveUri(line.slice('ready '.length).trim());
    },
    quiet: true,
  });
  const outcome = await Promise.race([
    ready,
    proc.exited.then(
      ({ code }) => new Error(`the local MongoDB-compatible server exited at start (code ${code})`),
    ),
    new Promise((resolve) =>
      setTimeout(
        () =>
          resolve(
            new Error(`the local MongoDB-compatible server did not start within ${timeoutMs} ms`),
          ),
        timeoutMs,
      ),
    ),
  ]);
  if (outcome instanceof Error) {
    await proc.stop(2000);
    throw outcome;
  }
  const base = outcome.endsWith('/') ? outcome : `${outcome}/`;
  return { uri: `${base}?directConnection=true`, process: proc };
}
