import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { PipelineMonitor } from '@cairn/jobs';
import type { OutboxRepository } from '@cairn/store';
import { PipelineErrors } from '../admin/pipeline-errors.js';
import { pipelineSnapshot } from '../pipeline/pipeline-snapshot.js';
import { createPipelineExposition } from '../pipeline/prometheus.js';

export interface MetricsRoutesOptions {
  readonly monitor: Pick<PipelineMonitor, 'metrics'>;
  readonly outbox: Pick<OutboxRepository, 'summary'>;
  /** CAIRN_METRICS_TOKEN: absent, /metrics is open; set, it needs `Authorization: Bearer`. */
  readonly token?: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Whether the request carries the bearer token, compared in constant time. */
function carriesToken(request: FastifyRequest, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * GET /metrics: the pipeline's figures in the Prometheus text format, read at scrape time. Open
 * by default, as scrapers usually are configured; with a token, a bearer credential that is not
 * an xAPI credential, so that a scraper's configuration holds no LRS key.
 */
export const metricsRoutes: FastifyPluginAsync<MetricsRoutesOptions> = async (app, options) => {
  const exposition = createPipelineExposition();
  const { token } = options;
  app.get('/metrics', async (request, reply) => {
    if (token !== undefined && !carriesToken(request, token)) {
      void reply.header('WWW-Authenticate', 'Bearer realm="Cairn metrics"');
      throw new PipelineErrors.metricsUnauthorized();
    }
    const text = await exposition.render(pipelineSnapshot(options.monitor, options.outbox));
    return reply.header('content-type', exposition.contentType).send(text);
  });
};
