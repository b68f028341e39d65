import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from '@cairn/config';

/** Paths pino must never print: credentials travel in the Authorization header. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'secret',
  '*.secret',
] as const;

/** Fastify logger options for a service: pino, JSON lines, credentials redacted. */
export function loggerOptions(
  service: string,
  level: LogLevel,
): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    base: { service },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
}
