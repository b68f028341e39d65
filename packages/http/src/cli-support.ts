/**
 * What Cairn's command-line tools share (`npm run cairn`: the LRS's and the aggregator's), so
 * that both exit and report errors alike.
 */

/** Exit statuses: done; refused or failed (unknown store, database unreachable...); bad command line. */
export const CLI_EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A malformed command line: exit status 2, with the usage text for people. */
export class CliUsageError extends Error {
  readonly code = 'CLI_ERR_USAGE';
}

/** An error as the tools print it: its catalogue code and message, or CLI_ERR_UNEXPECTED. */
export function describeCliError(error: unknown): { code: string; message: string } {
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
    const { code } = error as Error & { code: string };
    return { code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'CLI_ERR_UNEXPECTED', message: `unexpected failure: ${message}` };
}

export interface CliFailureOptions {
  /** `--json` was given: the error goes out as `{ "code", "message" }` for scripts. */
  readonly json: boolean;
  /** Printed after a usage error, for people. */
  readonly usage: string;
}

/**
 * Reports `error` on stderr, one line for people (`cairn: message`, then the usage text after a
 * usage error) or JSON for scripts, and returns `status`.
 */
export function reportCliFailure(
  stderr: (text: string) => void,
  error: unknown,
  status: number,
  options: CliFailureOptions,
): number {
  const problem = describeCliError(error);
  if (options.json) stderr(`${JSON.stringify(problem)}\n`);
  else stderr(`cairn: ${problem.message}\n`);
  if (status === CLI_EXIT.usage && !options.json) stderr(`\n${options.usage}`);
  return status;
}
