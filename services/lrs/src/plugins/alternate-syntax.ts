import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isSupportedVersion, isVersion1, VERSION_HEADER } from '@cairn/xapi';
import { LrsErrors } from '../errors.js';

/**
 * The alternate request syntax (xAPI 1.0.3 Communication, "Alternate Request Syntax"): a POST
 * with `?method=GET|PUT|POST|DELETE` and a form body whose fields are the headers (Authorization,
 * X-Experience-API-Version, Content-Type), the query parameters and `content`. It exists for
 * browsers that cannot send cross-origin requests with custom headers; xAPI 2.0 removed it.
 */
export function isAlternateRequest(request: FastifyRequest): boolean {
  return (
    request.method === 'POST' &&
    typeof (request.query as Record<string, unknown>)['method'] === 'string'
  );
}

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
const HEADER_FIELDS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'if-match',
  'if-none-match',
]);

/** Replays an alternate-syntax request as the ordinary request it stands for. */
const alternateSyntax: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.addHook('preValidation', async (request, reply) => {
    if (!isAlternateRequest(request)) return;
    const query = request.query as Record<string, string>;
    const method = query['method'] ?? '';
    if (Object.keys(query).length > 1) {
      throw new LrsErrors.badParameter(
        'method',
        'with the alternate syntax, every other parameter goes in the form body',
      );
    }
    if (!METHODS.has(method))
      throw new LrsErrors.badParameter('method', 'must be GET, PUT, POST or DELETE');
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/x-www-form-urlencoded')) {
      throw new LrsErrors.badParameter('method', 'needs an application/x-www-form-urlencoded body');
    }
    const form = (request.body ?? {}) as Record<string, string>;
    const version = form[VERSION_HEADER] ?? form[VERSION_HEADER.toLowerCase()];
    if (version !== undefined && isSupportedVersion(version)) request.xapiVersion = version;
    if (version === undefined) throw new LrsErrors.versionMissing();
    if (!isSupportedVersion(version)) throw new LrsErrors.versionUnsupported(version);
    if (!isVersion1(version)) {
      throw new LrsErrors.badParameter(
        'method',
        'the alternate request syntax does not exist in xAPI 2.0',
      );
    }

    const headers: Record<string, string> = {};
    const params = new URLSearchParams();
    for (const [field, value] of Object.entries(form)) {
      if (field === 'content') continue;
      if (HEADER_FIELDS.has(field.toLowerCase())) headers[field.toLowerCase()] = value;
      else params.append(field, value);
    }
    const path = request.url.split('?')[0] ?? '';
    const content = form['content'];
    const replayed = await app.inject({
      method: method as 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD',
      url: params.size > 0 ? `${path}?${params.toString()}` : path,
      headers,
      ...(content !== undefined ? { payload: content } : {}),
    });
    for (const [name, value] of Object.entries(replayed.headers)) {
      if (
        value !== undefined &&
        name !== 'content-length' &&
        name !== 'connection' &&
        name !== 'date'
      ) {
        void reply.header(name, value);
      }
    }
    return reply.status(replayed.statusCode).send(replayed.rawPayload);
  });
};

/** Shares its hooks and parser with the /xapi scope that registers it. */
export const alternateSyntaxPlugin = fp(alternateSyntax, {
  name: 'cairn-alternate-syntax',
  fastify: '5.x',
});
