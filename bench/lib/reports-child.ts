import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs the reports benchmark (bench/reports.ts) in a process of its own, with `args`: it starts
 * its own local server (the H2 file backend, as `npm start`), and its peak RSS, which the export
 * steps report, is then its own and not the rest of the harness's. Resolves with its exit code.
 */
export function runReportsBench(args: readonly string[]): Promise<number> {
  const entry = fileURLToPath(new URL('../reports.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}
