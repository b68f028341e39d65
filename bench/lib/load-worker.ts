// The load generator: a child process of the benchmark, driven over IPC (load-protocol.ts), so
// that its CPU and memory stay out of the API process's figures. The load itself: http-load.ts.
import type { LoadJob, LoadReply, LoadResult } from './load-protocol.js';
import { runClosed, runPaced, type LoadRequest } from './http-load.js';
import { datasetFrom, type DatasetSpec } from './datasets.js';
import type { Dataset } from './statement-generator.js';

function send(reply: LoadReply): void {
  if (process.send === undefined) throw new Error('load-worker.ts needs an IPC channel');
  process.send(reply);
}

/**
 * The StatementResult's `more` link, read from the end of the body (Cairn writes it last) or its
 * start (Ralph writes it first) without parsing it all.
 */
const MORE_LAST = /"more":\s*"([^"]+)"\s*}\s*$/;
const MORE_FIRST = /^\s*{\s*"more":\s*"([^"]+)"/;

interface Requests {
  /** Builds the next request: a GET job's next path, a POST job's next batch. */
  readonly next: () => LoadRequest;
  /** POST: the next statement index. */
  readonly nextIndex: () => number;
}

/** A simulated dataset takes a second or two to build: once per spec, not once per job. */
const datasets = new Map<string, Dataset>();

function cachedDataset(spec: DatasetSpec): Dataset {
  const key = JSON.stringify(spec);
  let dataset = datasets.get(key);
  if (dataset === undefined) {
    dataset = datasetFrom(spec).dataset;
    datasets.set(key, dataset);
  }
  return dataset;
}

function requestsOf(job: LoadJob): Requests {
  if (job.kind === 'get') {
    let built = 0;
    const paths = job.paths;
    const method = job.method ?? 'GET';
    return {
      next: () => ({
        method,
        path: paths[built++ % paths.length] ?? '/',
        ...(job.body !== undefined ? { body: job.body } : {}),
      }),
      nextIndex: () => 0,
    };
  }
  const dataset = cachedDataset(job.dataset);
  let index = job.firstIndex;
  return {
    next: () => {
      const body = JSON.stringify(dataset.batch(index, job.batch));
      index += job.batch;
      return { method: 'POST', path: job.path, body };
    },
    nextIndex: () => index,
  };
}

/** Keeps the first non-2xx body, and up to `keepMore` StatementResult `more` links. */
function responseWatcher(keepMore: number) {
  const watched = { firstError: null as string | null, moreLinks: [] as string[] };
  const onResponse = (status: number, body: string): void => {
    if (status < 200 || status >= 300) {
      if (watched.firstError === null) watched.firstError = body.slice(0, 500);
    } else if (watched.moreLinks.length < keepMore) {
      const more =
        MORE_LAST.exec(body.slice(-2000))?.[1] ?? MORE_FIRST.exec(body.slice(0, 2000))?.[1];
      if (more !== undefined) watched.moreLinks.push(more);
    }
  };
  return { watched, onResponse };
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const { watched, onResponse } = responseWatcher(job.kind === 'get' ? (job.collectMore ?? 0) : 0);
  const requests = requestsOf(job);
  const common = {
    origin: job.origin,
    headers: job.headers,
    connections: job.connections,
    timeoutSec: job.timeoutSec,
    next: requests.next,
    onResponse,
  };
  const cpu = process.cpuUsage();
  const result =
    job.amount !== undefined
      ? await runClosed({ ...common, amount: job.amount })
      : job.overallRate !== undefined
        ? await runPaced({ ...common, rate: job.overallRate, durationSec: job.durationSec })
        : await runClosed({ ...common, durationSec: job.durationSec });
  const used = process.cpuUsage(cpu);
  const responses = Object.values(result.statusCodes).reduce((a, b) => a + b, 0);
  const ok = result.latenciesMs.length;
  return {
    id: job.id,
    kind: 'load',
    sent: result.sent,
    unsent: result.unsent,
    responses,
    ok,
    non2xx: responses - ok,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodes,
    durationSec: result.durationSec,
    latenciesMs: result.latenciesMs,
    bytes: result.bytes,
    nextIndex: requests.nextIndex(),
    loadCpuUs: used.user + used.system,
    firstError: watched.firstError,
    moreLinks: watched.moreLinks,
  };
}

process.on('message', (job: LoadJob) => {
  runLoad(job).then(send, (error: unknown) =>
    send({
      id: job.id,
      kind: 'failure',
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  );
});
process.on('disconnect', () => process.exit(0));
