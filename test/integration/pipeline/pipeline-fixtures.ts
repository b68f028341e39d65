// Shared by the pipeline metrics and failed-job tests: an LRS wired with a pipeline monitor, a
// worker that fails every job, statements stored without a job, and a Prometheus text parser.
import { UnrecoverableError, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { createPipelineMonitor, createRedis, type PipelineMonitor } from '@cairn/jobs';
import { buildApp } from '@cairn/lrs';
import { realChecks } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { testResources, type TestResources } from '../../helpers/test-resources.js';

export const PARTITIONS = 4;

export interface PipelineTestApp extends TestResources {
  readonly app: FastifyInstance;
  readonly monitor: PipelineMonitor;
}

/**
 * The LRS with a pipeline monitor over this test's queue prefix (as main.ts wires it), whose
 * enqueue does nothing: statements posted stay pending in the outbox, and the tests add the
 * jobs they need by hand.
 */
export async function pipelineTestApp(
  t: Teardown,
  options: { metricsToken?: string } = {},
): Promise<PipelineTestApp> {
  const r = await testResources(t);
  const connection = createRedis(r.redisUrl, 'producer');
  await connection.connect();
  const monitor = createPipelineMonitor({
    connection,
    prefix: r.queuePrefix,
    partitions: PARTITIONS,
  });
  const app = await buildApp({
    productVersion: '0.0.0-test',
    pipeline: { enqueue: () => Promise.resolve() },
    store: r.store,
    checks: realChecks(r),
    pipelineMonitor: monitor,
    ...(options.metricsToken !== undefined ? { metricsToken: options.metricsToken } : {}),
  });
  t.teardown(async () => {
    await app.close();
    await monitor.close();
    connection.disconnect();
  });
  return { ...r, app, monitor };
}

/** A worker on `queueName` under this test's prefix that fails every job for good. */
export async function poisonWorker(
  t: Teardown,
  r: TestResources,
  queueName: string,
): Promise<{ close(): Promise<void> }> {
  const connection = createRedis(r.redisUrl, 'worker');
  const worker = new Worker(
    queueName,
    () => Promise.reject(new UnrecoverableError('poison batch')),
    { connection, prefix: r.queuePrefix },
  );
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await worker.close();
    connection.disconnect();
  };
  t.teardown(close);
  await worker.waitUntilReady();
  return { close };
}

export const uuid = (n: number): string => `7a1c0000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * Posts one batch of `count` statements to `storeId` (by default, 'completed' statements that
 * name no skill) and returns their ids.
 */
export async function postBatch(
  r: PipelineTestApp,
  storeId: string,
  first: number,
  count: number,
  statementOf: (id: string, i: number) => object = (id) => ({
    id,
    actor: { mbox: `mailto:${id}@example.com` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    object: { id: `https://example.com/activities/${id}` },
  }),
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => uuid(first + i));
  const res = await r.app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: {
      authorization: await basicAuth(r.store, storeId, ['all']),
      'x-experience-api-version': '2.0.0',
    },
    payload: ids.map(statementOf),
  });
  if (res.statusCode !== 200) throw new Error(`POST answered ${res.statusCode}: ${res.body}`);
  return ids;
}

/** One sample of a Prometheus text exposition. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/g;

/**
 * Parses the text format (version 0.0.4) strictly enough to fail on a malformed line: every
 * line is a `# HELP`, a `# TYPE` or a sample, and every sample's metric has a TYPE before it.
 */
export function parsePrometheus(text: string): Sample[] {
  const typed = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type =
      /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter|histogram|summary|untyped)$/.exec(line);
    if (type?.[1] !== undefined) {
      typed.add(type[1]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const sample = SAMPLE.exec(line);
    if (sample?.[1] === undefined || sample[3] === undefined) {
      throw new Error(`not a Prometheus line: ${line}`);
    }
    if (!typed.has(sample[1])) throw new Error(`sample before its TYPE: ${line}`);
    const labels: Record<string, string> = {};
    for (const m of (sample[2] ?? '').matchAll(LABEL)) {
      if (m[1] !== undefined && m[2] !== undefined) labels[m[1]] = m[2];
    }
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return samples;
}

/** The value of the one sample of `name` with these labels; undefined when there is none. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  return samples.find(
    (s) =>
      s.name === name &&
      Object.keys(s.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}
