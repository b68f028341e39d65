import {
  listenProperties,
  logProperties,
  mongoProperties,
  redisProperties,
  sharedRequired,
  type ConfigSpec,
  type SharedConfig,
} from '@cairn/config';

/** services/reports configuration; every variable is documented in docs/configuration.md. */
export interface ReportsConfig extends SharedConfig {
  readonly CAIRN_REPORTS_HOST: string;
  readonly CAIRN_REPORTS_PORT: number;
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
    },
    required: [...sharedRequired],
    additionalProperties: false,
  },
};
