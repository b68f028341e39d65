// A store with the simulator's organisation in it, aggregated by the real pipeline, and both
// services on it: the LRS (statements in) and the reports service (reports out). Shared by the
// reports tests; every test file builds its own, on its own database.
import type { FastifyInstance } from 'fastify';
import { buildApp as buildReportsApp } from '@cairn/reports';
import {
  buildDirectory,
  sendStatements,
  type Directory,
  type SimulationOptions,
} from '@cairn/simulate';
import type { Scope } from '@cairn/auth';
import { run, type Run } from '../../unit/simulate/generate-run.js';
import { startTestAggregator } from '../../helpers/aggregator.js';
import { buildTestApp, realChecks, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';

export const STORE = 'default';
/** Reports are as of the simulation's last day. */
export const AS_OF = '2025-03-02';

export interface ReportStack extends TestApp {
  readonly reports: FastifyInstance;
  readonly simulation: Run;
  readonly directory: Directory;
  /** The simulation's last day: what reports are as of. */
  readonly asOf: string;
  /** An Authorization header of a new credential with these scopes. */
  auth(scopes: readonly Scope[]): Promise<string>;
  /** GET on the reports service; throws on a status >= 300 unless `status` says otherwise. */
  get(url: string, auth: string, headers?: Record<string, string>): Promise<ReportResponse>;
}

export interface ReportResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

/** The last day of a simulation of `days` days from `start`. */
export const lastDayOf = (start: string, days: number): string =>
  new Date(Date.parse(`${start}T00:00:00Z`) + (days - 1) * 86_400_000).toISOString().slice(0, 10);

/**
 * 40 people over 8 weeks from 2025-01-06 (seed 5), without mess, unless `simulation` says
 * otherwise: the framework and directory are configured first, then every statement is posted
 * and the pipeline drained. `firstTeamName` gives the first person's first team a name of the
 * test's choosing (a formula, say).
 */
export async function reportStack(
  t: Teardown,
  options: {
    firstTeamName?: string;
    simulation?: Partial<SimulationOptions>;
    /** How long the pipeline may take to drain (default 2 minutes). */
    drainMs?: number;
  } = {},
): Promise<ReportStack> {
  const simulation = run({
    people: 40,
    days: 56,
    seed: 5,
    start: '2025-01-06',
    mess: new Set(),
    ...options.simulation,
  });
  const asOf = lastDayOf(simulation.world.options.start, simulation.world.options.days);
  const r = await buildTestApp(t);
  const reports = await buildReportsApp({
    store: r.store,
    checks: realChecks(r),
    now: () => new Date(`${asOf}T12:00:00Z`),
  });
  t.teardown(() => reports.close());
  await startTestAggregator(t, r);
  const admin = await basicAuth(r.store, STORE, ['admin']);
  const call = async (method: 'POST' | 'PUT', url: string, payload: object): Promise<void> => {
    const res = await reports.inject({ method, url, headers: { authorization: admin }, payload });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  };
  await call('POST', '/api/v1/frameworks/import?rules=replace', simulation.world.framework);
  const built = buildDirectory(simulation.world.organisation, simulation.world.options);
  const firstTeam = built.people[0]?.memberships[0]?.team;
  const rename = (team: string): string =>
    team === firstTeam && options.firstTeamName !== undefined ? options.firstTeamName : team;
  const directory: Directory = {
    ...built,
    people: built.people.map((p) => ({
      ...p,
      memberships: p.memberships.map((m) => ({ ...m, team: rename(m.team) })),
    })),
  };
  await call('POST', '/api/v1/directory', directory);

  const writer = await basicAuth(r.store, STORE, ['statements/write']);
  const [key, secret] = Buffer.from(writer.slice('Basic '.length), 'base64')
    .toString()
    .split(':') as [string, string];
  const base = await r.app.listen({ host: '127.0.0.1', port: 0 });
  const sent = await sendStatements(simulation.lines, {
    url: `${base}/xapi`,
    key,
    secret,
    batch: 200,
    concurrency: 2,
    rate: 0,
    maxRetries: 6,
    backoffMs: 100,
  });
  // Invalid statements are part of the mess: the LRS must reject them, and only them.
  const invalidSent = simulation.world.options.mess.has('invalid');
  if (sent.statements.failed > 0 || (sent.statements.rejected > 0 && !invalidSent))
    throw new Error(`statements failed: ${JSON.stringify(sent)}`);
  const statements = r.mongo.db.collection('statements');
  await pollUntil(
    'the pipeline to drain',
    async () =>
      (await statements.countDocuments({ 'pipeline.state': 'pending' })) === 0 ? true : undefined,
    options.drainMs ?? 120_000,
  );
  return {
    ...r,
    reports,
    simulation,
    directory,
    asOf,
    auth: (scopes) => basicAuth(r.store, STORE, scopes),
    async get(url, auth, headers = {}) {
      const res = await reports.inject({
        method: 'GET',
        url,
        headers: { authorization: auth, ...headers },
      });
      return {
        statusCode: res.statusCode,
        headers: res.headers,
        body: res.body,
        json: <T>() => res.json<T>(),
      };
    },
  };
}
