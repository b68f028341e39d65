import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { MongoClient } from 'mongodb';
import type { Redis } from 'ioredis';

/** Counts and time of MongoDB commands, from the driver's command monitoring. */
export interface CommandTally {
  readonly commands: number;
  /** Sum of the commands' durations as the driver saw them (server + loopback), ms. */
  readonly timeMs: number;
  /** By command and collection, e.g. "find statements". */
  readonly byName: Readonly<Record<string, { count: number; timeMs: number }>>;
}

/** What one measured interval cost the API process and the servers behind it. */
export interface Measurement {
  readonly wallSec: number;
  /** CPU time of this process (the API), µs. */
  readonly apiCpuUs: number;
  readonly mongo: CommandTally;
  readonly redis: {
    /** Commands the API's connection sent (round trips; EVALSHA of a Lua script is one). */
    readonly sent: number;
    readonly sentByName: Readonly<Record<string, number>>;
    /** Commands the server executed (INFO commandstats), those run inside scripts included. */
    readonly executed: number;
    readonly executedByName: Readonly<Record<string, number>>;
  };
  /** CPU seconds of the Redis server (INFO cpu). */
  readonly redisCpuSec: number;
  /** CPU seconds of the local MongoDB-compatible server, null when it is not our child. */
  readonly mongoServerCpuSec: number | null;
  /** Resident set size of this process at the end, MiB. */
  readonly rssMiB: number;
}

/** Commands sent on one ioredis connection, by name. */
export interface RedisCommandCounter {
  snapshot(): Readonly<Record<string, number>>;
}

/**
 * Counts what `redis` sends, by wrapping its `sendCommand` (every ioredis command, BullMQ's Lua
 * scripts included, goes through it). Client-side, so that a script is one command, as it is one
 * round trip; MONITOR would cost the API process the parsing of every command.
 */
export function countRedisCommands(redis: Redis): RedisCommandCounter {
  const counts: Record<string, number> = {};
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command, stream) => {
    counts[command.name] = (counts[command.name] ?? 0) + 1;
    return send(command, stream);
  };
  return { snapshot: () => ({ ...counts }) };
}

