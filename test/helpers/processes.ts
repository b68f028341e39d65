import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  /** Everything printed so far. */
  output(): string;
  readonly finished: Promise<Finished>;
}

/** Starts `node <args>` from the repository root with `env` added to this process's environment. */
export function startNode(
  args: readonly string[],
  env: Record<string, string | undefined>,
): Running {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // Undefined values unset a variable (spawn skips them). Child processes keep no coverage:
    // they run the compiled files without tsx, and merging their counts with the test
    // processes' garbles both (docs/testing.md).
    env: { ...process.env, NODE_V8_COVERAGE: undefined, _TAPJS_PROCESSINFO_COVERAGE_: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, output: () => stdout + stderr, finished };
}

/** Runs `node <args>` to its end, killing it after `timeoutMs`. */
export async function runNode(
  args: readonly string[],
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<Finished> {
  const running = startNode(args, env);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), timeoutMs);
  const result = await running.finished;
  clearTimeout(timer);
  return result;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
