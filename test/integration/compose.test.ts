// docker-compose.yml and the Dockerfile against what the code expects: the services, their
// commands, ports and environment checked against each process's own config schema. Reads files
// only; needs no Docker and no database.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';
import { ConfigError, loadConfig, type ConfigSpec } from '@cairn/config';
import { aggregatorConfigSpec } from '@cairn/aggregator';
import { lrsConfigSpec } from '@cairn/lrs';
import { reportsConfigSpec } from '@cairn/reports';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface CairnService {
  readonly name: 'lrs' | 'reports' | 'aggregator';
  readonly main: string;
  readonly spec: ConfigSpec;
  /** The listener's variables and port, for the HTTP services. */
  readonly http?: {
    readonly hostVariable: string;
    readonly portVariable: string;
    readonly port: number;
  };
}

const CAIRN_SERVICES: readonly CairnService[] = [
  {
    name: 'lrs',
    main: 'services/lrs/dist/main.js',
    spec: lrsConfigSpec,
    http: { hostVariable: 'CAIRN_LRS_HOST', portVariable: 'CAIRN_LRS_PORT', port: 8080 },
  },
  {
    name: 'reports',
    main: 'services/reports/dist/main.js',
    spec: reportsConfigSpec,
    http: { hostVariable: 'CAIRN_REPORTS_HOST', portVariable: 'CAIRN_REPORTS_PORT', port: 8081 },
  },
  { name: 'aggregator', main: 'workers/aggregator/dist/main.js', spec: aggregatorConfigSpec },
];

/** What a user would have in their shell when running `docker compose up` as the README says. */
const USER_ENV: Readonly<Record<string, string>> = {
  CAIRN_BOOTSTRAP_KEY: 'compose-test-key',
  CAIRN_BOOTSTRAP_SECRET: 'compose-test-secret-0123456789',
};

// ---------------------------------------------------------------------------------------------
// Reading the files

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapping(value: unknown, what: string): Mapping {
  if (!isMapping(value)) throw new Error(`${what} is not a mapping`);
  return value;
}

function strings(value: unknown, what: string): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter((s) => s !== '');
  if (Array.isArray(value)) return value.map((v: unknown) => scalar(v, what));
  throw new Error(`${what} is neither a string nor a list`);
}

function scalar(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${what} holds a value that is not a string or a number`);
}

function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

// Compose resolves `<<:` merge keys, so the test does too.
const compose = mapping(
  parse(readText('docker-compose.yml'), { merge: true }),
  'docker-compose.yml',
);
const services = mapping(compose['services'], 'services');

function service(name: string): Mapping {
  return mapping(services[name], `services.${name}`);
}

/** A service's environment, as written (before interpolation). Compose allows a list; we use a map. */
function environment(name: string): Record<string, string> {
  const env = mapping(service(name)['environment'], `services.${name}.environment`);
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      scalar(value, `services.${name}.environment.${key}`),
    ]),
  );
}

/**
 * Compose's interpolation of `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
 * `${NAME:?error}` and `${NAME?error}` against `env`. Throws as compose refuses to start.
 */
function interpolate(value: string, env: Readonly<Record<string, string>>): string {
  return value.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*)|(\{[^}]*\}?))/g,
    (
      match,
      dollar: string | undefined,
      braced: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      bare: string | undefined,
      other: string | undefined,
    ) => {
      if (dollar !== undefined) return '$';
      if (other !== undefined) throw new Error(`unsupported interpolation ${match}`);
      const name = braced ?? bare ?? '';
      const current = env[name];
      const unset = op?.startsWith(':')
        ? current === undefined || current === ''
        : current === undefined;
      if (!unset) return current ?? '';
      if (op === ':-' || op === '-') return arg ?? '';
      if (op === ':?' || op === '?')
        throw new Error(`required variable ${name} is missing a value: ${arg ?? ''}`);
      return '';
    },
  );
}

