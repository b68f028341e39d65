import {
  listenProperties,
  logProperties,
  partitionsProperties,
  mongoProperties,
  redisProperties,
  requestLimitProperties,
  sharedRequired,
  type ConfigSpec,
  type RequestLimitConfig,
  type SharedConfig,
} from '@cairn/config';
import { responseVersion, SUPPORTED_VERSIONS, type XapiVersion } from '@cairn/xapi';
import { DEFAULT_MISSING_VERSION_REPLY } from './plugins/missing-version.js';
import { DEFAULT_CONSISTENCY_LAG_MS } from './routes/statements/consistent-through.js';

/** services/lrs configuration; every variable is documented in docs/configuration.md. */
export interface LrsConfig extends SharedConfig, RequestLimitConfig {
  readonly CAIRN_LRS_HOST: string;
  readonly CAIRN_LRS_PORT: number;
  readonly CAIRN_XAPI_DEFAULT_VERSION?: XapiVersion;
  readonly CAIRN_XAPI_MISSING_VERSION_REPLY: XapiVersion;
  readonly CAIRN_CORS_ORIGINS: string;
  readonly CAIRN_MAX_ATTACHMENT_PART_BYTES: number;
  readonly CAIRN_MAX_ATTACHMENTS_BYTES: number;
  readonly CAIRN_MAX_DOCUMENT_BYTES: number;
  readonly CAIRN_CONSISTENCY_LAG_MS: number;
  readonly CAIRN_BOOTSTRAP_KEY?: string;
  readonly CAIRN_BOOTSTRAP_SECRET?: string;
  readonly CAIRN_PARTITIONS: number;
  readonly CAIRN_METRICS_TOKEN?: string;
}

export const lrsConfigSpec: ConfigSpec = {
  app: 'lrs',
  secrets: ['CAIRN_BOOTSTRAP_SECRET', 'CAIRN_METRICS_TOKEN', 'MONGODB_URI', 'REDIS_URL'],
  schema: {
    type: 'object',
    properties: {
      ...listenProperties('LRS', 8080),
      ...mongoProperties,
      ...redisProperties,
      ...logProperties,
      CAIRN_XAPI_DEFAULT_VERSION: {
        type: 'string',
        enum: [...SUPPORTED_VERSIONS],
        description:
          'xAPI version assumed for requests without an X-Experience-API-Version header; unset: such requests get 400',
      },
      CAIRN_XAPI_MISSING_VERSION_REPLY: {
        type: 'string',
        // A response names the latest patch of a family (Communication 3.3.s3.b2).
        enum: [responseVersion('1.0'), responseVersion('2.0')],
        default: DEFAULT_MISSING_VERSION_REPLY,
        description:
          'X-Experience-API-Version of the 400 answering a request without that header: 2.0.0, or 1.0.3 for a 1.0.3 conformance run',
      },
      ...requestLimitProperties('lrs'),
      CAIRN_CORS_ORIGINS: {
        type: 'string',
        // `*`, or origins (scheme://host[:port]) separated by commas; main.ts checks each one.
        pattern: '^\\s*(\\*|https?://[^,\\s/]+(\\s*,\\s*https?://[^,\\s/]+)*)\\s*$',
        default: '*',
        description:
          'web origins whose pages may call the LRS (CORS), comma-separated, or * for any; each store may narrow the list (admin API, CLI)',
      },
      CAIRN_MAX_ATTACHMENT_PART_BYTES: {
        type: 'integer',
        minimum: 1024,
        // One part is stored as one document; MongoDB documents stop at 16 MiB.
        maximum: 15728640,
        default: 10485760,
        description:
          'largest attachment part of a multipart/mixed statement request, in bytes (larger: 413)',
      },
      CAIRN_MAX_ATTACHMENTS_BYTES: {
        type: 'integer',
        minimum: 1024,
        default: 52428800,
        description:
          'largest sum of the attachment parts of one statement request, in bytes (larger: 413)',
      },
      CAIRN_MAX_DOCUMENT_BYTES: {
        type: 'integer',
        minimum: 1024,
        // A document is stored as one database document; MongoDB documents stop at 16 MiB.
        maximum: 15728640,
        default: 1048576,
        description:
          'largest state, activity profile or agent profile document, in bytes (larger: 413)',
      },
      CAIRN_CONSISTENCY_LAG_MS: {
        type: 'integer',
        minimum: 0,
        maximum: 3600000,
        default: DEFAULT_CONSISTENCY_LAG_MS,
        description:
          'how far X-Experience-API-Consistent-Through lags now, in ms: longer than a statement write takes in the other lrs processes; 0 with a single lrs process',
      },
      CAIRN_BOOTSTRAP_KEY: {
        type: 'string',
        pattern: '^[A-Za-z0-9_-]{8,128}$',
        description:
          'key of a credential with every scope in the default store, created at start-up',
      },
      CAIRN_BOOTSTRAP_SECRET: {
        type: 'string',
        minLength: 16,
        maxLength: 256,
        description: 'secret of the bootstrap credential (at least 16 characters)',
      },
      ...partitionsProperties('for the pipeline metrics and failed jobs'),
      CAIRN_METRICS_TOKEN: {
        type: 'string',
        minLength: 16,
        maxLength: 256,
        pattern: '^[\\x21-\\x7e]+$',
        description: 'bearer token GET /metrics requires; unset: /metrics is open',
      },
    },
    required: [...sharedRequired],
    dependentRequired: {
      CAIRN_BOOTSTRAP_KEY: ['CAIRN_BOOTSTRAP_SECRET'],
      CAIRN_BOOTSTRAP_SECRET: ['CAIRN_BOOTSTRAP_KEY'],
    },
    additionalProperties: false,
  },
};
