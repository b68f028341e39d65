// The local Redis: Debian's redis-server on loopback. Node's standard library only.
import { mkdirSync } from 'node:fs';
import { aptInstall, canAptInstall } from './apt.mjs';
import { capture, startProcess } from './processes.mjs';
import { freePort, waitForTcp } from './net.mjs';

/** Finds redis-server, installing Debian's package when it is missing and we are root. */
export async function ensureRedisServer(log) {
  if ((await capture('redis-server', ['--version'])) !== null) return 'redis-server';
  if (await canAptInstall()) {
    await aptInstall(['redis-server'], log);
    if ((await capture('redis-server', ['--version'])) !== null) return 'redis-server';
  }
  throw new Error(
    'redis-server is not installed: install it (Debian: apt-get install redis-server), or set REDIS_URL to a Redis of your own',
  );
}

/**
 * Starts Redis on a free port of 127.0.0.1. With `dataDir` it persists (append-only file there);
 * without, it keeps nothing. Resolves once it accepts connections, with its URL.
 */
export async function startRedis(command, { dataDir, timeoutMs = 15_000 }) {
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--daemonize',
    'no',
  ];
  args.push('--maxmemory-policy', 'noeviction'); // BullMQ requires it: an evicted job key is a lost job
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    args.push('--dir', dataDir, '--appendonly', 'yes', '--save', '');
  } else {
    args.push('--appendonly', 'no', '--save', '');
  }
  const proc = startProcess('redis', command, args, { quiet: true });
  const up = await Promise.race([
    waitForTcp('127.0.0.1', port, timeoutMs),
    proc.exited.then(() => false),
  ]);
  if (!up) {
    await proc.stop(2000);
    throw new Error(`redis-server did not start on port ${port}`);
  }
  return { url: `redis://127.0.0.1:${port}`, process: proc };
}
