export { ConfigError } from './config-error.js';
export { loadConfig, redactConfig, type ConfigSpec, type Env } from './load-config.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  listenProperties,
  logProperties,
  mongoProperties,
  partitionsProperties,
  redisProperties,
  requestLimitProperties,
  sharedRequired,
  type LogLevel,
  type RequestLimitConfig,
  type SharedConfig,
} from './fragments.js';
export { databaseCliConfigSpec, type DatabaseCliConfig } from './database-cli-config.js';
