import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GetJob, LoadReply, LoadResult, PostJob } from './load-protocol.js';

/** A job as the parent writes it: the id is added on sending. */
export type JobSpec = Omit<PostJob, 'id'> | Omit<GetJob, 'id'>;

/** The parent's handle on the load generator child process (load-worker.ts). */
export interface LoadGenerator {
  run(job: JobSpec): Promise<LoadResult>;
  close(): Promise<void>;
}

/** Starts the load generator in a child process, with tsx, so it runs from source like the bench. */
export function startLoadGenerator(): LoadGenerator {
  const child = fork(fileURLToPath(new URL('./load-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (r: LoadReply) => void; reject: (e: Error) => void }
  >();
  child.on('message', (reply: LoadReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    waiter?.resolve(reply);
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`the load generator exited (${signal ?? `code ${code}`})`));
    }
    pending.clear();
  });

  return {
    async run(job) {
      const id = nextId++;
      const reply = await new Promise<LoadReply>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ ...job, id });
      });
      if (reply.kind === 'failure') throw new Error(`load generator: ${reply.message}`);
      return reply;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
