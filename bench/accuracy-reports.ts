// npm run accuracy:reports [-- --people 500 --days 180 --seed 2 --out <file>]
//
// Scores the reports API against the simulator's truth on the real stack: the local
// MongoDB-compatible server and Redis (lib/local-stack.ts), the LRS as main.ts composes it
// (lib/servers.ts), the aggregator's workers and the reports service in this process. A simulated
// organisation, mess on, is posted through the LRS, aggregated by the pipeline, and then only
// what the reports answer is scored (lib/report-accuracy.ts, the same scoring as
// test/integration/reports/accuracy.test.ts): rank correlation of the profiles' mastery with
// latent mastery per model, precision and recall of "growing" per period, and whether every
// cohort figure is its members' figures.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createProcessors, startWorkers } from '@cairn/aggregator';
import { DEFAULT_MASTERY_MODEL } from '@cairn/analytics';
import { createBatchRouter, createRedis } from '@cairn/jobs';
import { buildApp as buildReportsApp } from '@cairn/reports';
import {
  buildDirectory,
  buildWorld,
  sendStatements,
  simulationOptions,
  statementLines,
  Tally,
} from '@cairn/simulate';
import { DEFAULT_STORE_ID } from '@cairn/store';
import { startLocalStack } from './lib/local-stack.js';
import { accuracyLines, mapPeople, scoreReports } from './lib/report-accuracy.js';
import { startLrs } from './lib/servers.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '500' },
    days: { type: 'string', default: '180' },
    seed: { type: 'string', default: '2' },
    out: { type: 'string' },
  },
});
const people = Number(values.people);
const days = Number(values.days);
const seed = Number(values.seed);
const PARTITIONS = 4;

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const seconds = (since: number): number => (performance.now() - since) / 1000;

async function main(): Promise<void> {
  const started = performance.now();
  const services = await startLocalStack(log);
  const id = randomBytes(4).toString('hex');
  const database = `cairn_accuracy_${id}`;
  const queuePrefix = `cairn-accuracy-${id}`;
  const lrs = await startLrs({
    mongoUri: services.mongoUri,
    redisUrl: services.redisUrl,
    database,
    queuePrefix,
  });
  const connection = createRedis(services.redisUrl, 'producer');
  const router = createBatchRouter({ connection, prefix: queuePrefix });
  const workers = await startWorkers({
    redisUrl: services.redisUrl,
    prefix: queuePrefix,
    partitions: Array.from({ length: PARTITIONS }, (_, p) => p),
    processors: createProcessors({ store: lrs.store, router, partitions: PARTITIONS }),
    intakeConcurrency: 1,
  });
  await workers.ready();
  try {
    const world = buildWorld(simulationOptions({ people, days, seed }));
    const lines = [...statementLines(world, new Tally())];
    const asOf = new Date(Date.parse(`${world.options.start}T00:00:00Z`) + (days - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const reports = await buildReportsApp({
      store: lrs.store,
      checks: [],
      now: () => new Date(`${asOf}T12:00:00Z`),
    });
    const inject = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await reports.inject({
        method,
        url,
        headers: { authorization: lrs.authorization },
        ...(payload === undefined ? {} : { payload }),
      });
      if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
      return res;
    };
    await inject('POST', '/api/v1/frameworks/import?rules=replace', world.framework);
    const directory = buildDirectory(world.organisation, world.options);
    await inject('POST', '/api/v1/directory', directory);

    const posting = performance.now();
    const [key, secret] = Buffer.from(lrs.authorization.slice('Basic '.length), 'base64')
      .toString()
      .split(':') as [string, string];
    const sent = await sendStatements(lines, {
      url: `${lrs.origin}/xapi`,
      key,
      secret,
      batch: 200,
      concurrency: 2,
      rate: 0,
      maxRetries: 6,
      backoffMs: 100,
    });
    const postSeconds = seconds(posting);
    log(`posted ${lines.length} statements in ${postSeconds.toFixed(0)} s: ${JSON.stringify(sent.statements)}`); // prettier-ignore
    const statements = lrs.mongo.db(database).collection('statements');
    for (;;) {
      const pending = await statements.countDocuments({ 'pipeline.state': 'pending' });
      if (pending === 0) break;
      log(`  ${pending} statements still pending (${seconds(posting).toFixed(0)} s)`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
    const drainSeconds = seconds(posting);

    const scoring = performance.now();
    const map = await mapPeople(lrs.store, DEFAULT_STORE_ID, directory);
    const scores = await scoreReports({
      get: async <T>(url: string) => (await inject('GET', url)).json<T>(),
      world,
      directory,
      people: map,
      asOf,
    });
    const scoreSeconds = seconds(scoring);
    await reports.close();

    const out = [
      `# The reports against the simulator's truth (${new Date().toISOString().slice(0, 10)})`,
      '',
      `\`npm run accuracy:reports -- --people ${people} --days ${days} --seed ${seed}\`: ${people} people, ${days} days, the simulator's default mess, posted through the LRS (${lines.length} statement lines; ${sent.statements.accepted} accepted, ${sent.statements.rejected} rejected as invalid), aggregated by the pipeline (${PARTITIONS} partitions) on the local server, and scored as of ${asOf} on the reports API's answers only. Default model: ${DEFAULT_MASTERY_MODEL}.`,
      '',
      ...accuracyLines(scores),
      '',
      `Directory people not matched to exactly one Cairn person: ${map.unmatched}.`,
      '',
      `Time: posting ${postSeconds.toFixed(0)} s, posting and draining the pipeline ${drainSeconds.toFixed(0)} s, scoring (${scores.people} people x 3 profiles (each model at 90 days, the growth test at 28 days) and 2 heatmaps; the first difficulty request fits the calibration) ${scoreSeconds.toFixed(0)} s, total ${seconds(started).toFixed(0)} s, on the shared 2-core machine.`,
      '',
      "How to read it. Pairs are person x skill pairs of the truth that have a profile row; sufficient ones have decayed evidence >= 3 (both models share that sum). Rank correlation (Spearman) and mean absolute error are over the sufficient pairs, against the simulator's latent mastery on the last day. \"Growing\" is the profiles' growth test (the Beta disjoint-window test for both models, docs/reports.md) against the truth's `growing` over all pairs with a row. The cohort check compares every shown heatmap cell (team, membership=current) with the mean of its members' profile masteries over those with sufficient evidence.",
      ...scores.cohorts.flatMap((c) => c.mismatches.slice(0, 10).map((m) => `- ${c.model}: ${m}`)),
      '',
    ];
    const file =
      values.out ?? `bench/results/${new Date().toISOString().slice(0, 10)}-accuracy-reports.md`;
    await writeFile(file, out.join('\n'));
    process.stdout.write(`${out.join('\n')}\nwritten to ${file}\n`);
  } finally {
    await workers.close();
    await router.close();
    connection.disconnect();
    await lrs.mongo.db(database).dropDatabase();
    await lrs.close();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
