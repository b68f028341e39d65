export { buildApp, type ReportsDeps } from './app.js';
export { reportsConfigSpec, type ReportsConfig } from './config.js';
