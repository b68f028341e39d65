import type { SchemaObject } from 'ajv';

/**
 * Schema properties that several apps share, so that one variable means one thing everywhere.
 * Each app spreads the ones it uses into its own schema.
 */
export const mongoProperties = {
  MONGODB_URI: {
    type: 'string',
    pattern: '^mongodb(\\+srv)?://',
    description: 'MongoDB connection string (mongodb:// or mongodb+srv://)',
  },
  CAIRN_MONGODB_DATABASE: {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]{1,63}$',
    default: 'cairn',
    description: 'database name',
  },
} as const satisfies Record<string, SchemaObject>;

export const redisProperties = {
  REDIS_URL: {
    type: 'string',
    pattern: '^rediss?://',
    description: 'Redis connection URL (redis:// or rediss://)',
  },
  CAIRN_QUEUE_PREFIX: {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    default: 'cairn',
    description: 'prefix of every BullMQ key in Redis',
  },
} as const satisfies Record<string, SchemaObject>;

export const logProperties = {
  CAIRN_LOG_LEVEL: {
    type: 'string',
    enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    description: 'log level',
  },
} as const satisfies Record<string, SchemaObject>;

/** Properties for an HTTP listener whose variables are CAIRN_<NAME>_HOST and CAIRN_<NAME>_PORT. */
export function listenProperties(name: string, defaultPort: number): Record<string, SchemaObject> {
  return {
    [`CAIRN_${name}_HOST`]: {
      type: 'string',
      minLength: 1,
      default: '127.0.0.1',
      description: 'address to listen on',
    },
    [`CAIRN_${name}_PORT`]: {
      type: 'integer',
      minimum: 0,
      maximum: 65535,
      default: defaultPort,
      description: 'port to listen on (0 picks a free one)',
    },
  };
}

/** Default of CAIRN_MAX_BODY_BYTES, and of each HTTP app's `bodyLimit`: 10 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The request limits of an HTTP service (CAIRN_MAX_BODY_BYTES, CAIRN_RATE_LIMIT_PER_MINUTE);
 * `service` names its processes, whose rate-limit counters are shared with each other only.
 */
export function requestLimitProperties(service: string): Record<string, SchemaObject> {
  return {
    CAIRN_MAX_BODY_BYTES: {
      type: 'integer',
      minimum: 1024,
      default: DEFAULT_MAX_BODY_BYTES,
      description: 'largest request body accepted, in bytes (larger: 413)',
    },
    CAIRN_RATE_LIMIT_PER_MINUTE: {
      type: 'integer',
      minimum: 0,
      default: 60000,
      description: `requests a credential may make per minute, counted in Redis across every ${service} process (more: 429 with Retry-After); 0 turns the limit off`,
    },
    CAIRN_REQUEST_TIMEOUT_MS: {
      type: 'integer',
      minimum: 0,
      maximum: 600000,
      default: 15000,
      description:
        "a request's time budget in ms: a database round trip fails after it, and a request not answered within it gets 503 with Retry-After; 0: no budget",
    },
  };
}

/** The fields of {@link requestLimitProperties}, typed. */
export interface RequestLimitConfig {
  readonly CAIRN_MAX_BODY_BYTES: number;
  readonly CAIRN_RATE_LIMIT_PER_MINUTE: number;
  readonly CAIRN_REQUEST_TIMEOUT_MS: number;
}

/** The shared fields, typed, as every app's config object has them. */
export interface SharedConfig {
  readonly MONGODB_URI: string;
  readonly CAIRN_MONGODB_DATABASE: string;
  readonly REDIS_URL: string;
  readonly CAIRN_QUEUE_PREFIX: string;
  readonly CAIRN_LOG_LEVEL: LogLevel;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Names of the shared variables that every app requires. */
/**
 * CAIRN_PARTITIONS: the number of statement queue partitions, the same on every process that
 * reads it; `use` says what this process reads it for.
 */
export function partitionsProperties(use: string): Record<string, SchemaObject> {
  return {
    CAIRN_PARTITIONS: {
      type: 'integer',
      minimum: 1,
      maximum: 1024,
      default: 8,
      description: `number of statement queue partitions, ${use}; the same value on every process`,
    },
  };
}

export const sharedRequired = ['MONGODB_URI', 'REDIS_URL'] as const;
