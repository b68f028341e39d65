// The load generator: a child process of the benchmark, driven over IPC (load-protocol.ts), so
// that its CPU and memory stay out of the API process's figures. Runs autocannon in-process.
import autocannon from 'autocannon';
import type { LoadJob, LoadReply, LoadResult } from './load-protocol.js';
import { datasetFrom, type DatasetSpec } from './datasets.js';
import type { Dataset } from './statement-generator.js';

function send(reply: LoadReply): void {
  if (process.send === undefined) throw new Error('load-worker.ts needs an IPC channel');
  process.send(reply);
}

/** The StatementResult's `more` link, read from the end of the body without parsing it all. */
const MORE = /"more":"([^"]+)"\s*}\s*$/;

interface Requests {
  readonly requests: autocannon.Request[];
  /** POST: the next statement index. */
  readonly nextIndex: () => number;
  /** Requests built; autocannon builds each one right before writing it. */
  readonly sent: () => number;
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

function requestsOf(job: LoadJob, onResponse: (status: number, body: string) => void): Requests {
  let built = 0;
  if (job.kind === 'get') {
    const paths = job.paths;
    return {
      requests: [
        {
          method: job.method ?? 'GET',
          ...(job.body !== undefined ? { body: job.body } : {}),
          setupRequest: (request) => ({ ...request, path: paths[built++ % paths.length] ?? '/' }),
          onResponse,
        },
      ],
      nextIndex: () => 0,
      sent: () => built,
    };
  }
  const dataset = cachedDataset(job.dataset);
  let index = job.firstIndex;
  return {
    requests: [
      {
        method: 'POST',
        path: job.path,
        setupRequest: (request) => {
          const body = JSON.stringify(dataset.batch(index, job.batch));
          index += job.batch;
          built++;
          return { ...request, body };
        },
        onResponse,
      },
    ],
    nextIndex: () => index,
    sent: () => built,
  };
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const statusCodes: Record<string, number> = {};
  const moreLinks: string[] = [];
  const keepMore = job.kind === 'get' ? (job.collectMore ?? 0) : 0;
  let firstError: string | null = null;
  const { requests, nextIndex, sent } = requestsOf(job, (status, body) => {
    if (status < 200 || status >= 300) {
      if (firstError === null) firstError = body.slice(0, 500);
    } else if (moreLinks.length < keepMore) {
      const more = MORE.exec(body.slice(-2000))?.[1];
      if (more !== undefined) moreLinks.push(more);
    }
  });
  const cpu = process.cpuUsage();
  const options: autocannon.Options = {
    url: job.origin,
    // autocannon refuses more connections than requests.
    connections: job.amount !== undefined ? Math.min(job.connections, job.amount) : job.connections,
    duration: job.durationSec,
    timeout: job.timeoutSec,
    headers: { 'content-type': 'application/json', ...job.headers },
    requests,
    ...(job.amount !== undefined ? { amount: job.amount } : {}),
    ...(job.overallRate !== undefined ? { overallRate: job.overallRate } : {}),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, r) =>
      error
        ? reject(error instanceof Error ? error : new Error('autocannon failed', { cause: error }))
        : resolve(r),
    );
    // autocannon's own histogram has 1 ms resolution: keep every latency to the microsecond.
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode >= 200 && statusCode < 300) latenciesMs.push(responseTime);
    });
  });
  const used = process.cpuUsage(cpu);
  return {
    id: job.id,
    kind: 'load',
    sent: sent(),
    responses: Object.values(statusCodes).reduce((a, b) => a + b, 0),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    durationSec: result.duration,
    latenciesMs,
    bytes: result.throughput.total,
    nextIndex: nextIndex(),
    loadCpuUs: used.user + used.system,
    firstError,
    moreLinks,
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
