import type { MongoClient } from 'mongodb';
import { request } from 'undici';
import { processCpuSec } from './probes.js';
import { percentile } from './stats.js';

/** What the driver saw of the MongoDB commands of one interval. */
export interface DbTally {
  readonly commands: number;
  /** Sum of the commands' durations as the driver saw them (server + loopback + decoding), ms. */
  readonly ms: number;
  /** Documents the server returned in cursor batches (find, getMore, aggregate). */
  readonly docs: number;
  /** By "command collection": count, ms, documents. */
  readonly byName: Readonly<Record<string, { count: number; ms: number; docs: number }>>;
}

/**
 * Counts the commands `client` sends (built with `monitorCommands: true`) and the documents their
 * cursors return, which is what tells a report that reads a few documents by key from one that
 * makes the server scan and ship a collection.
 */
export function dbMonitor(client: MongoClient): { snapshot(): DbTally } {
  let commands = 0;
  let ms = 0;
  let docs = 0;
  const byName = new Map<string, { count: number; ms: number; docs: number }>();
  const names = new Map<number, { name: string; collection: string }>();
  client.on('commandStarted', (e) => {
    const target: unknown = e.command[e.commandName];
    const collection =
      e.commandName === 'getMore' && typeof e.command['collection'] === 'string'
        ? e.command['collection']
        : typeof target === 'string'
          ? target
          : '';
    names.set(e.requestId, { name: e.commandName, collection });
  });
  const finished = (e: { requestId: number; duration: number; reply?: unknown }) => {
    const started = names.get(e.requestId);
    names.delete(e.requestId);
    const reply = e.reply as { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } };
    const n = reply?.cursor?.firstBatch?.length ?? reply?.cursor?.nextBatch?.length ?? 0;
    commands++;
    ms += e.duration;
    docs += n;
    const key = started === undefined ? '?' : `${started.name} ${started.collection}`.trim();
    const entry = byName.get(key) ?? { count: 0, ms: 0, docs: 0 };
    entry.count++;
    entry.ms += e.duration;
    entry.docs += n;
    byName.set(key, entry);
  };
  client.on('commandSucceeded', finished);
  client.on('commandFailed', finished);
  return {
    snapshot: () => ({
      commands,
      ms,
      docs,
      byName: Object.fromEntries([...byName].map(([k, v]) => [k, { ...v }])),
    }),
  };
}

function diff(a: DbTally, b: DbTally): DbTally {
  const byName: Record<string, { count: number; ms: number; docs: number }> = {};
  for (const [k, v] of Object.entries(b.byName)) {
    const before = a.byName[k] ?? { count: 0, ms: 0, docs: 0 };
    if (v.count > before.count)
      byName[k] = {
        count: v.count - before.count,
        ms: v.ms - before.ms,
        docs: v.docs - before.docs,
      };
  }
  return { commands: b.commands - a.commands, ms: b.ms - a.ms, docs: b.docs - a.docs, byName };
}

/** One measured request (or computation). */
export interface Sample {
  readonly wallMs: number;
  readonly db: DbTally;
  /** CPU of this process (the reports app, its driver and the small client), ms. */
  readonly cpuMs: number;
  /** CPU of the local MongoDB-compatible server, ms; null when it is not our child. */
  readonly serverCpuMs: number | null;
  readonly rows: number;
  readonly bytes: number;
  /** Highest RSS sampled during the interval, MiB, and RSS at its start. */
  readonly peakRssMiB: number;
  readonly startRssMiB: number;
}

export interface Meter {
  measure(run: () => Promise<{ rows: number; bytes: number }>): Promise<Sample>;
}

const rssMiB = (): number => process.memoryUsage.rss() / 1024 / 1024;

export function meter(db: { snapshot(): DbTally }, serverPid: number | null): Meter {
  const serverCpu = (): number | null => (serverPid === null ? null : processCpuSec(serverPid));
  return {
    async measure(run) {
      const startRss = rssMiB();
      let peak = startRss;
      // Sampled between the event loop's turns: streaming yields often, so the peak is seen.
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMiB());
      }, 5);
      const dbBefore = db.snapshot();
      const serverBefore = serverCpu();
      const cpuBefore = process.cpuUsage();
      const t0 = performance.now();
      const out = await run();
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpuBefore);
      const serverAfter = serverCpu();
      clearInterval(sampler);
      peak = Math.max(peak, rssMiB());
      return {
        wallMs,
        db: diff(dbBefore, db.snapshot()),
        cpuMs: (cpu.user + cpu.system) / 1000,
        serverCpuMs:
          serverBefore === null || serverAfter === null
            ? null
            : (serverAfter - serverBefore) * 1000,
        rows: out.rows,
        bytes: out.bytes,
        peakRssMiB: peak,
        startRssMiB: startRss,
      };
    },
  };
}

/**
 * GET `url` and read the body as a stream, counting lines (CSV and NDJSON rows; CSV's header is
 * one more) without keeping it; or, for JSON, parsing it and counting `rows`.
 */
export async function fetchReport(
  url: string,
  authorization: string,
  format: 'json' | 'csv' | 'ndjson',
): Promise<{ rows: number; bytes: number }> {
  const res = await request(url, { headers: { authorization } });
  if (res.statusCode !== 200) {
    throw new Error(`GET ${url}: ${res.statusCode} ${await res.body.text()}`);
  }
  if (format === 'json') {
    const text = await res.body.text();
    const body = JSON.parse(text) as { rows: unknown[] };
    return { rows: body.rows.length, bytes: Buffer.byteLength(text) };
  }
  let lines = 0;
  let bytes = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return { rows: format === 'csv' ? lines - 1 : lines, bytes };
}

/** Percentiles and medians of a set of samples, for the tables. */
export interface SampleSummary {
  readonly runs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly dbMs: number;
  readonly dbShare: number;
  readonly dbCommands: number;
  readonly dbDocs: number;
  readonly cpuMs: number;
  readonly serverCpuMs: number | null;
  readonly rows: number;
  readonly byName: DbTally['byName'];
}

const median = (xs: number[]): number => percentile(Float64Array.from(xs).sort(), 50);

export function summarise(samples: readonly Sample[]): SampleSummary {
  const walls = Float64Array.from(samples.map((s) => s.wallMs)).sort();
  const dbMs = median(samples.map((s) => s.db.ms));
  const p50 = percentile(walls, 50);
  const mid = samples.find((s) => s.wallMs === p50) ?? samples[0];
  const server = samples.map((s) => s.serverCpuMs).filter((x): x is number => x !== null);
  return {
    runs: samples.length,
    p50Ms: p50,
    p95Ms: percentile(walls, 95),
    dbMs,
    dbShare: median(samples.map((s) => s.db.ms / s.wallMs)),
    dbCommands: median(samples.map((s) => s.db.commands)),
    dbDocs: median(samples.map((s) => s.db.docs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    serverCpuMs: server.length === 0 ? null : median(server),
    rows: mid?.rows ?? 0,
    byName: mid?.db.byName ?? {},
  };
}
