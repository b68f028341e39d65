import type { FastifyPluginAsync } from 'fastify';
import { aboutResource } from '@cairn/xapi';

export interface AboutOptions {
  readonly productVersion: string;
}

/**
 * GET /xapi/about: needs no credential and no version header (xAPI Communication, "About
 * Resource"); the response names the latest patch of the version asked for when Cairn serves
 * it, else the latest.
 */
export const aboutRoutes: FastifyPluginAsync<AboutOptions> = async (app, options) => {
  const body = aboutResource(options.productVersion);
  app.get('/about', { config: { xapiVersionOptional: true } }, async () => body);
};
