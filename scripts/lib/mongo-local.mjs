// The local MongoDB-compatible server: mongo-java-server (Maven Central) through our launcher in
// tools/mongo-local. Built once per version of the launcher's sources, then reused; Java 17+ and
// Maven are installed from Debian's packages when missing. Node's standard library only.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { aptInstall, canAptInstall } from './apt.mjs';
import { ROOT } from './paths.mjs';
import { capture, startProcess } from './processes.mjs';

const SOURCE_DIR = join(ROOT, 'tools', 'mongo-local');
const JAR = 'cairn-mongo-local.jar';

/** The files the build reads (pom.xml, src/): any change to them makes a new build. */
function sourceFiles(dir = SOURCE_DIR, top = true) {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // The README and the rest beside pom.xml and src/ do not change the jar.
    if (top && entry.name !== 'pom.xml' && entry.name !== 'src') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path, false));
    else files.push(path);
  }
  return files.sort();
}

/** The build's directory for the current sources; the hash in its name invalidates old builds. */
export function mongoLocalBuildDir() {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) {
    hash.update(relative(SOURCE_DIR, file)).update(readFileSync(file));
  }
  return join(SOURCE_DIR, '.bin', hash.digest('hex').slice(0, 12));
}

/** The Java major version `java` runs, or null when there is no `java`. */
async function javaMajor() {
  const out = await capture('java', ['--version']);
  const match = out && /(\d+)(?:\.\d+)*/.exec(out);
  return match ? Number(match[1]) : null;
}

/** Java 17+ and Maven, from Debian's packages when missing and we are root. */
async function ensureJavaAndMaven(log) {
  const missing = [];
  if ((await javaMajor()) === null || (await javaMajor()) < 17)
    missing.push('default-jdk-headless');
  if ((await capture('mvn', ['--version'])) === null) missing.push('maven');
  if (missing.length === 0) return;
  if (await canAptInstall()) await aptInstall(missing, log);
  const java = await javaMajor();
  if (java === null || java < 17 || (await capture('mvn', ['--version'])) === null) {
    throw new Error(
      'the local MongoDB-compatible server needs Java 17 or newer and Maven, once, to build ' +
        '(Debian: apt-get install default-jdk-headless maven). Or set MONGODB_URI to a MongoDB of your own.',
    );
  }
}

/**
 * `mvn package` with its output on our stderr: a tap test that builds the launcher must keep its
 * stdout for TAP, and Maven prints colour codes even when quiet.
 */
function buildWithMaven() {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', ['-q', '-B', 'package'], {
      cwd: SOURCE_DIR,
      stdio: ['ignore', 2, 2],
    });
    child.once('error', (error) =>
      reject(new Error(`building tools/mongo-local: cannot run mvn: ${error.message}`)),
    );
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(new Error(`building tools/mongo-local failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** Builds the launcher unless a build of the current sources exists. Returns the jar's path. */
export async function ensureMongoLocal(log) {
  const dir = mongoLocalBuildDir();
  const jar = join(dir, JAR);
  if (existsSync(jar)) return jar;
  await ensureJavaAndMaven(log);
  log('building the local MongoDB-compatible server (tools/mongo-local, Maven; first run only)');
  const started = Date.now();
  await buildWithMaven();
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    mkdirSync(tmp, { recursive: true });
    cpSync(join(SOURCE_DIR, 'target', JAR), join(tmp, JAR));
    cpSync(join(SOURCE_DIR, 'target', 'lib'), join(tmp, 'lib'), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  log(`built ${relative(ROOT, jar)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return jar;
}

/** A positive whole number from the environment, or the default; anything else is an error. */
function positiveInt(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9]\d{0,6}$/.test(raw))
    throw new Error(`${name} must be a whole number of megabytes, not '${raw}'`);
  return Number(raw);
}

/**
 * The `java` arguments that run the launcher: on a free port of 127.0.0.1, in memory, or with
 * `file` in that MVStore file. Memory comes from CAIRN_LOCAL_MONGO_HEAP_MB (the JVM's -Xmx) and
 * CAIRN_LOCAL_MONGO_CACHE_MB (the MVStore page cache, file only); tools/mongo-local/README.md has
 * the measurements behind the defaults.
 */
export function mongoLocalArgs(jar, { file, env = process.env }) {
  // With the file, 1 GB of heap serves 100,000 statements at about the in-memory backend's scan
  // speed, and bounds the process (without -Xmx the JVM lets its heap grow to a quarter of the
  // machine's memory before it collects much). In memory (tests) every document is on the heap, so
  // the JVM's own limit stays.
  const heapMb = positiveInt(env, 'CAIRN_LOCAL_MONGO_HEAP_MB', file ? 1024 : null);
  const cacheMb = positiveInt(env, 'CAIRN_LOCAL_MONGO_CACHE_MB', 256);
  return [
    ...(heapMb ? [`-Xmx${heapMb}m`] : []),
    // mongo-java-server logs each unbuilt secondary index at WARN; errors are what matter here.
    '-Dorg.slf4j.simpleLogger.defaultLogLevel=error',
    '-jar',
    jar,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    ...(file ? ['--file', file, '--cache-mb', String(cacheMb)] : []),
  ];
}

/**
 * Starts the server on a free port of 127.0.0.1. With `file`, the data lives in that MVStore file
 * (and every acknowledged write is synced to it); without, in memory. Resolves once it accepts
 * connections, with its connection string and process handle.
 */
export async function startMongoLocal(jar, { file, env = process.env, timeoutMs = 60_000 }) {
  const args = mongoLocalArgs(jar, { file, env });
  let resolveUri;
  const ready = new Promise((resolve) => (resolveUri = resolve));
  const proc = startProcess('mongo', 'java', args, {
    onLine: (line) => {
      if (line.startsWith('ready ')) resolveUri(line.slice('ready '.length).trim());
    },
    quiet: true,
  });
  let timer;
  const outcome = await Promise.race([
    ready,
    proc.exited.then(
      ({ code }) => new Error(`the local MongoDB-compatible server exited at start (code ${code})`),
    ),
    new Promise((resolve) => {
      timer = setTimeout(
        () =>
          resolve(
            new Error(`the local MongoDB-compatible server did not start within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
    }),
  ]);
  clearTimeout(timer);
  if (outcome instanceof Error) {
    await proc.stop(2000);
    throw outcome;
  }
  const base = outcome.endsWith('/') ? outcome : `${outcome}/`;
  return { uri: `${base}?directConnection=true`, process: proc };
}
