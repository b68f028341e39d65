/**
 * Raised when configuration does not validate. `problems` names every bad key, one line each,
 * with secret values masked, so that start-up can print them all at once and exit.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_ERR_INVALID';
  readonly statusCode = 500;
  readonly problems: readonly string[];

  constructor(app: string, problems: readonly string[]) {
    super(`invalid configuration for ${app}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
