import { fastify, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { errorHandler, healthRoutes, notFoundHandler, type ReadinessCheck } from '@cairn/http';
import type { StatementBatchQueue } from '@cairn/jobs';
import type { Store } from '@cairn/store';
import type { XapiVersion } from '@cairn/xapi';
import { xapiRoutes } from './routes/xapi.js';
import type { AttachmentLimits } from './routes/statements/attachments.js';
import { authPlugin } from './auth/auth-plugin.js';
import { createAuthenticator, type Authenticator } from './auth/authenticate.js';
import { rateLimitPlugin, type RateLimitOptions } from './auth/rate-limit.js';

/** Everything the LRS app needs, built by main.ts (or a test) and handed in. */
export interface LrsDeps {
  readonly store: Store;
  /** Where each stored batch is announced to the pipeline (one job per batch). */
  readonly pipeline: Pick<StatementBatchQueue, 'enqueue'>;
  /** What GET /ready checks: MongoDB and Redis. */
  readonly checks: readonly ReadinessCheck[];
  readonly productVersion: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** Defaults to HTTP Basic against `store.credentials` with a 5 s cache. */
  readonly authenticator?: Authenticator;
  /** Per-credential request limit; absent: no limit. */
  readonly rateLimit?: RateLimitOptions;
  /** Version for xAPI requests without the header; absent: such requests get 400. */
  readonly defaultXapiVersion?: XapiVersion | null;
  /** The clock for `stored`; tests inject one. */
  readonly now?: () => Date;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimit?: number;
  /** Limits on attachment content in multipart/mixed statement requests. */
  readonly attachmentLimits?: Partial<AttachmentLimits>;
  /** Largest state or profile document accepted, in bytes (default 1 MiB). */
  readonly maxDocumentBytes?: number;
}

/** Builds the LRS Fastify app. Reads no environment and does not listen. */
export async function buildApp(deps: LrsDeps): Promise<FastifyInstance> {
  const app = fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 10 * 1024 * 1024,
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  await app.register(authPlugin, {
    authenticator:
      deps.authenticator ?? createAuthenticator({ credentials: deps.store.credentials }),
  });
  if (deps.rateLimit !== undefined) await app.register(rateLimitPlugin, deps.rateLimit);
  await app.register(healthRoutes, { service: 'lrs', checks: deps.checks });
  await app.register(xapiRoutes, {
    prefix: '/xapi',
    store: deps.store,
    pipeline: deps.pipeline,
    productVersion: deps.productVersion,
    defaultVersion: deps.defaultXapiVersion ?? null,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
    ...(deps.attachmentLimits !== undefined ? { attachmentLimits: deps.attachmentLimits } : {}),
    ...(deps.maxDocumentBytes !== undefined ? { maxDocumentBytes: deps.maxDocumentBytes } : {}),
  });
  return app;
}
