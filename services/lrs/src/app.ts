import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import {
  authPlugin,
  createAuthenticator,
  rateLimitPlugin,
  type Authenticator,
  type RateLimitOptions,
} from '@cairn/auth';
import { createServiceApp, healthRoutes, type ReadinessCheck } from '@cairn/http';
import type { PipelineMonitor, StatementBatchQueue } from '@cairn/jobs';
import { isDatabaseUnavailable, type Store } from '@cairn/store';
import type { XapiVersion } from '@cairn/xapi';
import { DEFAULT_MISSING_VERSION_REPLY } from './plugins/missing-version.js';
import { xapiRoutes } from './routes/xapi.js';
import { adminRoutes } from './routes/admin/admin-routes.js';
import { metricsRoutes } from './routes/metrics.js';
import type { AttachmentLimits } from './routes/statements/attachments.js';
import { corsPlugin } from './cors/cors-plugin.js';
import { ANY_ORIGIN } from './cors/origins.js';

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
  /**
   * The installation's CORS origins (checked by the caller, see cors/origins.ts); each store may
   * narrow them. Default `['*']`: any origin.
   */
  readonly corsOrigins?: readonly string[];
  /** Per-credential request limit; absent: no limit. */
  readonly rateLimit?: RateLimitOptions;
  /** Version for xAPI requests without the header; absent: such requests get 400. */
  readonly defaultXapiVersion?: XapiVersion | null;
  /**
   * The X-Experience-API-Version of the 400 for an xAPI request that names no version (and is not
   * served with `defaultXapiVersion`); default 2.0.0 (plugins/missing-version.ts).
   */
  readonly missingXapiVersionReply?: XapiVersion;
  /** The clock for `stored`; tests inject one. */
  readonly now?: () => Date;
  /** Largest request body accepted, in bytes (default 10 MiB). */
  readonly bodyLimit?: number;
  /** CAIRN_REQUEST_TIMEOUT_MS: a request's time budget (createServiceApp); absent: its default. */
  readonly requestTimeoutMs?: number;
  /** Limits on attachment content in multipart/mixed statement requests. */
  readonly attachmentLimits?: Partial<AttachmentLimits>;
  /** Largest state or profile document accepted, in bytes (default 1 MiB). */
  readonly maxDocumentBytes?: number;
  /**
   * How far X-Experience-API-Consistent-Through lags now, for the writes of other lrs processes
   * (routes/statements/consistent-through.ts); default 1000.
   */
  readonly consistencyLagMs?: number;
  /**
   * The pipeline's queues, read for GET /metrics, GET /admin/v1/pipeline and the failed-job
   * view (createPipelineMonitor of @cairn/jobs); absent: those routes do not exist.
   */
  readonly pipelineMonitor?: PipelineMonitor;
  /** CAIRN_METRICS_TOKEN: absent, GET /metrics is open; set, it needs this bearer token. */
  readonly metricsToken?: string;
}

/**
 * Builds the LRS Fastify app: the xAPI API (/xapi), the admin API (/admin/v1), health and
 * metrics. The analysts' configuration API (/api/v1) is services/reports'. Reads no environment
 * and does not listen.
 */
export async function buildApp(deps: LrsDeps): Promise<FastifyInstance> {
  const app = createServiceApp({
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    requestTimeoutMs: deps.requestTimeoutMs,
    // One mapping of database errors for every route: 503 with Retry-After where a retry can do.
    isUnavailable: isDatabaseUnavailable,
  });

  await app.register(authPlugin, {
    authenticator:
      deps.authenticator ?? createAuthenticator({ credentials: deps.store.credentials }),
  });
  await app.register(corsPlugin, {
    origins: deps.corsOrigins ?? [ANY_ORIGIN],
    storeOrigins: async (storeId) => (await deps.store.tenants.get(storeId))?.corsOrigins ?? null,
  });
  if (deps.rateLimit !== undefined) await app.register(rateLimitPlugin, deps.rateLimit);
  await app.register(healthRoutes, { service: 'lrs', checks: deps.checks });
  await app.register(xapiRoutes, {
    prefix: '/xapi',
    store: deps.store,
    pipeline: deps.pipeline,
    productVersion: deps.productVersion,
    defaultVersion: deps.defaultXapiVersion ?? null,
    missingVersionReply: deps.missingXapiVersionReply ?? DEFAULT_MISSING_VERSION_REPLY,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
    ...(deps.attachmentLimits !== undefined ? { attachmentLimits: deps.attachmentLimits } : {}),
    ...(deps.maxDocumentBytes !== undefined ? { maxDocumentBytes: deps.maxDocumentBytes } : {}),
    ...(deps.consistencyLagMs !== undefined ? { consistencyLagMs: deps.consistencyLagMs } : {}),
  });
  await app.register(adminRoutes, {
    prefix: '/admin/v1',
    store: deps.store,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
    ...(deps.pipelineMonitor !== undefined ? { pipelineMonitor: deps.pipelineMonitor } : {}),
  });
  if (deps.pipelineMonitor !== undefined) {
    await app.register(metricsRoutes, {
      monitor: deps.pipelineMonitor,
      outbox: deps.store.outbox,
      ...(deps.metricsToken !== undefined ? { token: deps.metricsToken } : {}),
    });
  }
  return app;
}
