export { buildApp, type ReportsDeps } from './app.js';
export { reportsConfigSpec, type ReportsConfig } from './config.js';
export { neutraliseCell } from './export/csv-cells.js';
export { negotiateFormat } from './export/formats.js';
export { directoryIndex, NO_COHORT } from './reports/directory-index.js';
export { ORGANISATION, PeopleIndex } from './reports/people-index.js';
export { skillColumns } from './reports/skill-columns.js';
export { CalibrationCache, fingerprintOf } from './reports/calibration-cache.js';
export {
  calibrate,
  columnMastery,
  columnRows,
  personRows,
  withDifficultyMastery,
} from './reports/difficulty-masteries.js';
// The report computations on their own: the reports benchmark (bench/reports.ts) times the
// store's reads apart from them.
export { collectCohortEvidence } from './reports/cohort-evidence.js';
export { heatmap, judgedCells } from './reports/heatmap.js';
export { personProfile } from './reports/person-profile.js';
export { readDirectory } from './reports/report-context.js';
