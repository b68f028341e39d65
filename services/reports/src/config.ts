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

/** services/reports configuration; every variable is documented in docs/configuration.md. */
export interface ReportsConfig extends SharedConfig, RequestLimitConfig {
  readonly CAIRN_REPORTS_HOST: string;
  readonly CAIRN_REPORTS_PORT: number;
  readonly CAIRN_PARTITIONS: number;
}

export const reportsConfigSpec: ConfigSpec = {
  app: 'reports',
  secrets: ['MONGODB_URI', 'REDIS_URL'],
  schema: {
    type: 'object',
    properties: {
      ...listenProperties('REPORTS', 8081),
      ...mongoProperties,
      ...redisProperties,
      ...logProperties,
      ...requestLimitProperties('reports'),
      ...partitionsProperties("for the data-health report's failed jobs and lag"),
    },
    required: [...sharedRequired],
    additionalProperties: false,
  },
};
