import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { buildWorld } from './generate.js';
import { DEFAULT_OPTIONS, parseMessList, simulationOptions } from './options.js';
import { progressLine, sendReport, summaryReport } from './progress.js';
import { DEFAULT_SEND_OPTIONS, sendStatements, type SendTally } from './send.js';
import type { Summary } from './summary.js';
import { OUTPUT_FILES, writeSimulation } from './write-output.js';

/** Where the CLI writes, and how it tells time (injected, so that tests control both). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether `err` is a terminal (the progress bar redraws in place there). */
  readonly errIsTty: boolean;
  readonly now: () => number;
}

export const USAGE = `Usage: npm run simulate -- [options]

Generates a seeded, deterministic organisation's xAPI statements and the truth behind them.

  --people N          people (default ${DEFAULT_OPTIONS.people})
  --days N            days (default ${DEFAULT_OPTIONS.days})
  --seed N            seed (default ${DEFAULT_OPTIONS.seed})
  --start YYYY-MM-DD  first day (default ${DEFAULT_OPTIONS.start})
  --mess LIST         all, none, or a comma-separated list of: duplicates, retries,
                      late-arrivals, out-of-order, voiding, voiding-before-target,
                      unknown-verbs, unaligned-activities, invalid (default all)
  --out DIR           output directory (default .data/simulation)

Sending (after generating, or alone with --send-only):
  --post URL          the LRS's xAPI base URL, e.g. http://localhost:8080/xapi
  --key K --secret S  credentials (HTTP Basic)
  --batch N           statements per request (default ${DEFAULT_SEND_OPTIONS.batch})
  --concurrency C     requests in flight (default ${DEFAULT_SEND_OPTIONS.concurrency})
  --rate R            at most R statements per second (default: no limit)
  --send-only         send DIR/statements.ndjson as it is, without generating
`;

const OPTIONS = {
  people: { type: 'string' },
  days: { type: 'string' },
  seed: { type: 'string' },
  start: { type: 'string' },
  mess: { type: 'string' },
  out: { type: 'string' },
  post: { type: 'string' },
  key: { type: 'string' },
  secret: { type: 'string' },
  batch: { type: 'string' },
  concurrency: { type: 'string' },
  rate: { type: 'string' },
  'send-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function integer(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new RangeError(`--${name} must be an integer of at least ${min}, not ${value}`);
  }
  return n;
}

/** Reads lines of a file one by one. */
function fileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
}

/**
 * `npm run simulate -- ...`: generates a run into a directory and, with --post, sends it to an
 * LRS. Returns the exit code: 0, 1 when sending lost statements, 2 on bad arguments.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: OPTIONS, strict: true }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true) {
    io.out(USAGE);
    return 0;
  }
  const directory = values.out ?? join('.data', 'simulation');
  let summary: Summary;
  let sendOptions;
  try {
    const options = simulationOptions({
      people: integer('people', values.people, DEFAULT_OPTIONS.people, 1),
      days: integer('days', values.days, DEFAULT_OPTIONS.days, 1),
      seed: integer('seed', values.seed, DEFAULT_OPTIONS.seed),
      start: values.start ?? DEFAULT_OPTIONS.start,
      mess: values.mess === undefined ? DEFAULT_OPTIONS.mess : parseMessList(values.mess),
    });
    if (values['send-only'] === true && values.post === undefined) {
      throw new RangeError('--send-only needs --post');
    }
    sendOptions = {
      batch: integer('batch', values.batch, DEFAULT_SEND_OPTIONS.batch, 1),
      concurrency: integer('concurrency', values.concurrency, DEFAULT_SEND_OPTIONS.concurrency, 1),
      rate: integer('rate', values.rate, DEFAULT_SEND_OPTIONS.rate),
    };
    if (values['send-only'] === true) {
      const text = await readFile(join(directory, OUTPUT_FILES.summary), 'utf8');
      summary = JSON.parse(text) as Summary;
    } else {
      const started = io.now();
      summary = await writeSimulation(buildWorld(options), directory);
      const seconds = (io.now() - started) / 1000;
      io.out(`${summaryReport(summary, directory)}\n`);
      io.err(
        `generated in ${seconds.toFixed(1)} s (${Math.round(summary.lines / Math.max(seconds, 0.001)).toLocaleString('en-US')} statements/s)\n`,
      );
    }
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
  if (values.post === undefined) return 0;
  const started = io.now();
  let drawn = 0;
  const draw = (tally: SendTally, final = false): void => {
    const now = io.now();
    if (!final && now - drawn < (io.errIsTty ? 200 : 5000)) return;
    drawn = now;
    const line = progressLine(tally, summary.lines, now - started);
    io.err(io.errIsTty ? `\r${line}${final ? '\n' : ''}` : `${line}\n`);
  };
  const tally = await sendStatements(fileLines(join(directory, OUTPUT_FILES.statements)), {
    url: values.post,
    key: values.key ?? '',
    secret: values.secret ?? '',
    ...sendOptions,
    maxRetries: DEFAULT_SEND_OPTIONS.maxRetries,
    backoffMs: DEFAULT_SEND_OPTIONS.backoffMs,
    onProgress: draw,
  });
  draw(tally, true);
  io.out(`${sendReport(tally)}\n`);
  return tally.statements.failed > 0 ? 1 : 0;
}