function deltas(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
): { total: number; byName: Record<string, number> } {
  const byName: Record<string, number> = {};
  let total = 0;
  for (const [name, n] of Object.entries(after)) {
    const delta = n - (before[name] ?? 0);
    if (delta > 0) {
      byName[name] = delta;
      total += delta;
    }
  }
  return { total, byName };
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The shape of a query filter: its fields, each with its operators (`_id:$in`, `verb.id`), and
 * `$or`/`$and` branches in brackets. Enough to tell a query served from `_id` from one that the
 * local server (no secondary index) answers by scanning the collection.
 */
export function filterShape(filter: unknown): string {
  if (!isPlainObject(filter)) return '';
  return Object.entries(filter)
    .map(([field, value]) => {
      if ((field === '$or' || field === '$and') && Array.isArray(value)) {
        const branches = [...new Set(value.map(filterShape))];
        return `${field}[${branches.join(' | ')}]`;
      }
      if (isPlainObject(value)) {
        const ops = Object.keys(value);
        if (ops.length > 0 && ops.every((op) => op.startsWith('$'))) {
          return `${field}:${ops.join(':')}`;
        }
      }
      return field;
    })
    .join(',');
}

/** The filter a command carries, where it has one (first statement of a bulk update/delete). */
function commandFilter(command: Readonly<Record<string, unknown>>, name: string): unknown {
  switch (name) {
    case 'find':
    case 'findAndModify':
      return command['filter'] ?? command['query'];
    case 'count':
      return command['query'];
    case 'distinct':
      return command['query'];
    case 'update': {
      const first: unknown = Array.isArray(command['updates']) ? command['updates'][0] : undefined;
      return isPlainObject(first) ? first['q'] : undefined;
    }
    case 'delete': {
      const first: unknown = Array.isArray(command['deletes']) ? command['deletes'][0] : undefined;
      return isPlainObject(first) ? first['q'] : undefined;
    }
    case 'aggregate': {
      const stage: unknown = Array.isArray(command['pipeline'])
        ? command['pipeline'][0]
        : undefined;
      return isPlainObject(stage) ? stage['$match'] : undefined;
    }
    default:
      return undefined;
  }
}

/** Counts the commands `client` sends (it must be built with `monitorCommands: true`). */
export function tally(client: MongoClient): { snapshot(): CommandTally; inFlight(): number } {
  let commands = 0;
  let finishedCount = 0;
  let timeMs = 0;
  const byName = new Map<string, { count: number; timeMs: number }>();
  const entry = (name: string) => {
    let e = byName.get(name);
    if (e === undefined) byName.set(name, (e = { count: 0, timeMs: 0 }));
    return e;
  };
  // Keyed "command collection {filter shape}" (e.g. "find statements {_id:$in}"), so that the
  // report can tell the statements' round trips from the credential cache's refreshes, and a
  // query served from `_id` from one that scans.
  const keys = new Map<number, string>();
  client.on('commandStarted', (event) => {
    const target: unknown = event.command[event.commandName];
    const shape = filterShape(commandFilter(event.command, event.commandName));
    const key =
      (typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName) +
      (shape === '' ? '' : ` {${shape}}`);
    keys.set(event.requestId, key);
    commands++;
    entry(key).count++;
  });
  const finished = (event: { requestId: number; duration: number }) => {
    finishedCount++;
    timeMs += event.duration;
    const key = keys.get(event.requestId);
    keys.delete(event.requestId);
    if (key !== undefined) entry(key).timeMs += event.duration;
  };
  client.on('commandSucceeded', finished);
  client.on('commandFailed', finished);
  return {
    inFlight: () => commands - finishedCount,
    snapshot: () => ({
      commands,
      timeMs,
      byName: Object.fromEntries([...byName].map(([k, v]) => [k, { ...v }])),
    }),
  };
}

/** What happened between snapshots `a` and `b`. */
export function diffTally(a: CommandTally, b: CommandTally): CommandTally {
  const byName: Record<string, { count: number; timeMs: number }> = {};
  for (const [name, v] of Object.entries(b.byName)) {
    const before = a.byName[name] ?? { count: 0, timeMs: 0 };
    if (v.count > before.count) {
      byName[name] = { count: v.count - before.count, timeMs: v.timeMs - before.timeMs };
    }
  }
  return { commands: b.commands - a.commands, timeMs: b.timeMs - a.timeMs, byName };
}

/** Calls per command from `INFO commandstats`, without our own INFO calls. */
async function redisCommandStats(redis: Redis): Promise<Record<string, number>> {
  const text = await redis.info('commandstats');
  const stats: Record<string, number> = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const [, name = '', calls = '0'] = match;
    if (name !== 'info') stats[name] = Number(calls);
  }
  return stats;
}

async function redisCpuSec(redis: Redis): Promise<number> {
  const text = await redis.info('cpu');
  const value = (key: string) => Number(new RegExp(`^${key}:([\\d.]+)`, 'm').exec(text)?.[1] ?? 0);
  return value('used_cpu_user') + value('used_cpu_sys');
}

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** A process of ours found in /proc (Linux only). */
export interface ChildProcessInfo {
  readonly pid: number;
  readonly comm: string;
  /** The command line, its arguments joined by spaces. */
  readonly cmdline: string;
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * The direct children of this process whose command line matches `pattern`, from /proc (the
 * local servers that scripts/lib/local-services.mjs started: the local MongoDB-compatible server
 * is `java ... -jar .../cairn-mongo-local.jar`, so its command name alone says only "java").
 * Empty where there is no /proc.
 */
export function childProcesses(pattern: RegExp): ChildProcessInfo[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const found: ChildProcessInfo[] = [];
  for (const pid of entries) {
    const stat = readStat(Number(pid));
    if (stat === null || stat.ppid !== process.pid) continue;
    const cmdline = readCmdline(Number(pid));
    if (pattern.test(cmdline)) found.push({ pid: Number(pid), comm: stat.comm, cmdline });
  }
  return found;
}

function readStat(pid: number): { comm: string; ppid: number; cpuSec: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const open = text.indexOf('(');
    const close = text.lastIndexOf(')');
    // Fields after "(comm)": state ppid ... utime (14th field overall) stime (15th).
    const rest = text.slice(close + 2).split(' ');
    const ppid = Number(rest[1]);
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return {
      comm: text.slice(open + 1, close),
      ppid,
      cpuSec: (utime + stime) / ticksPerSecond(),
    };
  } catch {
    return null;
  }
}

