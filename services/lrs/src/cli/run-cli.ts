import { parseArgs } from 'node:util';
import { CLI_EXIT, CliUsageError, reportCliFailure } from '@cairn/http';
import { databaseCliConfigSpec, loadConfig, type DatabaseCliConfig, type Env } from '@cairn/config';
import { connectMongo, createMongoStore } from '@cairn/store';
import {
  createAdminOperations,
  type AdminOperations,
  type CredentialSummary,
  type StoreSummary,
} from '../admin/admin-operations.js';
import { bootstrap } from '../bootstrap.js';
import { splitOriginList } from '../cors/origins.js';

/** Exit statuses: done; refused or failed (unknown store, database unreachable...); bad command line. */
export const EXIT_OK = CLI_EXIT.ok;
export const EXIT_FAILED = CLI_EXIT.failed;
export const EXIT_USAGE = CLI_EXIT.usage;

/** Where the CLI reads its configuration and writes its output; a test passes its own. */
export interface CliIo {
  readonly env: Env;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The clock for `createdAt` and `revokedAt`. */
  readonly now?: () => Date;
}

export const USAGE = `Usage: npm run cairn -- <command> [options]

Manages stores and credentials straight in the database (MONGODB_URI, CAIRN_MONGODB_DATABASE),
so that the first ones can be made before any credential exists.

Commands:
  stores create --name NAME                     create a store; prints its id
  stores list                                   list every store
  stores stats --store ID                       a store with its statement count and last stored time
  stores update --store ID [--name NAME] [--cors-origins LIST]
                                                rename a store or set the web origins whose pages may
                                                use its credentials: comma-separated origins
                                                (https://courses.example.com), * for any, or
                                                inherit for the installation's CAIRN_CORS_ORIGINS
  credentials create --store ID --scopes A,B [--label TEXT]
                                                make a credential; prints its key and secret (shown once)
  credentials list --store ID                   list a store's credentials (never their secrets)
  credentials revoke --store ID --key KEY       revoke a credential (refused everywhere within 5 s)
  verify --store ID                             check the store's skill-day buckets (workers/aggregator)
  rebuild --store ID                            rebuild the store's skill-day buckets (workers/aggregator)
  help                                          show this text

Options:
  --json   print the result as JSON (errors too, on stderr), for scripts

Exit status: 0 done, 1 refused or failed, 2 bad command line.
`;

