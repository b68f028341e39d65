import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  AggregatorReply,
  AggregatorRequest,
  AuditOutcome,
  ConnectRequest,
  WorkerSnapshot,
} from './aggregator-protocol.js';

/** Omit distributed over a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<AggregatorRequest>;

/** The bench's handle on the aggregator child process (aggregator-worker.ts). */
export interface AggregatorProcess {
  readonly pid: number;
  connect(options: Omit<ConnectRequest, 'id' | 'kind'>): Promise<WorkerSnapshot>;
  /** Starts its workers and sweeper; resolves when they are ready. */
  start(): Promise<WorkerSnapshot>;
  measure(): Promise<WorkerSnapshot>;
  /** Stops its workers and sweeper (jobs in progress finish first). */
  stop(): Promise<WorkerSnapshot>;
  audit(
    what: 'verify' | 'rebuild',
    storeId: string,
  ): Promise<{ snapshot: WorkerSnapshot; outcome: AuditOutcome }>;
  /** Closes the channel; the child shuts down as main.ts does on SIGTERM, then exits. */
  close(): Promise<void>;
}

/**
 * Forks the aggregator under test, with tsx, so it runs from source like the bench (its
 * workers/aggregator import is the built package, as the LRS's is).
 */
export function startAggregatorProcess(): AggregatorProcess {
  const child = fork(fileURLToPath(new URL('./aggregator-worker.ts', import.meta.url)), [], {
    // CAIRN_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the aggregator, written there on exit.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.CAIRN_BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CAIRN_BENCH_CPU_PROF}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (r: AggregatorReply) => void; reject: (e: Error) => void }
  >();
  child.on('message', (reply: AggregatorReply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    waiter?.resolve(reply);
  });
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`the aggregator exited (${signal ?? `code ${code}`})`));
    }
    pending.clear();
  });

  async function ask(request: Request): Promise<Extract<AggregatorReply, { kind: 'ok' }>> {
    const id = nextId++;
    const reply = await new Promise<AggregatorReply>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
    if (reply.kind === 'failure') throw new Error(`aggregator: ${reply.message}`);
    return reply;
  }
  const snapshotOf = async (request: Request) => (await ask(request)).snapshot;

  return {
    pid: child.pid ?? -1,
    connect: (options) => snapshotOf({ kind: 'connect', ...options }),
    start: () => snapshotOf({ kind: 'start' }),
    measure: () => snapshotOf({ kind: 'measure' }),
    stop: () => snapshotOf({ kind: 'stop' }),
    async audit(what, storeId) {
      const reply = await ask({ kind: 'audit', what, storeId });
      if (reply.audit === undefined) throw new Error(`aggregator: ${what} returned nothing`);
      return { snapshot: reply.snapshot, outcome: reply.audit };
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      // Jobs in progress finish first; on a large store one can take seconds.
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
