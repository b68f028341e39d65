import { fastify, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DEFAULT_MAX_BODY_BYTES } from '@cairn/config';
import {
  createErrorHandler,
  notFoundHandler,
  sendUnavailable,
  type UnavailablePredicate,
} from './error-handler.js';

/** A request's time budget when the service names none (CAIRN_REQUEST_TIMEOUT_MS). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface ServiceAppOptions {
  /** pino options (loggerOptions); absent: no logging. */
  readonly logger?: FastifyServerOptions['logger'] | undefined;
  /** Largest request body accepted, in bytes; absent: CAIRN_MAX_BODY_BYTES' default (10 MiB). */
  readonly bodyLimit?: number | undefined;
  /**
   * Which errors say a retry can succeed (the store's `isDatabaseUnavailable`): answered 503 with
   * Retry-After by the one error handler. Absent: only errors with status 503.
   */
  readonly isUnavailable?: UnavailablePredicate | undefined;
  /**
   * A request's time budget in ms (CAIRN_REQUEST_TIMEOUT_MS): a request not answered within it
   * gets 503 with Retry-After instead of hanging, and a client that takes longer to send its
   * request is cut off. Absent: {@link DEFAULT_REQUEST_TIMEOUT_MS}; 0: no budget.
   */
  readonly requestTimeoutMs?: number | undefined;
}

/**
 * The Fastify instance every Cairn HTTP service starts from, before any plugin or route: Cairn's
 * error and not-found handlers, and route schemas checked as written. An unknown property or a
 * value of the wrong type is a 400, where Fastify's default Ajv would remove or convert it; a
 * query-string schema must therefore declare its values as strings. (xAPI bodies never go through
 * route schemas: the LRS validates them with its own strict Ajv, no coercion, defaults or
 * removal.)
 */
export function createServiceApp(options: ServiceAppOptions): FastifyInstance {
  const budgetMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_MAX_BODY_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    // Node's limit on receiving a request; the hook below bounds answering it.
    requestTimeout: budgetMs,
    // Draining is answered by the hook below, with Cairn's body and Retry-After.
    return503OnClosing: false,
  });
  app.setErrorHandler(createErrorHandler(options.isUnavailable));
  app.setNotFoundHandler(notFoundHandler);

  // SIGTERM drain: once close() has begun, requests still arriving (on a keep-alive connection,
  // pipelined) are turned away as every "retry later" is, while those in flight finish.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!draining) return;
    void reply.header('Connection', 'close');
    sendUnavailable(reply, 'the service is shutting down');
    return reply;
  });

  if (budgetMs > 0) {
    // The budget of each request: one that has not been answered in time gets 503 (the write it
    // carried may still finish; a retry of it is deduplicated by statement id or Idempotency-Key).
    const timers = new WeakMap<object, NodeJS.Timeout>();
    app.addHook('onRequest', async (request, reply) => {
      const timer = setTimeout(() => {
        if (reply.sent) return;
        request.log.warn({ budgetMs }, 'request over its time budget');
        sendUnavailable(reply, `the request took longer than its budget of ${budgetMs} ms`);
      }, budgetMs);
      timer.unref();
      timers.set(request, timer);
    });
    app.addHook('onResponse', async (request) => {
      clearTimeout(timers.get(request));
    });
  }
  return app;
}