function resolvedEnvironment(
  name: string,
  env: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment(name)).map(([key, value]) => [key, interpolate(value, env)]),
  );
}

interface PublishedPort {
  readonly published: string;
  readonly target: string;
}

/** `ports:` in the short ("[ip:]published:target[/proto]") or long ({ target, published }) syntax. */
function publishedPorts(name: string): PublishedPort[] {
  const ports = service(name)['ports'];
  if (ports === undefined) return [];
  if (!Array.isArray(ports)) throw new Error(`services.${name}.ports is not a list`);
  return ports.map((entry: unknown) => {
    if (isMapping(entry)) {
      return {
        published: scalar(entry['published'], `services.${name}.ports.published`),
        target: scalar(entry['target'], `services.${name}.ports.target`),
      };
    }
    const parts = scalar(entry, `services.${name}.ports`)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const target = parts.at(-1) ?? '';
    return { published: parts.length > 1 ? (parts.at(-2) ?? '') : '', target };
  });
}

function healthcheckTest(name: string): string {
  const healthcheck = mapping(service(name)['healthcheck'], `services.${name}.healthcheck`);
  return strings(healthcheck['test'], `services.${name}.healthcheck.test`).join(' ');
}

interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
}

interface DockerStage {
  readonly name: string | undefined;
  readonly from: string;
  readonly instructions: readonly DockerInstruction[];
}

