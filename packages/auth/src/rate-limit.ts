import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { AuthErrors } from './errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by the `cairn-rate-limit` plugin; {@link requireScope} calls it once authenticated. */
    readonly cairnRateLimit: preHandlerAsyncHookHandler;
  }
}

export interface RateLimitOptions {
  /** Requests a credential may make per minute, on every process together. */
  readonly perMinute: number;
  /**
   * Shared counters, so that N processes do not each allow the limit. A producer connection
   * (fails fast); when Redis fails, requests pass rather than fail (the limit is a guard, not
   * the service).
   */
  readonly redis: Redis;
  /**
   * Whose allowance this is: each service counts its own (so that an analyst's reports do not
   * use up the xAPI allowance of the same credential, nor the other way round). Absent: the
   * LRS's counters (Redis keys `cairn-rate-limit:<key>`); set: `cairn-rate-limit:<service>:<key>`.
   */
  readonly service?: string;
}

const WINDOW_MS = 60_000;

const rateLimitPluginAsync: FastifyPluginAsync<RateLimitOptions> = async (app, options) => {
  await app.register(rateLimit, {
    global: false,
    redis: options.redis,
    nameSpace:
      options.service === undefined ? 'cairn-rate-limit:' : `cairn-rate-limit:${options.service}:`,
    skipOnError: true,
  });
  app.decorate(
    'cairnRateLimit',
    app.rateLimit({
      max: options.perMinute,
      timeWindow: WINDOW_MS,
      // Counted per credential, after authentication: a wrong secret cannot use up another
      // credential's allowance.
      keyGenerator: (request) => request.principal?.key ?? request.ip,
      errorResponseBuilder: (_request, context) =>
        new AuthErrors.rateLimited(Number(context.max), context.after),
    }),
  );
};

/**
 * Per-credential rate limits backed by Redis, answering 429 with Retry-After. Registered once
 * before the routes when a limit is configured; the check itself runs inside requireScope.
 */
export const rateLimitPlugin = fp(rateLimitPluginAsync, {
  name: 'cairn-rate-limit',
  fastify: '5.x',
  dependencies: ['cairn-auth'],
});
