import {
  logProperties,
  partitionsProperties,
  mongoProperties,
  redisProperties,
  sharedRequired,
  type ConfigSpec,
  type SharedConfig,
} from '@cairn/config';

/** workers/aggregator configuration; every variable is documented in docs/configuration.md. */
export interface AggregatorConfig extends SharedConfig {
  readonly CAIRN_PARTITIONS: number;
  readonly CAIRN_AGGREGATOR_PARTITIONS?: string;
  readonly CAIRN_INTAKE_CONCURRENCY: number;
  readonly CAIRN_STALLED_INTERVAL_MS: number;
  readonly CAIRN_SWEEP_INTERVAL_MS: number;
  readonly CAIRN_SWEEP_AFTER_MS: number;
  readonly CAIRN_SWEEP_MAX_ATTEMPTS: number;
}

export const aggregatorConfigSpec: ConfigSpec = {
  app: 'aggregator',
  secrets: ['MONGODB_URI', 'REDIS_URL'],
  schema: {
    type: 'object',
    properties: {
      ...mongoProperties,
      ...redisProperties,
      ...logProperties,
      ...partitionsProperties('by which the aggregator partitions evidence'),
      CAIRN_AGGREGATOR_PARTITIONS: {
        type: 'string',
        pattern: '^(all|[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*)$',
        description:
          'partitions this worker process consumes: "all" (default) or a list such as "0-3,6"',
      },
      CAIRN_INTAKE_CONCURRENCY: {
        type: 'integer',
        minimum: 1,
        maximum: 64,
        default: 4,
        description: 'intake jobs running at once across all aggregator processes',
      },
      CAIRN_STALLED_INTERVAL_MS: {
        type: 'integer',
        minimum: 1_000,
        maximum: 600_000,
        default: 30_000,
        description: 'milliseconds before the job of a dead aggregator process is run again',
      },
      CAIRN_SWEEP_INTERVAL_MS: {
        type: 'integer',
        minimum: 100,
        maximum: 3_600_000,
        default: 30_000,
        description: 'milliseconds between two sweeps of the statements outbox',
      },
      CAIRN_SWEEP_AFTER_MS: {
        type: 'integer',
        minimum: 1_000,
        maximum: 86_400_000,
        default: 60_000,
        description: 'milliseconds a statement may stay pending before the sweeper re-drives it',
      },
      CAIRN_SWEEP_MAX_ATTEMPTS: {
        type: 'integer',
        minimum: 1,
        maximum: 1000,
        default: 5,
        description:
          'times the sweeper re-drives a statement before it gives up (pipeline state failed)',
      },
    },
    required: [...sharedRequired],
    additionalProperties: false,
  },
};
