import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireScope, type Principal } from '@cairn/auth';
import type { FoundJob, PipelineMonitor } from '@cairn/jobs';
import { DEFAULT_STORE_ID, type OutboxRepository } from '@cairn/store';
import { AdminErrors } from '../../admin/admin-errors.js';
import { PipelineErrors } from '../../admin/pipeline-errors.js';
import { pipelineSnapshot } from '../../pipeline/pipeline-snapshot.js';

export interface PipelineRoutesOptions {
  readonly monitor: Pick<PipelineMonitor, 'metrics' | 'failed'>;
  readonly outbox: Pick<OutboxRepository, 'summary' | 'reset' | 'giveUp'>;
  readonly now?: () => Date;
}

interface JobParams {
  readonly jobId: string;
}

interface FailedQuery {
  readonly limit?: string;
  readonly offset?: string;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

// Query values are strings (no coercion, app.ts); their ranges are checked below, by name.
const failedQuerySchema = {
  type: 'object',
  properties: { limit: { type: 'string' }, offset: { type: 'string' } },
  additionalProperties: false,
} as const;

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}

/**
 * The stores whose jobs the caller sees: every store for an admin credential of the default
 * store (admin-routes.ts administersAll), else its own store only (null means every store).
 */
function visibleStore(request: FastifyRequest): string | null {
  const { storeId } = principalOf(request);
  return storeId === DEFAULT_STORE_ID ? null : storeId;
}

function integerParam(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
  dflt: number,
): number {
  if (raw === undefined) return dflt;
  const value = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new AdminErrors.invalid(name, `must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return value;
}

/**
 * The pipeline in the admin API (docs/pipeline.md, Metrics and failed jobs): its figures as JSON
 * for an installation admin, and the failed jobs, each store's admin seeing its own store's.
 * Registered inside adminRoutes, so the `/admin/v1` prefix and its body parsing apply.
 */
export const pipelineRoutes: FastifyPluginAsync<PipelineRoutesOptions> = async (app, options) => {
  const onRequest = requireScope('admin');
  const now = options.now ?? (() => new Date());
  const { monitor, outbox } = options;

  /** The failed job `jobId` the caller may manage, or a 404 / 409 naming it. */
  const failedJob = async (request: FastifyRequest<{ Params: JobParams }>): Promise<FoundJob> => {
    const { jobId } = request.params;
    const found = await monitor.failed.find(jobId, visibleStore(request));
    if (found === null) throw new PipelineErrors.jobNotFound(jobId);
    if (found.state !== 'failed') throw new PipelineErrors.jobNotFailed(jobId, found.state);
    return found;
  };

  app.get('/pipeline', { onRequest }, async (request) => {
    // Queue figures are the installation's, not one store's.
    if (visibleStore(request) !== null)
      throw new AdminErrors.forbidden('read the pipeline metrics');
    return pipelineSnapshot(monitor, outbox, now());
  });

  app.get<{ Querystring: FailedQuery }>(
    '/pipeline/failed',
    { onRequest, schema: { querystring: failedQuerySchema } },
    async (request) =>
      monitor.failed.list({
        storeId: visibleStore(request),
        limit: integerParam('limit', request.query.limit, 1, MAX_LIMIT, DEFAULT_LIMIT),
        offset: integerParam('offset', request.query.offset, 0, 1_000_000, 0),
      }),
  );

  app.post<{ Params: JobParams }>(
    '/pipeline/failed/:jobId/retry',
    { onRequest },
    async (request) => {
      const found = await failedJob(request);
      // The outbox first: were the job to complete before its statements left `failed`, the
      // batch-done step (which clears pending statements only) would leave them failed.
      const { batch } = found;
      const reset =
        batch === null ? 0 : await outbox.reset(batch.storeId, batch.statementIds, now());
      await found.retry();
      return { job: { ...found.view, state: 'waiting' }, statementsReset: reset };
    },
  );

  app.delete<{ Params: JobParams }>(
    '/pipeline/failed/:jobId',
    { onRequest },
    async (request, reply) => {
      const found = await failedJob(request);
      // Give the batch's statements up first (for a partition job, its whole batch: its own
      // payload may be a void's target, already done), so that neither the sweeper nor the
      // batch-done step that runs once the job is gone counts them as aggregated.
      const given = found.batch ?? found.payload;
      if (given !== null) await outbox.giveUp(given.storeId, given.statementIds, now());
      await found.discard();
      return reply.status(204).send();
    },
  );
};
