export { buildApp, type LrsDeps } from './app.js';
export { ALL_SCOPES, CAIRN_SCOPES, XAPI_SCOPES, type Scope } from './auth/scopes.js';
export { hashSecret, verifySecret } from './auth/secret-hash.js';
export { bootstrap, type BootstrapCredential } from './bootstrap.js';
export { lrsConfigSpec, type LrsConfig } from './config.js';
