import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from 'fastify';
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
import { collectCohortEvidence } from '../reports/cohort-evidence.js';
import { growthSeries, GROWTH_COLUMNS, type SeriesInput } from '../reports/growth-series.js';
import {
  cohortMeta,
  cohortWeek,
  heatmap,
  HEATMAP_COLUMNS,
  judgedCells,
  type JudgedCell,
} from '../reports/heatmap.js';
import type { DirectoryIndex } from '../reports/directory-index.js';
import { formalOutcomes, OUTCOME_COLUMNS } from '../reports/formal-outcomes.js';
import { FLOW_COLUMNS, knowledgeEdges, knowledgeFlows } from '../reports/knowledge-sharing.js';
import { ORGANISATION } from '../reports/people-index.js';
import {
  platformActivity,
  sourcesOverTime,
  SOURCES_COLUMNS,
  withAndWithoutSocial,
} from '../reports/social-formal.js';
import { pseudonymiser } from '../reports/pseudonyms.js';
import { personProfile, PROFILE_COLUMNS } from '../reports/person-profile.js';
import {
  COHORT_QUERY,
  COMMON_QUERY,
  cohortScope,
  reportScope,
  type CohortScope,
  type RawQuery,
} from '../reports/report-params.js';
import { CalibrationCache } from '../reports/calibration-cache.js';
import { columnMastery, columnRows } from '../reports/difficulty-masteries.js';
import { personInputs, populationInputs } from '../reports/model-reads.js';
import { modelMeta } from '../reports/report-model.js';
import { skillColumns } from '../reports/skill-columns.js';
import { topGrowing, TOP_GROWING_COLUMNS } from '../reports/top-growing.js';

export interface ReportRoutesOptions {
  readonly store: Store;
  readonly pipelineMonitor?: PipelineMonitor;
  /** The clock of the default `asOf`; tests inject one. */
  readonly now?: () => Date;
  /**
   * How long a person's report may reuse a store's difficulty calibration (default 5 minutes);
   * cohort reports refit whenever the roll-up they read differs (calibration-cache.ts).
   */
  readonly calibrationTtlMs?: number;
}

const CALIBRATION_TTL_MS = 5 * 60_000;

const PSEUDONYMISE = {
  type: 'string',
  enum: ['true', 'false'],
  description:
    "true: person ids (and statement ids) are replaced by keyed hashes under the store's pseudonymisation key",
} as const;

