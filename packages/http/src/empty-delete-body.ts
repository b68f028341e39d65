import type { FastifyInstance } from 'fastify';

/**
 * Scripts often send `Content-Type: application/json` on every request, a DELETE's empty body
 * included; Fastify would refuse that body (FST_ERR_CTP_EMPTY_JSON_BODY). In the plugin scope
 * this is called in, and only for DELETE, an empty body is no body. Everything else keeps
 * Fastify's own parser. (xAPI routes never use it: their bodies have rules of their own.)
 */
export function acceptEmptyDeleteBody(app: FastifyInstance): void {
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (request.method === 'DELETE' && text === '') {
      done(null, undefined);
      return;
    }
    void jsonParser(request, text, done);
  });
}
