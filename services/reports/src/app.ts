import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import {
  authPlugin,
  createAuthenticator,
  createSessionAuthenticator,
  rateLimitPlugin,
  type Authenticator,
  type RateLimitOptions,
} from '@cairn/auth';
import { createServiceApp, healthRoutes, type ReadinessCheck } from '@cairn/http';
import type { ErasureQueue, PipelineMonitor } from '@cairn/jobs';
import { isDatabaseUnavailable, type Store } from '@cairn/store';
import { dashboardRoot } from './dashboard/dashboard-files.js';
import { dashboardRoutes, redirectToDashboard } from './dashboard/dashboard-routes.js';
import { registerOpenApi } from './plugins/openapi.js';
import { apiRoutes } from './routes/config/api-routes.js';
import { erasureRoutes } from './routes/config/erasure-routes.js';
import { peopleRoutes } from './routes/config/people-routes.js';
import { reportRoutes } from './routes/report-routes.js';
import { reportSettingsRoutes } from './routes/report-settings-routes.js';

/** Everything the reports app needs, built by main.ts (or a test) and handed in. */
export interface ReportsDeps {
  readonly store: Store;
  /** What GET /ready checks: MongoDB and Redis. */
  readonly checks: readonly ReadinessCheck[];
  readonly logger?: FastifyServerOptions['logger'];
  /**
   * Defaults to HTTP Basic against `store.credentials` with a 5 s cache: the LRS's credentials,
   * scopes and cache (@cairn/auth).
   */
  readonly authenticator?: Authenticator;
  /** Per-credential request limit, counted apart from the LRS's; absent: no limit. */
  readonly rateLimit?: RateLimitOptions;
  /** The clock of a settings change's `changedAt` and a dry run's `stored`; tests inject one. */
  readonly now?: () => Date;
  /**
   * How long person reports may reuse a store's difficulty calibration, ms (default 5 minutes;
   * docs/reports.md, "The calibration cache").
   */
  readonly calibrationTtlMs?: number;
  /** Largest request body accepted, in bytes (default 10 MiB, as the LRS: directory imports). */
  readonly bodyLimit?: number;
  /** CAIRN_REQUEST_TIMEOUT_MS: a request's time budget (createServiceApp); absent: its default. */
  readonly requestTimeoutMs?: number;
  /**
   * Where erasures of people are handed to the aggregator (createErasureQueue of @cairn/jobs);
   * absent: `DELETE /api/v1/people/:id` and `GET /api/v1/erasures/:id` do not exist.
   */
  readonly erasures?: Pick<ErasureQueue, 'enqueue'>;
  /**
   * The pipeline's queues, read for the data-health report's failed jobs and lag
   * (createPipelineMonitor of @cairn/jobs); absent: the report says the pipeline is not connected.
   */
  readonly pipelineMonitor?: PipelineMonitor;
  /** The version the OpenAPI document names. */
  readonly productVersion?: string;
  /**
   * The built dashboard's directory; default @cairn/dashboard's dist/ (null when it was never
   * built: /dashboard then says so).
   */
  readonly dashboardRoot?: string | null;
  /** How long a dashboard session lasts (default 8 hours). */
  readonly sessionTtlMs?: number;
}

/**
 * Builds the reports Fastify app: the analysts' configuration API under /api/v1 (frameworks,
 * rules, verbs, dry runs, people, directory, erasures), then the reports, then the dashboard.
 * Reads no environment and does
 * not listen.
 */
export async function buildApp(deps: ReportsDeps): Promise<FastifyInstance> {
  // The same strict route schemas, handlers and body limit as the LRS (@cairn/http).
  const app = createServiceApp({
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    requestTimeoutMs: deps.requestTimeoutMs,
    // One mapping of database errors for every route: 503 with Retry-After where a retry can do.
    isUnavailable: isDatabaseUnavailable,
  });

  // First: the OpenAPI document collects the routes registered after it.
  await registerOpenApi(app, deps.productVersion ?? '0.0.0');
  await app.register(authPlugin, {
    authenticator:
      deps.authenticator ?? createAuthenticator({ credentials: deps.store.credentials }),
  });
  // Signed-in browsers: the report routes accept their session cookie on GET as well as Basic.
  const clock = deps.now;
  app.decorate(
    'cairnSessions',
    createSessionAuthenticator({
      sessions: deps.store.dashboardSessions,
      credentials: deps.store.credentials,
      ...(deps.sessionTtlMs !== undefined ? { ttlMs: deps.sessionTtlMs } : {}),
      ...(clock !== undefined ? { now: () => clock().getTime() } : {}),
    }),
  );
  if (deps.rateLimit !== undefined) await app.register(rateLimitPlugin, deps.rateLimit);
  await app.register(healthRoutes, { service: 'reports', checks: deps.checks });
  await app.register(apiRoutes, {
    prefix: '/api/v1',
    store: deps.store,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  await app.register(peopleRoutes, { prefix: '/api/v1', store: deps.store });
  if (deps.erasures !== undefined) {
    await app.register(erasureRoutes, {
      prefix: '/api/v1',
      store: deps.store,
      erasures: deps.erasures,
      ...(deps.now !== undefined ? { now: deps.now } : {}),
    });
  }
  await app.register(reportSettingsRoutes, {
    prefix: '/api/v1',
    store: deps.store,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  await app.register(reportRoutes, {
    prefix: '/api/v1/reports',
    store: deps.store,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
    ...(deps.pipelineMonitor !== undefined ? { pipelineMonitor: deps.pipelineMonitor } : {}),
    ...(deps.calibrationTtlMs !== undefined ? { calibrationTtlMs: deps.calibrationTtlMs } : {}),
  });
  app.get('/dashboard', { schema: { hide: true } }, redirectToDashboard);
  await app.register(dashboardRoutes, {
    prefix: '/dashboard',
    root: deps.dashboardRoot === undefined ? dashboardRoot() : deps.dashboardRoot,
  });
  return app;
}
