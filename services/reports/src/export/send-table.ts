import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { neutraliseCell } from './csv-cells.js';
import { MEDIA_TYPES, type ReportFormat } from './formats.js';
import type { ReportRow, ReportTable } from './report-table.js';

async function* iterate(
  rows: Iterable<ReportRow> | AsyncIterable<ReportRow>,
): AsyncGenerator<ReportRow> {
  yield* rows;
}

/** `{"report":..., "meta":..., "columns":[...], "rows":[` then the rows, one at a time, then `]}`. */
async function* jsonChunks(table: ReportTable): AsyncGenerator<string> {
  const head = JSON.stringify({ report: table.report, meta: table.meta, columns: table.columns });
  yield `${head.slice(0, -1)},"rows":[`;
  let first = true;
  for await (const row of iterate(table.rows)) {
    yield (first ? '' : ',') + JSON.stringify(row);
    first = false;
  }
  yield ']}';
}

async function* ndjsonChunks(table: ReportTable): AsyncGenerator<string> {
  for await (const row of iterate(table.rows)) yield `${JSON.stringify(row)}\n`;
}

function csvStream(table: ReportTable): NodeJS.ReadableStream {
  const csv = stringify({
    header: true,
    columns: table.columns.map((c) => c.name),
    cast: {
      string: neutraliseCell,
      boolean: (value) => (value ? 'true' : 'false'),
    },
  });
  return Readable.from(iterate(table.rows)).pipe(csv);
}

/**
 * Sends a report in `format`, streamed: rows are pulled from the table as the client reads, so
 * memory stays constant whatever the number of rows. Every format carries Content-Disposition with
 * a file name that says what the report is and as of when (`attachment` for CSV and NDJSON, which
 * browsers should save; `inline` for JSON).
 */
export function sendTable(
  reply: FastifyReply,
  table: ReportTable,
  format: ReportFormat,
  fileStem: string,
): FastifyReply {
  const disposition = format === 'json' ? 'inline' : 'attachment';
  void reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : MEDIA_TYPES[format])
    .header('content-disposition', `${disposition}; filename="${fileStem}.${format}"`)
    .header('cache-control', 'no-store');
  switch (format) {
    case 'json':
      return reply.send(Readable.from(jsonChunks(table)));
    case 'ndjson':
      return reply.send(Readable.from(ndjsonChunks(table)));
    case 'csv':
      return reply.send(csvStream(table));
  }
}
