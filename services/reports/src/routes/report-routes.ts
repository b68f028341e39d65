import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hasScope, requireScope, type Principal } from '@cairn/auth';
import type { PipelineMonitor } from '@cairn/jobs';
import { PERSON_ID_PATTERN, type Store } from '@cairn/store';
import { negotiateFormat } from '../export/formats.js';
import { rowSchema, type ReportTable } from '../export/report-table.js';
import { sendTable } from '../export/send-table.js';
import { dataHealth, DATA_HEALTH_COLUMNS } from '../reports/data-health.js';
import { decodePosition, drillDown, DRILL_DOWN_COLUMNS } from '../reports/drill-down.js';
import { readDirectory } from '../reports/report-context.js';
import { ReportErrors } from '../reports/report-errors.js';
import { COMMON_QUERY, reportScope, type RawQuery } from '../reports/report-params.js';
import { skillColumns } from '../reports/skill-columns.js';

export interface ReportRoutesOptions {
  readonly store: Store;
  readonly pipelineMonitor?: PipelineMonitor;
  /** The clock of the default `asOf`; tests inject one. */
  readonly now?: () => Date;
}

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}

/** Person-level reports need `reports:person` (admin implies it); cohort ones `reports:cohort`. */
function requirePersonLevel(request: FastifyRequest, what: string): void {
  const principal = principalOf(request);
  if (!hasScope(principal, 'reports:person')) {
    const held = principal.scopes.length > 0 ? principal.scopes.join(', ') : '(none)';
    throw new ReportErrors.forbidden(what, held);
  }
}

/** The response schema of a report in JSON, with its example (the OpenAPI document shows both). */
function reportResponse(
  table: Pick<ReportTable, 'report' | 'columns'>,
  example: Record<string, unknown>,
): Record<string, unknown> {
  return {
    200: {
      description: `The ${table.report} report: as JSON (below), CSV (text/csv) or NDJSON (application/x-ndjson), by format= or Accept.`,
      type: 'object',
      properties: {
        report: { type: 'string', const: table.report },
        meta: { type: 'object', additionalProperties: true },
        columns: { type: 'array', items: { type: 'object', additionalProperties: true } },
        rows: { type: 'array', items: rowSchema(table.columns) },
      },
      examples: [{ report: table.report, meta: {}, columns: table.columns, rows: [example] }],
    },
  };
}

const personParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: PERSON_ID_PATTERN.source } },
  required: ['id'],
} as const;

/**
 * The analysts' reports (docs/reports.md) of the credential's store, each as JSON, CSV or NDJSON.
 * Cohort reports need `reports:cohort`; anything about a named person needs `reports:person`.
 */
export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (app, options) => {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const today = (): string => now().toISOString().slice(0, 10);
  const cohortGuard = requireScope('reports:cohort');
  const personGuard = requireScope('reports:person');

  const send = (
    request: FastifyRequest,
    reply: FastifyReply,
    table: ReportTable,
    stem: string,
  ): FastifyReply => {
    const query = request.query as RawQuery;
    const format = negotiateFormat(query['format'], request.headers.accept);
    return sendTable(reply, table, format, stem);
  };

  app.get(
    '/data-health',
    {
      onRequest: cohortGuard,
      schema: {
        summary: 'Data health: what keeps the reports from being complete',
        tags: ['reports'],
        querystring: {
          type: 'object',
          properties: { format: COMMON_QUERY.format },
          additionalProperties: false,
        },
        response: reportResponse(
          { report: 'data-health', columns: DATA_HEALTH_COLUMNS },
          {
            check: 'unmapped verbs',
            count: 12,
            example: 'https://example.com/verbs/pinged (12 statements, e.g. 5f1c...)',
            fix: 'map each verb to a concept: PUT /api/v1/verbs (docs/skills-and-rules.md)',
          },
        ),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const table = await dataHealth({
        store,
        storeId: principal.storeId,
        directory: await readDirectory(store, principal.storeId),
        pipeline: options.pipelineMonitor,
        personLevel: hasScope(principal, 'reports:person'),
      });
      return send(request, reply, table, `cairn-data-health-${today()}`);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/people/:id/evidence',
    {
      onRequest: personGuard,
      schema: {
        summary: 'Evidence drill-down: the statements behind one person x skill figure, paged',
        tags: ['reports'],
        params: personParams,
        querystring: {
          type: 'object',
          properties: {
            skill: COMMON_QUERY.skill,
            framework: COMMON_QUERY.framework,
            asOf: COMMON_QUERY.asOf,
            format: COMMON_QUERY.format,
            after: { type: 'string', description: 'The `next` token of the previous page.' },
            limit: {
              type: 'string',
              pattern: '^[1-9][0-9]{0,3}$',
              description:
                'Rows per page, 1..1000; default 100 for JSON. CSV and NDJSON without it stream every row.',
            },
          },
          required: ['skill'],
          additionalProperties: false,
        },
        response: reportResponse(
          { report: 'evidence', columns: DRILL_DOWN_COLUMNS },
          {
            day: '2026-11-30',
            statementId: '0b0e6f8e-4b7e-4d0c-9a2e-2f1f0c1d2e3f',
            skill: 'https://skills.example/sql',
            role: 'actor',
            source: 'formal',
            kind: 'outcome',
            concept: 'passed',
            verb: 'http://adlnet.gov/expapi/verbs/passed',
            platform: 'LMS',
            activityId: 'https://lms.example/courses/sql-101/quiz',
            outcome: 0.85,
            weight: 1,
            events: 1,
            state: 'counted',
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId } = principalOf(request);
      const query = request.query as RawQuery;
      const scope = reportScope(query, today());
      const settings = await store.skillSettingsOf(storeId).current();
      const [column] = skillColumns(settings.settings.frameworks, scope).columns;
      if (column === undefined) throw new ReportErrors.notFound(`no skill ${scope.skill ?? ''}`);
      const format = negotiateFormat(query['format'], request.headers.accept);
      const limitText = query['limit'];
      const limit =
        limitText !== undefined ? Number(limitText) : format === 'json' ? 100 : undefined;
      if (limit !== undefined && limit > 1000)
        throw new ReportErrors.invalid('limit must be at most 1000');
      const after = query['after'];
      const table = await drillDown(store, {
        storeId,
        person: request.params.id,
        column,
        to: scope.asOf,
        after: after === undefined ? undefined : decodePosition(after),
        limit,
      });
      return sendTable(reply, table, format, `cairn-evidence-${scope.asOf}`);
    },
  );
};
