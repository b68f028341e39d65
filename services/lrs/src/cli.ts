import { runCli } from './cli/run-cli.js';

/**
 * The composition root of the CLI (`npm run cairn -- <command>`, docs/admin.md): the process's
 * arguments, environment and output streams; the exit status is runCli's.
 */
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
