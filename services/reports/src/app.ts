import { fastify, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { errorHandler, healthRoutes, notFoundHandler, type ReadinessCheck } from '@cairn/http';
import type { Store } from '@cairn/store';

/** Everything the reports app needs, built by main.ts (or a test) and handed in. */
export interface ReportsDeps {
  readonly store: Store;
  /** What GET /ready checks: MongoDB and Redis. */
  readonly checks: readonly ReadinessCheck[];
  readonly logger?: FastifyServerOptions['logger'];
}

/** Builds the reports Fastify app. Reads no environment and does not listen. */
export async function buildApp(deps: ReportsDeps): Promise<FastifyInstance> {
  const app = fastify({ logger: deps.logger ?? false });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  await app.register(healthRoutes, { service: 'reports', checks: deps.checks });
  return app;
}
