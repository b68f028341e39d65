// A peer LRS beside Cairn on the same local MongoDB-compatible server (issue 17, "Speed"): Ralph
// (PyPI ralph-malph), installed and started by bench/peer/ralph.sh, so that its set-up lives in
// the bench and nowhere in the product. It runs in a process of its own, a child of this one,
// whose CPU and RSS the probes read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The peers the bench knows how to set up. */
export const PEERS = ['ralph'] as const;
export type PeerName = (typeof PEERS)[number];

export interface PeerLrs {
  /** Short name for step labels, e.g. "Ralph". */
  readonly name: string;
  /** What it is, for the report: product, version, stack, workers. */
  readonly description: string;
  readonly origin: string;
  /** Its Statements resource (Ralph's is `/xAPI/statements`). */
  readonly statementsPath: string;
  readonly authorization: string;
  /** Its server process (this process's child), for CPU and RSS from /proc. */
  readonly pid: number;
  /** Its database on the local server; its statements are in the collection `statements`. */
  readonly database: string;
  readonly collection: string;
  /**
   * Query parameters it does not implement on this backend, with what it does instead: the rows
   * that use them are timed all the same, and the report says so.
   */
  readonly caveats: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

const RALPH_SCRIPT = fileURLToPath(new URL('../peer/ralph.sh', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/** A free loopback port, from the kernel. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs `ralph.sh install`, its progress on stderr; resolves with its last stdout line. */
async function install(log: (m: string) => void): Promise<string> {
  const child = spawn('bash', [RALPH_SCRIPT, 'install'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`bench/peer/ralph.sh install failed (exit ${code})`);
  const last = out.trim().split('\n').pop() ?? '';
  log(`peer: ${last}`);
  return last;
}

async function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Ralph's LRS on the local server, in database `database`, ready to answer. */
export async function startRalph(options: {
  readonly mongoUri: string;
  readonly database: string;
  readonly log: (m: string) => void;
}): Promise<PeerLrs> {
  const installed = await install(options.log);
  const version = /ralph-malph (\S+)/.exec(installed)?.[1] ?? 'unknown version';
  const port = await freePort();
  const user = `bench${randomBytes(3).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const child = spawn('bash', [RALPH_SCRIPT, 'serve'], {
    env: {
      ...process.env,
      RALPH_BENCH_PORT: String(port),
      RALPH_BENCH_MONGODB_URI: options.mongoUri,
      RALPH_BENCH_DATABASE: options.database,
      RALPH_BENCH_USER: user,
      RALPH_BENCH_PASSWORD: password,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const close = async () => {
    child.kill('SIGTERM');
    if (!(await exited(child, 10_000))) {
      child.kill('SIGKILL');
      await exited(child, 5_000);
    }
  };
  const origin = `http://127.0.0.1:${port}`;
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Ralph exited at start (${child.exitCode})`);
    const ok = await fetch(`${origin}/whoami`, { headers: { authorization } }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await close();
      throw new Error(`Ralph did not answer within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (child.pid === undefined) throw new Error('Ralph has no pid');
  return {
    name: 'Ralph',
    description: `Ralph ${version} (PyPI ralph-malph; FastAPI, pymongo; one uvicorn worker)`,
    origin,
    statementsPath: '/xAPI/statements',
    authorization,
    pid: child.pid,
    database: options.database,
    collection: 'statements',
    caveats: {
      registration: 'the MongoDB backend ignores registration: unfiltered pages',
      'activity+related_activities':
        'the MongoDB backend ignores related_activities: object.id only, often empty pages',
    },
    close,
  };
}

/** Starts the peer named `name`. */
export async function startPeer(
  name: PeerName,
  options: Parameters<typeof startRalph>[0],
): Promise<PeerLrs> {
  switch (name) {
    case 'ralph':
      return startRalph(options);
  }
}
