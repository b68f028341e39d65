import { fastify, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DEFAULT_MAX_BODY_BYTES } from '@cairn/config';
import { errorHandler, notFoundHandler } from './error-handler.js';

export interface ServiceAppOptions {
  /** pino options (loggerOptions); absent: no logging. */
  readonly logger?: FastifyServerOptions['logger'] | undefined;
  /** Largest request body accepted, in bytes; absent: CAIRN_MAX_BODY_BYTES' default (10 MiB). */
  readonly bodyLimit?: number | undefined;
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
  const app = fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_MAX_BODY_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  return app;
}
