import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The local MongoDB-compatible server (tools/mongo-local) as a child process that a benchmark or a
 * test controls itself: it can be killed with SIGKILL, timed from its spawn, and measured (RSS).
 * The build and the JVM's arguments come from scripts/lib/mongo-local.mjs, as for `npm start`.
 */
interface MongoLocalModule {
  ensureMongoLocal(log: (message: string) => void): Promise<string>;
  mongoLocalArgs(jar: string, options: { file: string | null; env: NodeJS.ProcessEnv }): string[];
}

/** scripts/lib/mongo-local.mjs, loaded by URL (an untyped .mjs run before `npm ci`), typed here. */
async function mongoLocalModule(): Promise<MongoLocalModule> {
  const url = new URL('../../scripts/lib/mongo-local.mjs', import.meta.url);
  return (await import(url.href)) as MongoLocalModule;
}

/** Builds the launcher unless the current sources are built already; resolves the jar's path. */
export async function buildLocalServer(log: (message: string) => void): Promise<string> {
  return (await mongoLocalModule()).ensureMongoLocal(log);
}

export interface LocalServerOptions {
  /** The MVStore file; null for the in-memory backend. */
  readonly file: string | null;
  /** CAIRN_LOCAL_MONGO_HEAP_MB / CAIRN_LOCAL_MONGO_CACHE_MB and the like; default this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Extra launcher options after the script's own (a later option wins). */
  readonly extraArgs?: readonly string[];
  /** Milliseconds to wait for the `ready` line. */
  readonly timeoutMs?: number;
}

export interface LocalServer {
  readonly child: ChildProcess;
  readonly pid: number;
  /** `mongodb://127.0.0.1:PORT/?directConnection=true`. */
  readonly uri: string;
  /** Milliseconds from the spawn to the `ready` line. */
  readonly readyMs: number;
  /** `performance.now()` at the spawn, to time later steps from the process's start. */
  readonly spawnedAt: number;
  /** What the launcher printed on stderr so far. */
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM (the launcher closes the store cleanly), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns the launcher and resolves once it prints `ready`; rejects if it exits or times out. */
export async function startLocalServer(
  jar: string,
  { file, env = process.env, extraArgs = [], timeoutMs = 120_000 }: LocalServerOptions,
): Promise<LocalServer> {
  const scripts = await mongoLocalModule();
  const args = [...scripts.mongoLocalArgs(jar, { file, env }), ...extraArgs];
  const spawnedAt = performance.now();
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const kill = async () => {
    if (!gone()) child.kill('SIGKILL');
    await exited;
  };
  const stop = async (graceMs = 30_000) => {
    if (gone()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    new Promise<string>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('ready ')) resolve(line.slice('ready '.length).trim());
      });
    }),
    exited.then(({ code, signal }) => new Error(`the launcher exited (${signal ?? code})`)),
    new Promise<Error>((resolve) => {
      timer = setTimeout(() => resolve(new Error(`no ready line in ${timeoutMs} ms`)), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (ready instanceof Error) {
    await kill();
    throw new Error(`${ready.message}; stderr:\n${stderr}`);
  }
  const readyMs = performance.now() - spawnedAt;
  const base = ready.endsWith('/') ? ready : `${ready}/`;
  return {
    child,
    pid: child.pid ?? -1,
    uri: `${base}?directConnection=true`,
    readyMs,
    spawnedAt,
    stderr: () => stderr,
    exited,
    kill,
    stop,
  };
}

/** Resident set size of process `pid` now (VmRSS), MiB, or null where /proc cannot tell. */
export function rssMiB(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}
