import { ReportErrors } from '../reports/report-errors.js';

/** The formats every report is served in. */
export const FORMATS = ['json', 'csv', 'ndjson'] as const;
export type ReportFormat = (typeof FORMATS)[number];

export const MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = {
  json: 'application/json',
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

const BY_MEDIA_TYPE = new Map<string, ReportFormat>([
  ['application/json', 'json'],
  ['text/csv', 'csv'],
  ['application/x-ndjson', 'ndjson'],
  ['application/ndjson', 'ndjson'],
  ['application/*', 'json'],
  ['text/*', 'csv'],
  ['*/*', 'json'],
]);

/**
 * The format of a response: `format=` when given (it wins: a link in a browser cannot set
 * Accept), else the first acceptable media type of `Accept` by quality, else JSON. An Accept
 * header that names only other types is a 406 that says which are served.
 */
export function negotiateFormat(
  format: string | undefined,
  accept: string | undefined,
): ReportFormat {
  if (format !== undefined) {
    if ((FORMATS as readonly string[]).includes(format)) return format as ReportFormat;
    throw new ReportErrors.invalid(`format must be one of ${FORMATS.join(', ')}`);
  }
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { type, quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const r of ranges) {
    const found = BY_MEDIA_TYPE.get(r.type);
    if (found !== undefined) return found;
  }
  throw new ReportErrors.notAcceptable(accept);
}
