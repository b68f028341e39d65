export { ConfigError } from './config-error.js';
export { loadConfig, redactConfig, type ConfigSpec, type Env } from './load-config.js';
export {
  listenProperties,
  logProperties,
  mongoProperties,
  redisProperties,
  sharedRequired,
  type LogLevel,
  type SharedConfig,
} from './fragments.js';
export { databaseCliConfigSpec, type DatabaseCliConfig } from './database-cli-config.js';