const OPTIONS = {
  name: { type: 'string' },
  store: { type: 'string' },
  scopes: { type: 'string' },
  label: { type: 'string' },
  key: { type: 'string' },
  'cors-origins': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = Partial<
  Record<'name' | 'store' | 'scopes' | 'label' | 'key' | 'cors-origins', string>
>;
type ValueName = keyof Values;

/** What a command prints: `json` with --json, else `text`. */
interface Output {
  readonly json: unknown;
  readonly text: string;
}

interface Command {
  readonly required: readonly ValueName[];
  readonly optional?: readonly ValueName[];
  /** Options of which at least one must be given. */
  readonly oneOf?: readonly ValueName[];
  run(admin: AdminOperations, values: Values): Promise<Output>;
}

/** The CLI's word for "no list of the store's own": the installation's applies. */
const INHERIT = 'inherit';

const iso = (date: Date | null): string => (date === null ? '-' : date.toISOString());

/** Rows as columns separated by two spaces, the first row being the header. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

function fields(pairs: readonly (readonly [string, string])[]): string {
  return table(pairs.map(([name, value]) => [`${name}:`, value]));
}

const originsText = (origins: readonly string[] | null): string =>
  origins === null ? `${INHERIT} (CAIRN_CORS_ORIGINS)` : origins.join(',');

function storeRows(stores: readonly StoreSummary[]): string {
  if (stores.length === 0) return 'No stores.';
  return table([
    ['ID', 'NAME', 'CREATED', 'CORS ORIGINS'],
    ...stores.map((s) => [s.id, s.name, iso(s.createdAt), originsText(s.corsOrigins)]),
  ]);
}

function credentialRows(credentials: readonly CredentialSummary[]): string {
  if (credentials.length === 0) return 'No credentials.';
  return table([
    ['KEY', 'SCOPES', 'LABEL', 'CREATED', 'REVOKED'],
    ...credentials.map((c) => [
      c.key,
      c.scopes.join(','),
      c.label === '' ? '-' : c.label,
      iso(c.createdAt),
      iso(c.revokedAt),
    ]),
  ]);
}

/** The value of a required option (checked before a command runs). */
function value(values: Values, name: ValueName): string {
  const found = values[name];
  if (found === undefined) throw new CliUsageError(`--${name} is required`);
  return found;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  'stores create': {
    required: ['name'],
    async run(admin, values) {
      const store = await admin.createStore(value(values, 'name'));
      return { json: store, text: `Created store ${store.id} (${store.name}).` };
    },
  },
  'stores list': {
    required: [],
    async run(admin) {
      const stores = await admin.listStores();
      return { json: { stores }, text: storeRows(stores) };
    },
  },
  'stores stats': {
    required: ['store'],
    async run(admin, values) {
      const s = await admin.storeStats(value(values, 'store'));
      return {
        json: s,
        text: fields([
          ['id', s.id],
          ['name', s.name],
          ['created', iso(s.createdAt)],
          ['cors origins', originsText(s.corsOrigins)],
          ['statements', String(s.statementCount)],
          ['last stored', s.lastStored === null ? 'never' : iso(s.lastStored)],
        ]),
      };
    },
  },
  'stores update': {
    required: ['store'],
    optional: ['name', 'cors-origins'],
    oneOf: ['name', 'cors-origins'],
    async run(admin, values) {
      const origins = values['cors-origins'];
      const s = await admin.updateStore(value(values, 'store'), {
        name: values.name,
        corsOrigins:
          origins === undefined
            ? undefined
            : origins.trim() === INHERIT
              ? null
              : splitOriginList(origins),
      });
      return {
        json: s,
        text: `Updated store ${s.id} (${s.name}); CORS origins: ${originsText(s.corsOrigins)}. Every LRS process applies them within 5 s.`,
      };
    },
  },
  'credentials create': {
    required: ['store', 'scopes'],
    optional: ['label'],
    async run(admin, values) {
      const scopes = value(values, 'scopes')
        .split(',')
        .map((scope) => scope.trim())
        .filter((scope) => scope !== '');
      const c = await admin.createCredential(value(values, 'store'), {
        scopes,
        label: values.label,
      });
      return {
        json: c,
        text: [
          fields([
            ['key', c.key],
            ['secret', c.secret],
            ['store', c.storeId],
            ['scopes', c.scopes.join(',')],
            ['label', c.label === '' ? '-' : c.label],
          ]),
          'The secret is shown only this once: keep it now.',
        ].join('\n'),
      };
    },
  },
  'credentials list': {
    required: ['store'],
    async run(admin, values) {
      const credentials = await admin.listCredentials(value(values, 'store'));
      return { json: { credentials }, text: credentialRows(credentials) };
    },
  },
  'credentials revoke': {
    required: ['store', 'key'],
    async run(admin, values) {
      const [storeId, key] = [value(values, 'store'), value(values, 'key')];
      await admin.revokeCredential(storeId, key);
      return {
        json: { key, storeId, revoked: true },
        text: `Revoked credential ${key} of store ${storeId}; every LRS process refuses it within 5 s.`,
      };
    },
  },
};

interface Parsed {
  readonly command: Command | 'help';
  readonly values: Values;
  readonly json: boolean;
}

function parse(args: readonly string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const { positionals, values } = parsed;
  const json = values.json === true;
  const { json: _json, help, ...given } = values;
  if (help === true || (positionals.length === 1 && positionals[0] === 'help')) {
    return { command: 'help', values: given, json };
  }
  if (positionals.length === 0) throw new CliUsageError('no command given');
  const name = positionals.slice(0, 2).join(' ');
  const command = COMMANDS[name];
  if (command === undefined || positionals.length > 2) {
    throw new CliUsageError(`unknown command: ${positionals.join(' ')}`);
  }
  for (const option of command.required) {
    if (given[option] === undefined) throw new CliUsageError(`${name} needs --${option}`);
  }
  const oneOf = command.oneOf ?? [];
  if (oneOf.length > 0 && oneOf.every((option) => given[option] === undefined)) {
    throw new CliUsageError(
      `${name} needs at least one of ${oneOf.map((o) => `--${o}`).join(', ')}`,
    );
  }
  const allowed: readonly string[] = [...command.required, ...(command.optional ?? [])];
  for (const option of Object.keys(given)) {
    if (!allowed.includes(option)) {
      throw new CliUsageError(`${name} takes no --${option}`);
    }
  }
  return { command, values: given, json };
}

/**
 * Runs one CLI command against the database named by the environment and returns the exit
 * status. Everything it prints goes through `io`; it never exits the process itself.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const wantsJson = args.includes('--json');
  const fail = (error: unknown, status: number): number =>
    reportCliFailure(io.stderr, error, status, { json: wantsJson, usage: USAGE });

  let parsed: Parsed;
  try {
    parsed = parse(args);
  } catch (error) {
    return fail(error, EXIT_USAGE);
  }
  const { command, values, json } = parsed;
  if (command === 'help') {
    io.stdout(USAGE);
    return EXIT_OK;
  }

  const now = io.now ?? (() => new Date());
  let mongo;
  try {
    const config = loadConfig<DatabaseCliConfig>(databaseCliConfigSpec, io.env);
    mongo = await connectMongo({
      uri: config.MONGODB_URI,
      database: config.CAIRN_MONGODB_DATABASE,
      appName: 'cairn-cli',
    });
  } catch (error) {
    return fail(error, EXIT_FAILED);
  }
  try {
    const store = createMongoStore(mongo.db);
    // As an LRS start-up would: the CLI may be the first program to touch this database.
    await store.ensureIndexes();
    await bootstrap(store, null, now());
    const output = await command.run(createAdminOperations({ store, now }), values);
    io.stdout(json ? `${JSON.stringify(output.json, null, 2)}\n` : `${output.text}\n`);
    return EXIT_OK;
  } catch (error) {
    return fail(error, EXIT_FAILED);
  } finally {
    await mongo.close();
  }
}
