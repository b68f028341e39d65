/** A column of a report: its name (a CSV header, a JSON property) and what it holds. */
export interface ReportColumn {
  readonly name: string;
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
  readonly description: string;
}

/** A cell value: flat, so that every format (JSON, CSV, NDJSON) carries the same rows. */
export type CellValue = string | number | boolean | null;

export type ReportRow = Readonly<Record<string, CellValue>>;

/**
 * What every report is: named columns and rows, plus what the report was asked and how to read
 * it (`meta`: the parameters as applied, notes such as "association, not causation"). Rows may be
 * an async iterable read from a cursor, so that an export of any size streams in constant memory.
 */
export interface ReportTable {
  /** The report's name, as in its path: `heatmap`, `person-profile`... */
  readonly report: string;
  readonly meta: Readonly<Record<string, unknown>>;
  readonly columns: readonly ReportColumn[];
  readonly rows: Iterable<ReportRow> | AsyncIterable<ReportRow>;
}

/** The JSON Schema of a row of these columns (for the OpenAPI document). */
export function rowSchema(columns: readonly ReportColumn[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: Object.fromEntries(
      columns.map((c) => [c.name, { type: [c.type, 'null'], description: c.description }]),
    ),
  };
}
