import type { ConfigSpec } from './load-config.js';
import { mongoProperties } from './fragments.js';

/**
 * What the command-line tools read from the environment (`npm run cairn`, the LRS's and the
 * aggregator's): only the database, so that they run before any other service is configured.
 */
export interface DatabaseCliConfig {
  readonly MONGODB_URI: string;
  readonly CAIRN_MONGODB_DATABASE: string;
}

export const databaseCliConfigSpec: ConfigSpec = {
  app: 'cairn',
  secrets: ['MONGODB_URI'],
  schema: {
    type: 'object',
    properties: { ...mongoProperties },
    required: ['MONGODB_URI'],
    additionalProperties: false,
  },
};
