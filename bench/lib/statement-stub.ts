import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stubTargetOf } from './statement-stub-wire.js';

/** The statement stub (statement-stub-worker.ts), running in a child process of its own. */
export interface StatementStub {
  /** A mongodb:// URI that reaches the real server through the stub. */
  readonly uri: string;
  close(): Promise<void>;
}

/**
 * Starts the stub in front of the server at `upstreamUri`, in its own process so that its CPU
 * never counts as the API's. Resolves to the reason instead when the stub cannot stand in front
 * of that server (statement-stub-wire.ts, stubTargetOf).
 */
export async function startStatementStub(upstreamUri: string): Promise<StatementStub | string> {
  const target = stubTargetOf(upstreamUri);
  if (typeof target === 'string') return target;
  const child = fork(
    fileURLToPath(new URL('./statement-stub-worker.ts', import.meta.url)),
    [target.host, String(target.port)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`the statement stub exited (code ${code})`)));
  });
  return {
    uri: target.stubUri(port),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await exited;
    },
  };
}