/** CPU seconds used so far by process `pid`, or null when it cannot be read. */
export function processCpuSec(pid: number): number | null {
  return readStat(pid)?.cpuSec ?? null;
}

/** Peak resident set size of process `pid` (VmHWM), MiB, or null. */
export function processPeakRssMiB(pid: number): number | null {
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

export interface Probes {
  /** Starts an interval; the returned function ends it and says what it cost. */
  start(): Promise<() => Promise<Measurement>>;
  /**
   * Resolves once no MongoDB command of the API has been in flight for a while: requests that the
   * load generator abandoned at the end of a run finish their work inside the interval that
   * caused them, not in the next one.
   */
  waitForIdle(timeoutMs?: number): Promise<void>;
}

/** Resident set size of process `pid` now (VmRSS), MiB, or null. */
function processRssMiB(pid: number): number | null {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) / 1024;
  } catch {
    return null;
  }
}

const NO_COMMANDS = {
  snapshot: (): CommandTally => ({ commands: 0, timeMs: 0, byName: {} }),
  inFlight: () => 0,
};

/**
 * Everything measured around one benchmark step: the API's CPU and RSS (this process's, or a
 * peer LRS's process from /proc), the API's MongoDB commands (count and time, from command
 * monitoring; none for a peer, whose driver is not ours), Redis commands and CPU (INFO deltas on
 * a connection of the probe's own), and the local MongoDB-compatible server's CPU (/proc).
 */
export function createProbes(options: {
  /** The API's MongoClient (monitorCommands on); null for a peer LRS in a process of its own. */
  mongo: MongoClient | null;
  /** The API's Redis connection, as counted by countRedisCommands; null when it has none. */
  redisSent: RedisCommandCounter | null;
  /** A connection of the probes' own, for INFO. */
  redis: Redis;
  mongoServerPid: number | null;
  /** The API's process when it is not this one (a peer LRS): its CPU and RSS come from /proc. */
  apiPid?: number;
}): Probes {
  const commands = options.mongo === null ? NO_COMMANDS : tally(options.mongo);
  const serverCpu = () =>
    options.mongoServerPid === null ? null : processCpuSec(options.mongoServerPid);
  const apiPid = options.apiPid;
  const apiCpuUs = (): number => {
    if (apiPid === undefined) {
      const cpu = process.cpuUsage();
      return cpu.user + cpu.system;
    }
    return (processCpuSec(apiPid) ?? 0) * 1e6;
  };
  const apiRssMiB = (): number =>
    apiPid === undefined
      ? process.memoryUsage.rss() / 1024 / 1024
      : (processRssMiB(apiPid) ?? Number.NaN);
  const redisSent = options.redisSent ?? { snapshot: () => ({}) };
  return {
    async waitForIdle(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (quiet < 4 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        quiet = commands.inFlight() === 0 ? quiet + 1 : 0;
      }
    },
    async start() {
      const redisBefore = await redisCommandStats(options.redis);
      const sentBefore = redisSent.snapshot();
      const redisCpuBefore = await redisCpuSec(options.redis);
      const mongoBefore = commands.snapshot();
      const serverBefore = serverCpu();
      const cpuBefore = apiCpuUs();
      const t0 = process.hrtime.bigint();
      return async () => {
        const cpuUs = apiCpuUs() - cpuBefore;
        const wallSec = Number(process.hrtime.bigint() - t0) / 1e9;
        const mongo = diffTally(mongoBefore, commands.snapshot());
        const serverAfter = serverCpu();
        const sent = deltas(sentBefore, redisSent.snapshot());
        const executed = deltas(redisBefore, await redisCommandStats(options.redis));
        const redisCpuAfter = await redisCpuSec(options.redis);
        return {
          wallSec,
          apiCpuUs: cpuUs,
          mongo,
          redis: {
            sent: sent.total,
            sentByName: sent.byName,
            executed: executed.total,
            executedByName: executed.byName,
          },
          redisCpuSec: redisCpuAfter - redisCpuBefore,
          mongoServerCpuSec:
            serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore,
          rssMiB: apiRssMiB(),
        };
      };
    },
  };
}