/** The Dockerfile's stages, with continuation lines joined and comments dropped. */
function dockerStages(text: string): DockerStage[] {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { name: string | undefined; from: string; instructions: DockerInstruction[] }[] =
    [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const match = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: match?.[1] ?? args, name: match?.[2], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** A stage's instructions preceded by those of the stages it is built FROM. */
function effectiveInstructions(
  stages: readonly DockerStage[],
  stage: DockerStage,
): DockerInstruction[] {
  const base = stages.find((s) => s.name !== undefined && s.name === stage.from);
  return [...(base ? effectiveInstructions(stages, base) : []), ...stage.instructions];
}

const packageJson = mapping(JSON.parse(readText('package.json')), 'package.json');
const workspaces = strings(packageJson['workspaces'], 'package.json workspaces');
const dockerfile = dockerStages(readText('Dockerfile'));
const runtimeStage = dockerfile.at(-1);
const runtime = runtimeStage ? effectiveInstructions(dockerfile, runtimeStage) : [];

/** The image's default command, from an exec-form CMD in the final stage. */
function dockerCmd(): string[] {
  const cmd = runtime.filter((i) => i.keyword === 'CMD').at(-1);
  if (!cmd) return [];
  const parsed: unknown = JSON.parse(cmd.args);
  return strings(parsed, 'Dockerfile CMD');
}

/** The command a compose service runs: its own `command`, or the image's CMD. */
function commandOf(name: string): string[] {
  const command = service(name)['command'];
  return command === undefined ? dockerCmd() : strings(command, `services.${name}.command`);
}

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

void t.test('compose defines mongodb, redis, lrs, reports and aggregator', (t) => {
  t.strictSame(
    ['mongodb', 'redis', 'lrs', 'reports', 'aggregator'].filter(
      (name) => !isMapping(services[name]),
    ),
    [],
    'missing services',
  );
  t.end();
});

void t.test(
  'mongodb runs as a replica set that its healthcheck initiates, under the name MONGODB_URI asks for',
  (t) => {
    const command = commandOf('mongodb');
    const replSet = command[command.indexOf('--replSet') + 1];
    t.ok(
      command.includes('--replSet') && replSet !== undefined,
      'mongod is started with --replSet <name>',
    );
    const check = healthcheckTest('mongodb');
    t.match(check, /rs\.initiate\(/, 'the healthcheck initiates the replica set');
    t.match(check, `_id: '${replSet}'`, 'with the name given to --replSet');
    t.match(check, `host: 'mongodb:27017'`, 'whose member is this service, as the others reach it');
    t.match(check, /isWritablePrimary/, 'and passes only once this node is primary');
    const volumes = strings(service('mongodb')['volumes'], 'services.mongodb.volumes');
    t.ok(
      volumes.some((v) => v.endsWith(':/data/db')),
      'the data directory is a volume',
    );

    for (const { name } of CAIRN_SERVICES) {
      const uri = new URL(resolvedEnvironment(name, USER_ENV)['MONGODB_URI'] ?? '');
      t.equal(uri.hostname, 'mongodb', `${name} connects to the mongodb service`);
      t.equal(uri.searchParams.get('replicaSet'), replSet, `${name} names the replica set`);
    }
    t.end();
  },
);

void t.test(
  'redis keeps queued jobs: append-only file, no eviction, a ping healthcheck, a volume',
  (t) => {
    const command = commandOf('redis');
    const option = (name: string): string | undefined => command[command.indexOf(name) + 1];
    t.equal(command[0], 'redis-server', 'runs redis-server');
    t.equal(option('--appendonly'), 'yes', 'append-only file on');
    t.equal(option('--maxmemory-policy'), 'noeviction', 'never evicts a job key');
    t.match(healthcheckTest('redis'), /redis-cli ping/, 'the healthcheck pings');
    const volumes = strings(service('redis')['volumes'], 'services.redis.volumes');
    t.ok(
      volumes.some((v) => v.endsWith(':/data')),
      'the data directory is a volume',
    );

    for (const { name } of CAIRN_SERVICES) {
      const url = new URL(resolvedEnvironment(name, USER_ENV)['REDIS_URL'] ?? '');
      t.equal(url.hostname, 'redis', `${name} connects to the redis service`);
    }
    t.end();
  },
);

for (const { name, main, spec, http } of CAIRN_SERVICES) {
  void t.test(`${name} runs node ${main}, built from a workspace the image contains`, (t) => {
    t.strictSame(commandOf(name), ['node', main], 'command');
    const workspace = main.replace(/\/dist\/main\.js$/, '');
    t.ok(workspaces.includes(workspace), `${workspace} is a workspace in package.json`);
    t.ok(existsSync(join(ROOT, workspace, 'src', 'main.ts')), `${workspace}/src/main.ts exists`);
    t.end();
  });

  void t.test(`${name} starts only after MongoDB and Redis are healthy`, (t) => {
    const dependsOn = mapping(service(name)['depends_on'], `services.${name}.depends_on`);
    for (const dependency of ['mongodb', 'redis']) {
      const condition = mapping(dependsOn[dependency], `depends_on.${dependency}`)['condition'];
      t.equal(condition, 'service_healthy', dependency);
    }
    t.end();
  });

  void t.test(`${name} sets only variables that its config schema declares`, (t) => {
    const declared = Object.keys(spec.schema.properties);
    t.strictSame(
      Object.keys(environment(name)).filter((key) => !declared.includes(key)),
      [],
      `not in ${spec.app}'s schema, so ${name} would ignore them`,
    );
    t.end();
  });

  void t.test(`${name} sets every variable that its config schema requires`, (t) => {
    const set = Object.keys(environment(name));
    const required = strings(spec.schema['required'] ?? [], `${spec.app} schema.required`);
    t.strictSame(
      required.filter((key) => !set.includes(key)),
      [],
    );
    const dependent = mapping(
      spec.schema['dependentRequired'] ?? {},
      `${spec.app} schema.dependentRequired`,
    );
    for (const [key, needs] of Object.entries(dependent)) {
      if (!set.includes(key)) continue;
      const missing = strings(needs, key).filter((k) => !set.includes(k));
      t.strictSame(missing, [], `${key} is set, so these must be too`);
    }
    t.end();
  });

  void t.test(
    `${name}'s environment, with compose's defaults filled in, passes ${name}'s own validation`,
    (t) => {
      const env = resolvedEnvironment(name, USER_ENV);
      try {
        loadConfig(spec, env);
        t.pass('valid');
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        t.fail(error.message);
      }
      t.end();
    },
  );

  if (http) {
    void t.test(
      `${name} publishes port ${http.port}, listens there on every interface, and reports ready there`,
      (t) => {
        const env = resolvedEnvironment(name, USER_ENV);
        const ports = publishedPorts(name);
        t.strictSame(ports, [{ published: String(http.port), target: String(http.port) }]);
        t.equal(
          env[http.portVariable],
          String(http.port),
          `${http.portVariable} is the published container port`,
        );
        t.equal(
          env[http.hostVariable],
          '0.0.0.0',
          `${http.hostVariable}: reachable from outside the container`,
        );
        const check = healthcheckTest(name);
        t.match(check, /\/ready/, 'the healthcheck asks /ready');
        t.ok(
          check.includes(`process.env.${http.portVariable}`) ||
            check.includes(`:${http.port}/ready`),
          `on the port ${http.portVariable} sets`,
        );
        t.end();
      },
    );
  } else {
    void t.test(`${name} publishes no port`, (t) => {
      t.strictSame(publishedPorts(name), []);
      t.end();
    });
  }
}

void t.test(
  'compose refuses to start the LRS without a bootstrap credential from the environment',
  (t) => {
    t.throws(() => resolvedEnvironment('lrs', {}), /CAIRN_BOOTSTRAP_KEY/);
    t.throws(
      () => resolvedEnvironment('lrs', { CAIRN_BOOTSTRAP_KEY: 'compose-test-key' }),
      /CAIRN_BOOTSTRAP_SECRET/,
    );
    const env = resolvedEnvironment('lrs', USER_ENV);
    t.equal(env['CAIRN_BOOTSTRAP_KEY'], USER_ENV['CAIRN_BOOTSTRAP_KEY']);
    t.equal(env['CAIRN_BOOTSTRAP_SECRET'], USER_ENV['CAIRN_BOOTSTRAP_SECRET']);
    t.end();
  },
);

// ---------------------------------------------------------------------------------------------
// Dockerfile

void t.test('the image runs the LRS by default, as the unprivileged user node', (t) => {
  t.strictSame(dockerCmd(), ['node', 'services/lrs/dist/main.js'], 'CMD');
  t.equal(runtime.filter((i) => i.keyword === 'USER').at(-1)?.args, 'node', 'USER node');
  t.match(dockerfile[0]?.from ?? '', /^(\$\{NODE_IMAGE\}|node:20)/, 'built on Node 20');
  t.match(readText('Dockerfile'), /ARG NODE_IMAGE=node:20[-.]/, 'Node 20 by default');
  t.end();
});

void t.test(
  'the runtime image installs production dependencies only and copies no sources',
  (t) => {
    const runs = runtime.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    t.ok(
      runs.some((r) => /npm ci\b.*--omit=dev/.test(r)),
      'npm ci --omit=dev',
    );
    const own = runtimeStage?.instructions ?? [];
    const sourceCopies = own.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from='));
    t.strictSame(sourceCopies, [], 'the final stage copies only from the build stage');
    t.end();
  },
);

void t.test('the image holds every workspace: its package.json and its built dist/', (t) => {
  const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args.split(/\s+/));
  const copied = (source: string): boolean =>
    copies.some((args) => args.slice(0, -1).includes(source));
  for (const workspace of workspaces) {
    t.ok(copied(`${workspace}/package.json`), `${workspace}/package.json`);
    t.ok(copied(`/app/${workspace}/dist`), `${workspace}/dist`);
  }
  const named = [
    ...readText('Dockerfile').matchAll(/\b((?:packages|services|workers)\/[a-z0-9-]+)\//g),
  ].map((m) => m[1]);
  t.strictSame(
    [...new Set(named)].filter((path) => path !== undefined && !workspaces.includes(path)),
    [],
    'the Dockerfile names no folder that is not a workspace',
  );
  t.end();
});
