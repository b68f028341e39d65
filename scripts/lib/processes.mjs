// Child processes for the start and test scripts: prefixed output, orderly stop.
// Node's standard library only: these run before `npm ci`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLOURS = [36, 35, 33, 32, 34, 31];
let nextColour = 0;

/** A function that prints lines under a fixed, coloured prefix. */
export function prefixer(name) {
  const colour = COLOURS[nextColour++ % COLOURS.length];
  const tag = process.stdout.isTTY ? `\x1b[${colour}m[${name}]\x1b[0m` : `[${name}]`;
  return (line) => process.stdout.write(`${tag} ${formatLogLine(line)}\n`);
}

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** pino's JSON lines, shortened for people: level, message, and any fields worth seeing. */
export function formatLogLine(line) {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line);
    const { level, msg, time, pid, hostname, service, reqId, req, res, responseTime, ...rest } =
      entry;
    let text = `${(LEVELS[level] ?? String(level)).padEnd(5)} ${msg ?? ''}`;
    if (req) text += ` ${req.method} ${req.url}`;
    if (res)
      text += ` -> ${res.statusCode}${responseTime ? ` (${responseTime.toFixed(1)} ms)` : ''}`;
    if (Object.keys(rest).length > 0) text += ` ${JSON.stringify(rest)}`;
    return text;
  } catch {
    return line;
  }
}

/**
 * Spawns `command` with its stdout and stderr printed line by line under `name`. `onLine` sees each
 * stdout line too (to wait for a readiness line). Resolves nothing; use the returned handle.
 */
export function startProcess(
  name,
  command,
  args,
  { env = process.env, cwd, onLine, quiet = false } = {},
) {
  const print = prefixer(name);
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      print(`cannot start ${command}: ${error.message}`);
      resolve({ code: 127, signal: null, error });
    });
  });
  for (const [stream, isOut] of [
    [child.stdout, true],
    [child.stderr, false],
  ]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (isOut && onLine) onLine(line);
      if (!quiet || !isOut) print(line);
    });
  }
  return {
    name,
    child,
    exited,
    /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process has exited. */
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        print(`did not stop within ${graceMs} ms, killing`);
        child.kill('SIGKILL');
      }, graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Runs a command to completion with inherited output; rejects with a clear message on failure. */
export function run(command, args, { cwd, env = process.env, what } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.once('error', (error) =>
      reject(new Error(`${what ?? command}: cannot run ${command}: ${error.message}`)),
    );
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${what ?? command} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** Runs a command and returns its stdout, or null when it cannot run or fails. */
export function capture(command, args, { cwd, env = process.env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', () => resolve(null));
    child.once('exit', (code) => resolve(code === 0 ? out : null));
  });
}

/**
 * Runs `command` with the terminal's stdin, stdout and stderr, and resolves its exit status (1
 * when it cannot start or dies by a signal). For the scripts that front a built CLI: cairn,
 * simulate, bench.
 */
export function runAttached(command, args, { cwd, env = process.env, say, what }) {
  const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
  return new Promise((done) => {
    child.once('error', (error) => {
      say(`cannot run ${what}: ${error.message}`);
      done(1);
    });
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

/** Runs `main`, which resolves an exit status, and exits with it; a failure is one line. */
export function exitWith(main, say) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      say(error.message);
      process.exit(1);
    },
  );
}
