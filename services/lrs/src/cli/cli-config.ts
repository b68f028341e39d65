import { mongoProperties, type ConfigSpec } from '@cairn/config';

/** What the CLI reads from the environment: only the database (docs/admin.md). */
export interface CliConfig {
  readonly MONGODB_URI: string;
  readonly CAIRN_MONGODB_DATABASE: string;
}

export const cliConfigSpec: ConfigSpec = {
  app: 'cairn',
  secrets: ['MONGODB_URI'],
  schema: {
    type: 'object',
    properties: { ...mongoProperties },
    required: ['MONGODB_URI'],
    additionalProperties: false,
  },
};
