import { fastify, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { errorHandler, healthRoutes, notFoundHandler, type ReadinessCheck } from '@cairn/http';
import type { Store } from '@cairn/store';
import { aboutRoutes } from './routes/about.js';
import { authPlugin } from './auth/auth-plugin.js';
import { createAuthenticator, type Authenticator } from './auth/authenticate.js';

/** Everything the LRS app needs, built by main.ts (or a test) and handed in. */
export interface LrsDeps {
  readonly store: Store;
  /** What GET /ready checks: MongoDB and Redis. */
  readonly checks: readonly ReadinessCheck[];
  readonly productVersion: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** Defaults to HTTP Basic against `store.credentials` with a 5 s cache. */
  readonly authenticator?: Authenticator;
}

/** Builds the LRS Fastify app. Reads no environment and does not listen. */
export async function buildApp(deps: LrsDeps): Promise<FastifyInstance> {
  const app = fastify({ logger: deps.logger ?? false });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  await app.register(authPlugin, {
    authenticator:
      deps.authenticator ?? createAuthenticator({ credentials: deps.store.credentials }),
  });
  await app.register(healthRoutes, { service: 'lrs', checks: deps.checks });
  await app.register(aboutRoutes, { prefix: '/xapi', productVersion: deps.productVersion });
  return app;
}
