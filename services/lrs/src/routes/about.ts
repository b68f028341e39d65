import type { FastifyPluginAsync } from 'fastify';
import { aboutResource, isSupportedVersion, SUPPORTED_VERSIONS, VERSION_HEADER } from '@cairn/xapi';

export interface AboutOptions {
  readonly productVersion: string;
}

const LATEST = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1] ?? '2.0.0';

/**
 * GET /xapi/about: needs no credential and no version header (xAPI Communication, "About
 * Resource"). The response carries the version the client asked for when Cairn supports it, else
 * the latest.
 */
export const aboutRoutes: FastifyPluginAsync<AboutOptions> = async (app, options) => {
  const body = aboutResource(options.productVersion);
  app.get('/about', async (request, reply) => {
    const asked = request.headers[VERSION_HEADER.toLowerCase()];
    const version = typeof asked === 'string' && isSupportedVersion(asked) ? asked : LATEST;
    void reply.header(VERSION_HEADER, version);
    return body;
  });
};
