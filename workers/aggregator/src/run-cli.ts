import { parseArgs } from 'node:util';
import { CLI_EXIT, CliUsageError, reportCliFailure } from '@cairn/http';
import { databaseCliConfigSpec, loadConfig, type DatabaseCliConfig, type Env } from '@cairn/config';
import { connectMongo, createMongoStore, type Store } from '@cairn/store';
import { rebuildFromStatements, verifyRollups, type RollupDifference } from './skill-day-audit.js';
import { verifyVoids } from './void-audit.js';

/** Exit statuses: done (verify: no difference); differences found or failed; bad command line. */
export const AGGREGATOR_EXIT_OK = CLI_EXIT.ok;
export const AGGREGATOR_EXIT_FAILED = CLI_EXIT.failed;
export const AGGREGATOR_EXIT_USAGE = CLI_EXIT.usage;

/** Where the CLI reads its configuration and writes its output; a test passes its own. */
export interface AggregatorCliIo {
  readonly env: Env;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const AGGREGATOR_USAGE = `Usage: npm run cairn -- verify|rebuild --store ID [--json]

Checks or repairs a store's buckets (the skill-day buckets and the roll-ups beside them)
straight in the database (MONGODB_URI, CAIRN_MONGODB_DATABASE), with workers/aggregator's own
functions (docs/pipeline.md).

Commands:
  verify --store ID    compare the live buckets with a recomputation from the store's statements;
                       prints each difference as a JSON line (its family, key and sums, sums as
                       strings), then each void on which xAPI and the pipeline disagree (its
                       target readable, or without a tombstone). Meaningful once the pipeline
                       has drained
  rebuild --store ID   recompute the store's evidence and buckets from its statements, under its
                       current rules; run only while no aggregator processes the store (and once
                       per store after upgrading to a version with new roll-ups)

Options:
  --json   print the result as one JSON document (errors too, on stderr), for scripts

Exit status: 0 done (verify: no difference), 1 differences found or failed, 2 bad command line.
`;

/** A store the database does not know: exit status 1. */
class UnknownStoreError extends Error {
  readonly code = 'CLI_ERR_UNKNOWN_STORE';
}

type CommandName = 'verify' | 'rebuild';

interface Parsed {
  readonly command: CommandName | 'help';
  readonly storeId: string;
  readonly json: boolean;
}

function parse(args: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        store: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const json = values.json === true;
  if (values.help === true || (positionals.length === 1 && positionals[0] === 'help')) {
    return { command: 'help', storeId: '', json };
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw new CliUsageError('no command given');
  if ((name !== 'verify' && name !== 'rebuild') || extra.length > 0) {
    throw new CliUsageError(`unknown command: ${positionals.join(' ')}`);
  }
  if (values.store === undefined) throw new CliUsageError(`${name} needs --store`);
  return { command: name, storeId: values.store, json };
}

/** JSON with bigints as decimal strings (the bucket sums are int64). */
const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

interface Output {
  readonly status: number;
  readonly text: string;
}

async function verify(store: Store, storeId: string, json: boolean): Promise<Output> {
  const differences: RollupDifference[] = await verifyRollups(store, storeId);
  const voids = await verifyVoids(store, storeId);
  const clean = differences.length === 0 && voids.length === 0;
  const status = clean ? AGGREGATOR_EXIT_OK : AGGREGATOR_EXIT_FAILED;
  if (json) return { status, text: `${toJson({ store: storeId, differences, voids })}\n` };
  const lines = [...differences, ...voids.map((v) => ({ void: v }))]
    .map((d) => `${toJson(d)}\n`)
    .join('');
  const summary =
    differences.length === 0
      ? `Store ${storeId}: the buckets match its statements.\n`
      : `Store ${storeId}: ${differences.length} bucket(s) differ from its statements.\n`;
  const voidSummary =
    voids.length === 0
      ? ''
      : `Store ${storeId}: ${voids.length} void(s) where xAPI and the pipeline disagree.\n`;
  return { status, text: lines + summary + voidSummary };
}

const rollupCount = (counts: Readonly<Record<string, number>>): number =>
  Object.values(counts).reduce((a, b) => a + b, 0);

async function rebuild(store: Store, storeId: string, json: boolean): Promise<Output> {
  const result = await rebuildFromStatements(store, storeId);
  return {
    status: AGGREGATOR_EXIT_OK,
    text: json
      ? `${toJson({ store: storeId, ...result })}\n`
      : `Store ${storeId}: rebuilt ${result.rows} evidence row(s), ${result.buckets} bucket(s) ` +
        `and ${rollupCount(result.rollups) - result.buckets} roll-up(s) ` +
        `from ${result.statements} statement(s), settings generation ${result.generation}.\n`,
  };
}

/**
 * Runs `verify` or `rebuild` against the database named by the environment and returns the exit
 * status (`npm run cairn -- verify --store S`, dispatched here by scripts/cairn.mjs). Everything
 * it prints goes through `io`; it never exits the process itself.
 */
export async function runAggregatorCli(
  args: readonly string[],
  io: AggregatorCliIo,
): Promise<number> {
  const wantsJson = args.includes('--json');
  const fail = (error: unknown, status: number): number =>
    reportCliFailure(io.stderr, error, status, { json: wantsJson, usage: AGGREGATOR_USAGE });

  let parsed: Parsed;
  try {
    parsed = parse(args);
  } catch (error) {
    return fail(error, AGGREGATOR_EXIT_USAGE);
  }
  const { command, storeId, json } = parsed;
  if (command === 'help') {
    io.stdout(AGGREGATOR_USAGE);
    return AGGREGATOR_EXIT_OK;
  }

  let mongo;
  try {
    const config = loadConfig<DatabaseCliConfig>(databaseCliConfigSpec, io.env);
    mongo = await connectMongo({
      uri: config.MONGODB_URI,
      database: config.CAIRN_MONGODB_DATABASE,
      appName: 'cairn-aggregator-cli',
    });
  } catch (error) {
    return fail(error, AGGREGATOR_EXIT_FAILED);
  }
  try {
    const store = createMongoStore(mongo.db);
    if ((await store.tenants.get(storeId)) === null) {
      throw new UnknownStoreError(`unknown store: ${storeId}`);
    }
    const output = await (command === 'verify' ? verify : rebuild)(store, storeId, json);
    io.stdout(output.text);
    return output.status;
  } catch (error) {
    return fail(error, AGGREGATOR_EXIT_FAILED);
  } finally {
    await mongo.close();
  }
}
