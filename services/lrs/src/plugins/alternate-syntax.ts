import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { IncomingHttpHeaders } from 'node:http';
import { isVersion1, parseVersionHeader, VERSION_HEADER, type XapiVersion } from '@cairn/xapi';
import { LrsErrors } from '../errors.js';
import { versionMissing } from './missing-version.js';

/**
 * The alternate request syntax (xAPI 1.0.3 Communication 1.3, "Alternate Request Syntax"): a POST
 * with `?method=GET|PUT|POST|DELETE` and a form body whose fields are headers (Authorization,
 * X-Experience-API-Version, Content-Type, Content-Length, If-Match, If-None-Match), the query
 * parameters and `content`. Other headers, and any of these the client could set, come as real
 * HTTP headers. It exists for browsers that cannot send cross-origin requests with custom
 * headers; xAPI 2.0 removed it.
 */
export function isAlternateRequest(request: FastifyRequest): boolean {
  return (
    request.method === 'POST' &&
    typeof (request.query as Record<string, unknown>)['method'] === 'string'
  );
}

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);
/** The form fields that are headers (Communication 1.3.s3.b6), lower-cased. */
const HEADER_FIELDS = new Set([
  'authorization',
  'x-experience-api-version',
  'content-type',
  'content-length',
  'if-match',
  'if-none-match',
]);

/**
 * Headers of the form POST itself that must not reach the replayed request: they describe the
 * form body, not `content`. The replay's length is that of `content` as received, whatever a
 * Content-Length form field says (1.3.s3.b12 only asks clients to make it that length).
 */
const BODY_HEADERS = ['content-type', 'content-length', 'transfer-encoding', 'content-encoding'];

/**
 * The replayed request's headers: the form POST's own, less those of its body, with the form's
 * header fields (any case) over them; a form Content-Length is dropped with the real one.
 */
function replayHeaders(
  original: IncomingHttpHeaders,
  form: Readonly<Record<string, string>>,
): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = { ...original };
  for (const name of BODY_HEADERS) delete headers[name];
  for (const [field, value] of Object.entries(form)) {
    const name = field.toLowerCase();
    if (HEADER_FIELDS.has(name) && name !== 'content-length') headers[name] = value;
  }
  return headers;
}

function isStatementsPath(path: string): boolean {
  return path.endsWith('/statements');
}

export interface AlternateSyntaxOptions {
  /** The X-Experience-API-Version of the 400 for a form that names no version. */
  readonly missingVersionReply: XapiVersion;
}

/** Replays an alternate-syntax request as the ordinary request it stands for. */
const alternateSyntax: FastifyPluginAsync<AlternateSyntaxOptions> = async (app, options) => {
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
    const headers = replayHeaders(request.headers, form);
    // Negotiated here rather than in onRequest (plugins/xapi-version.ts), which cannot see the
    // form. The configured default version is not used: whether this syntax exists depends on
    // the version, and a client that cannot send headers can still put it in the form.
    const version = headers[VERSION_HEADER.toLowerCase()];
    const asked = Array.isArray(version) ? version[0] : version;
    if (asked === undefined) throw versionMissing(reply, options.missingVersionReply);
    const negotiated = parseVersionHeader(asked);
    if (negotiated === undefined) throw new LrsErrors.versionUnsupported(asked);
    request.xapiVersion = negotiated;
    if (!isVersion1(negotiated)) {
      throw new LrsErrors.badParameter(
        'method',
        'the alternate request syntax does not exist in xAPI 2.0',
      );
    }

    const params = new URLSearchParams();
    for (const [field, value] of Object.entries(form)) {
      if (field !== 'content' && !HEADER_FIELDS.has(field.toLowerCase())) {
        params.append(field, value);
      }
    }
    const path = request.url.split('?')[0] ?? '';
    const content = form['content'];
    // The Statements resource takes only JSON here (multipart cannot ride in a form), so its
    // `content` without a Content-Type field is JSON; the ADL suite sends exactly that (XAPI-00336).
    if (content !== undefined && headers['content-type'] === undefined && isStatementsPath(path)) {
      headers['content-type'] = 'application/json';
    }
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
