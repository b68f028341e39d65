import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * The OpenAPI 3.1 document, generated from the route schemas (so it cannot drift from what the
 * routes check), at `/api/v1/openapi.json`, and Swagger UI at `/api/v1/docs`, served from the npm
 * package (no CDN). Register before the routes: @fastify/swagger collects routes as they are added.
 */
export async function registerOpenApi(app: FastifyInstance, productVersion: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cairn reports API',
        version: productVersion,
        description:
          "Skill-growth reports, exports and analyst configuration of a Cairn store (docs/reports.md). HTTP Basic with a Cairn credential; the store is the credential's.",
      },
      components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' } } },
      security: [{ basic: [] }],
      tags: [
        { name: 'reports', description: 'Reports: JSON, CSV or NDJSON' },
        { name: 'settings', description: 'Report settings of the store' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs' });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
