import { runAggregatorCli } from './run-cli.js';

/**
 * The composition root of the aggregator's CLI (`npm run cairn -- verify|rebuild --store S`,
 * dispatched by scripts/cairn.mjs): the process's arguments, environment and output streams; the
 * exit status is runAggregatorCli's.
 */
process.exitCode = await runAggregatorCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