const querySchema = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
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
  /**
   * A report that is about cohorts unless the query names a person level: `reports:cohort`, or
   * `reports:person` when `isPersonLevel` says so (neither scope implies the other).
   */
  const guardBy = (isPersonLevel: (query: RawQuery) => boolean): preHandlerAsyncHookHandler =>
    async function levelGuard(request, reply) {
      const guard = isPersonLevel(request.query as RawQuery) ? personGuard : cohortGuard;
      await guard.call(this, request, reply);
    };
  const calibrations = new CalibrationCache(options.calibrationTtlMs ?? CALIBRATION_TTL_MS);

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

  const settingsOf = (storeId: string) => store.reportSettingsOf(storeId).get();

  const columnsOf = async (
    storeId: string,
    scope: { framework?: string | undefined; skill?: string | undefined },
  ) => {
    const version = await store.skillSettingsOf(storeId).current();
    const { frameworks } = version.settings;
    return {
      columns: skillColumns(frameworks, scope),
      all: skillColumns(frameworks, {}),
      generation: version.generation,
      verbs: version.settings.verbs,
    };
  };

  /** The cells of a cohort report, judged by disclosure control. */
  /** What every cohort report starts from: the caller's store, its query and scope, its k. */
  const cohortRequest = async (request: FastifyRequest) => {
    const { storeId } = principalOf(request);
    const query = request.query as RawQuery;
    const scope = cohortScope(query, today());
    const settings = await settingsOf(storeId);
    return { storeId, query, scope, settings, k: settings.minCohort };
  };

  /** The directory, with the cohort attribute checked against it. */
  const directoryFor = async (storeId: string, scope: CohortScope): Promise<DirectoryIndex> => {
    const directory = await readDirectory(store, storeId);
    if (scope.cohort !== ORGANISATION && !directory.attributes.includes(scope.cohort))
      throw new ReportErrors.invalid(
        `cohort ${scope.cohort} is not a directory attribute of this store; it has: ${directory.attributes.join(', ')}`,
      );
    return directory;
  };

  const cohortCells = async (
    storeId: string,
    scope: CohortScope,
    k: number,
  ): Promise<JudgedCell[]> => {
    const { columns, all, generation, verbs } = await columnsOf(storeId, scope);
    const directory = await directoryFor(storeId, scope);
    const evidence = await collectCohortEvidence({
      // Broader skills' buckets too: disclosure control compares a cell with its broader skills.
      buckets: store.skillDaysOf(storeId).ofSkills(all.skills, { to: scope.asOf }),
      directory,
      columns,
      attribute: scope.cohort,
      membership: scope.membership,
      asOf: scope.asOf,
      source: scope.source,
    });
    if (scope.model === 'beta')
      return judgedCells({ scope, columns, allColumns: all, evidence, k });
    const inputs = await populationInputs(store, calibrations, {
      storeId,
      asOf: scope.asOf,
      generation,
      verbs,
      source: scope.source,
      directory,
    });
    const difficulty = { inputs, directory };
    return judgedCells({ scope, columns, allColumns: all, evidence, k, difficulty });
  };

  app.get(
    '/heatmap',
    {
      onRequest: cohortGuard,
      schema: {
        summary: 'Skill heatmap: cohorts x skills',
        description:
          'Per cohort and skill: people with evidence and with sufficient evidence, mean mastery with its 80% interval, pooled mastery, share proficient, share growing, evidence volume by source. Small cohorts are withheld.',
        tags: ['reports'],
        querystring: querySchema(COHORT_QUERY),
        response: reportResponse(
          { report: 'heatmap', columns: HEATMAP_COLUMNS },
          {
            attribute: 'team',
            cohort: 'Data Platform',
            skill: 'https://skills.example/sql',
            skillName: 'SQL',
            withheld: null,
            people: 8,
            sufficient: 6,
            meanMastery: 0.71,
            meanLow80: 0.66,
            meanHigh80: 0.76,
            pooledMastery: 0.7,
            shareProficient: 0.5,
            shareGrowing: 0.33,
            formalStatements: 41,
            socialStatements: 120,
            formalEvents: 41,
            socialEvents: 310,
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId, scope, k } = await cohortRequest(request);
      const cells = await cohortCells(storeId, scope, k);
      const table = heatmap({ cells, scope, k });
      return send(request, reply, table, `cairn-heatmap-${scope.asOf}`);
    },
  );

  app.get(
    '/top-growing',
    {
      onRequest: cohortGuard,
      schema: {
        summary: 'Top growing: cohort x skill cells ranked by growth, with the test behind it',
        tags: ['reports'],
        querystring: querySchema({
          ...COHORT_QUERY,
          limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$', description: 'Rows, default 20' },
        }),
        response: reportResponse(
          { report: 'top-growing', columns: TOP_GROWING_COLUMNS },
          {
            rank: 1,
            attribute: 'team',
            cohort: 'Data Platform',
            skill: 'https://skills.example/sql',
            skillName: 'SQL',
            delta: 0.12,
            z: 2.3,
            growing: true,
            threshold: 1.64,
            nMin: 3,
            recentMean: 0.74,
            priorMean: 0.62,
            recentEvidence: 14.2,
            priorEvidence: 11.8,
            periodDays: 90,
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId, query, scope, k } = await cohortRequest(request);
      const cells = await cohortCells(storeId, scope, k);
      const table = topGrowing(cells, scope, k, Number(query['limit'] ?? '20'));
      return send(request, reply, table, `cairn-top-growing-${scope.asOf}`);
    },
  );

  app.get(
    '/growth',
    {
      onRequest: guardBy((q) => q['person'] !== undefined),
      schema: {
        summary: 'Growth over time: weekly mastery and practice volume per skill',
        description:
          'For a cohort (cohortValue, of the attribute `cohort`; default the organisation) or, with reports:person, for a person (person).',
        tags: ['reports'],
        querystring: querySchema({
          ...COHORT_QUERY,
          cohortValue: { type: 'string', description: 'The cohort; default the organisation' },
          person: { type: 'string', pattern: PERSON_ID_PATTERN.source, description: 'A person id' },
          weeks: { type: 'string', pattern: '^[1-9][0-9]?$', description: 'Weeks, default 12' },
          pseudonymise: PSEUDONYMISE,
        }),
        response: reportResponse(
          { report: 'growth', columns: GROWTH_COLUMNS },
          {
            skill: 'https://skills.example/sql',
            skillName: 'SQL',
            week: 0,
            weekEnd: '2026-12-07',
            mastery: 0.7,
            evidence: 12.5,
            sufficient: true,
            statements: 14,
            events: 30,
            formalStatements: 4,
            socialStatements: 10,
            outcomeRate: 0.8,
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId, query, scope, settings, k } = await cohortRequest(request);
      const weeks = Number(query['weeks'] ?? '12');
      const options = { asOf: scope.asOf, weeks, periodDays: scope.periodDays };
      const person = query['person'];
      let series: SeriesInput[];
      let meta: Record<string, unknown>;
      if (person !== undefined) {
        const { columns, generation, verbs } = await columnsOf(storeId, scope);
        const days = await store.peopleOf(storeId).personSkillDays(person, { to: scope.asOf });
        if (days === null) throw new ReportErrors.notFound(`no person ${person}`);
        const difficulty =
          scope.model === 'beta'
            ? undefined
            : await personInputs(store, calibrations, {
                storeId,
                asOf: scope.asOf,
                generation,
                verbs,
                source: scope.source,
                person,
                identifiers: (await store.peopleOf(storeId).get(person))?.identifiers ?? [],
                directory: () => readDirectory(store, storeId),
              });
        series = columns.columns.map((c) => ({
          skill: c.skill,
          skillName: c.name,
          buckets: days
            .filter(
              (d) =>
                c.covers.has(d.skill) && (scope.source === undefined || d.source === scope.source),
            )
            .map((d) => ({
              key: {
                store: '',
                subject: person,
                skill: c.skill,
                day: d.day,
                source: d.source,
                kind: d.kind,
              },
              sums: d.totals,
            })),
          ...(difficulty === undefined
            ? {}
            : {
                mastery: (weekEnd: string) => {
                  const rows = columnRows(difficulty.rows, c, difficulty.calibration);
                  const m = columnMastery(difficulty.calibration, rows, weekEnd);
                  return m === null ? null : { mastery: m.mastery, sufficient: m.level !== null };
                },
              }),
        }));
        const alias = pseudonymiser(settings.pseudonymKey, query['pseudonymise'] === 'true');
        meta = {
          person: alias(person),
          asOf: scope.asOf,
          source: scope.source ?? null,
          ...modelMeta(scope.model),
        };
      } else {
        const value = query['cohortValue'];
        const attribute = value === undefined ? ORGANISATION : scope.cohort;
        const cohort = value ?? ORGANISATION;
        const judged = await cohortCells(storeId, scope, k);
        const cells = judged.filter(
          (c) => c.cell.attribute === attribute && c.cell.cohort === cohort,
        );
        const difficulty = judged.find((c) => c.difficulty !== undefined)?.difficulty;
        series = cells.flatMap((c) =>
          c.mastery === null
            ? []
            : [
                {
                  skill: c.cell.column.skill,
                  skillName: c.cell.column.name,
                  buckets: [...c.cell.people.values()].flatMap((b) => [...b.values()]),
                  ...(difficulty === undefined
                    ? {}
                    : { mastery: cohortWeek(difficulty, scope, c.cell) }),
                },
              ],
        );
        meta = {
          ...cohortMeta(scope, k),
          cohortValue: cohort,
          withheldSkills: cells.filter((c) => c.mastery === null).map((c) => c.cell.column.skill),
        };
      }
      return send(
        request,
        reply,
        growthSeries(series, options, meta),
        `cairn-growth-${scope.asOf}`,
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/people/:id/profile',
    {
      onRequest: personGuard,
      schema: {
        summary: "Person skill profile: one person's mastery, evidence, growth and trend per skill",
        tags: ['reports'],
        params: personParams,
        querystring: querySchema({
          ...COMMON_QUERY,
          period: COHORT_QUERY.period,
          pseudonymise: PSEUDONYMISE,
        }),
        response: reportResponse(
          { report: 'person-profile', columns: PROFILE_COLUMNS },
          {
            skill: 'https://skills.example/sql',
            skillName: 'SQL',
            mastery: 0.72,
            low80: 0.58,
            high80: 0.85,
            evidence: 9.4,
            sufficient: true,
            lastEvidenceDay: '2026-12-01',
            delta: 0.08,
            z: 0.9,
            growing: false,
            slope: 0.01,
            trend: '0.610 0.640 0.700 0.720',
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId } = principalOf(request);
      const query = request.query as RawQuery;
      const scope = {
        ...reportScope(query, today()),
        periodDays: query['period'] === '28' ? 28 : 90,
      };
      const { columns, generation, verbs } = await columnsOf(storeId, scope);
      const person = request.params.id;
      const days = await store.peopleOf(storeId).personSkillDays(person, { to: scope.asOf });
      if (days === null) throw new ReportErrors.notFound(`no person ${person}`);
      const difficulty =
        scope.model === 'beta'
          ? undefined
          : await personInputs(store, calibrations, {
              storeId,
              asOf: scope.asOf,
              generation,
              verbs,
              source: scope.source,
              person,
              identifiers: (await store.peopleOf(storeId).get(person))?.identifiers ?? [],
              directory: () => readDirectory(store, storeId),
            });
      const { pseudonymKey } = await settingsOf(storeId);
      const alias = pseudonymiser(pseudonymKey, query['pseudonymise'] === 'true');
      const table = personProfile(alias(person), days, columns, scope, difficulty);
      return send(request, reply, table, `cairn-person-profile-${scope.asOf}`);
    },
  );

  app.get(
    '/social-formal',
    {
      onRequest: cohortGuard,
      schema: {
        summary: 'Social and formal learning: associations, never causes',
        description:
          'view=sources (default): evidence by source per week, per cohort and skill; view=with-without: mastery and growth of the people with and without social evidence; view=platforms: practice volume by platform and verb concept.',
        tags: ['reports'],
        querystring: querySchema({
          ...COHORT_QUERY,
          view: { type: 'string', enum: ['sources', 'with-without', 'platforms'] },
        }),
        response: reportResponse(
          { report: 'social-formal', columns: SOURCES_COLUMNS },
          {
            attribute: 'team',
            cohort: 'Data Platform',
            skill: 'https://skills.example/sql',
            week: -1,
            weekEnd: '2026-11-30',
            formalStatements: 6,
            socialStatements: 22,
            socialShare: 0.79,
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId, query, scope, k } = await cohortRequest(request);
      const view = query['view'] ?? 'sources';
      let table: ReportTable;
      if (view === 'platforms') {
        const { columns, all } = await columnsOf(storeId, scope);
        const directory = await directoryFor(storeId, scope);
        const days = await store
          .platformDaysOf(storeId)
          .query({ skills: [...all.skills], to: scope.asOf });
        table = platformActivity({ days, directory, columns, allColumns: all, scope, k });
      } else {
        const cells = await cohortCells(storeId, scope, k);
        table =
          view === 'with-without'
            ? withAndWithoutSocial(cells, scope, k)
            : sourcesOverTime(cells, scope, k);
      }
      return send(request, reply, table, `cairn-social-formal-${view}-${scope.asOf}`);
    },
  );

  app.get(
    '/knowledge-sharing',
    {
      onRequest: guardBy((q) => q['level'] === 'person'),
      schema: {
        summary: 'Knowledge sharing: who helps whom per skill',
        description:
          "level=cohort (default): cohort-to-cohort flows, withheld below k helpers or k helped; level=person (reports:person): person-to-person edges with each helper's reach.",
        tags: ['reports'],
        querystring: querySchema({
          ...COHORT_QUERY,
          level: { type: 'string', enum: ['cohort', 'person'] },
          pseudonymise: PSEUDONYMISE,
        }),
        response: reportResponse(
          { report: 'knowledge-sharing', columns: FLOW_COLUMNS },
          {
            helperCohort: 'Data Platform',
            helpedCohort: 'Analytics',
            skill: 'https://skills.example/sql',
            withheld: null,
            helpers: 6,
            helped: 9,
            statements: 41,
            events: 41,
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId, query, scope, settings } = await cohortRequest(request);
      const { columns, all } = await columnsOf(storeId, scope);
      const directory = await directoryFor(storeId, scope);
      const shares = await store
        .knowledgeSharingOf(storeId)
        .query({ skills: [...all.skills], to: scope.asOf });
      let table: ReportTable;
      if (query['level'] === 'person') {
        const alias = pseudonymiser(settings.pseudonymKey, query['pseudonymise'] === 'true');
        table = knowledgeEdges({ shares, directory, columns, scope, alias });
      } else {
        table = knowledgeFlows({ shares, directory, columns, scope, k: settings.minCohort });
      }
      return send(request, reply, table, `cairn-knowledge-sharing-${scope.asOf}`);
    },
  );

  app.get(
    '/formal-outcomes',
    {
      onRequest: cohortGuard,
      schema: {
        summary: 'Formal outcomes: pass rates and score distributions by activity',
        tags: ['reports'],
        querystring: querySchema({
          ...COHORT_QUERY,
          cohortValue: { type: 'string', description: 'One cohort; default the organisation' },
        }),
        response: reportResponse(
          { report: 'formal-outcomes', columns: OUTCOME_COLUMNS },
          {
            activityId: 'https://lms.example/courses/sql-101/final',
            skill: 'https://skills.example/sql',
            cohort: 'organisation',
            withheld: null,
            people: 31,
            outcomes: 40,
            passed: 29,
            failed: 11,
            passRate: 0.725,
            meanScore: 0.74,
          },
        ),
      },
    },
    async (request, reply) => {
      const { storeId, query, scope, k } = await cohortRequest(request);
      const { columns, all } = await columnsOf(storeId, scope);
      const directory = await directoryFor(storeId, scope);
      const outcomes = await store
        .activityOutcomesOf(storeId)
        .query({ skills: [...all.skills], to: scope.asOf });
      const table = formalOutcomes({
        outcomes,
        directory,
        columns,
        scope,
        cohortValue: query['cohortValue'],
        k,
      });
      return send(request, reply, table, `cairn-formal-outcomes-${scope.asOf}`);
    },
  );

  app.get(
    '/data-health',
    {
      onRequest: cohortGuard,
      schema: {
        summary: 'Data health: what keeps the reports from being complete',
        tags: ['reports'],
        querystring: querySchema({ format: COMMON_QUERY.format, pseudonymise: PSEUDONYMISE }),
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
      const { pseudonymKey } = await settingsOf(principal.storeId);
      const query = request.query as RawQuery;
      const table = await dataHealth({
        alias: pseudonymiser(pseudonymKey, query['pseudonymise'] === 'true'),
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
            pseudonymise: PSEUDONYMISE,
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
      const { pseudonymKey } = await settingsOf(storeId);
      const table = await drillDown(store, {
        alias: pseudonymiser(pseudonymKey, query['pseudonymise'] === 'true'),
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
