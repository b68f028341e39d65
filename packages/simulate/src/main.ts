#!/usr/bin/env node
// The simulator's command line (scripts/simulate.mjs runs it after building).
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  errIsTty: process.stderr.isTTY,
  now: () => performance.now(),
});
process.exitCode = code;
