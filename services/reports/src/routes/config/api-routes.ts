import type { FastifyPluginAsync } from 'fastify';
import { acceptEmptyDeleteBody } from '@cairn/http';
import type { Store } from '@cairn/store';
import { dryRunRoutes } from './dry-run-routes.js';
import { frameworkRoutes } from './framework-routes.js';
import { ruleRoutes } from './rule-routes.js';
import { verbRoutes } from './verb-routes.js';

export interface ApiRoutesOptions {
  readonly store: Store;
  /** The clock of `changedAt` and of a dry run's `stored`; tests inject one. */
  readonly now?: () => Date;
}

/**
 * The skills API (docs/skills-and-rules.md) of the credential's store: frameworks, alignment
 * rules, the verb table, unknown verbs and the dry run. Reading needs `admin`,
 * `reports:cohort`, `all/read` or `all`; writing needs `admin`.
 */
export const apiRoutes: FastifyPluginAsync<ApiRoutesOptions> = async (app, options) => {
  const deps = { store: options.store, now: options.now ?? (() => new Date()) };

  acceptEmptyDeleteBody(app);

  await app.register(frameworkRoutes, deps);
  await app.register(ruleRoutes, deps);
  await app.register(verbRoutes, deps);
  await app.register(dryRunRoutes, deps);
};
