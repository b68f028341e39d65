export { buildApp, type ReportsDeps } from './app.js';
export { reportsConfigSpec, type ReportsConfig } from './config.js';
export { neutraliseCell } from './export/csv-cells.js';
export { negotiateFormat } from './export/formats.js';
export { directoryIndex, NO_COHORT } from './reports/directory-index.js';
export { ORGANISATION, PeopleIndex } from './reports/people-index.js';
export { skillColumns } from './reports/skill-columns.js';
