import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The statement stub (statement-stub-worker.ts), running in a child process of its own. */
export interface StatementStub {
  /** A mongodb:// URI that reaches the real server through the stub. */
  readonly uri: string;
  readonly pid: number;
  close(): Promise<void>;
}

/**
 * Starts the stub in front of the server at `upstreamUri`. It runs in its own process so that its
 * CPU never counts as the API's.
 */
export async function startStatementStub(upstreamUri: string): Promise<StatementStub> {
  const child = fork(
    fileURLToPath(new URL('./statement-stub-worker.ts', import.meta.url)),
    [upstreamUri],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the statement stub exited (code ${code})`)));
  });
  const query = new URL(upstreamUri.replace(/^mongodb:/, 'http:')).search;
  return {
    uri: `mongodb://127.0.0.1:${port}/${query === '' ? '?directConnection=true' : query}`,
    pid: child.pid ?? 0,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}
