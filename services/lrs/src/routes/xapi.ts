import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
import { errorHandler, notFoundHandler } from '@cairn/http';
import type { StatementBatchQueue } from '@cairn/jobs';
import type { Store } from '@cairn/store';
import type { XapiVersion } from '@cairn/xapi';
import { LrsErrors } from '../errors.js';
import { alternateSyntaxPlugin } from '../plugins/alternate-syntax.js';
import { xapiVersion } from '../plugins/xapi-version.js';
import { aboutRoutes } from './about.js';
import { canonicalRoutes } from './canonical/canonical-routes.js';
import { documentRoutes } from './documents/document-routes.js';
import type { AttachmentLimits } from './statements/attachments.js';
import { statementRoutes } from './statements/statement-routes.js';

export interface XapiRoutesOptions {
  readonly store: Store;
  readonly pipeline: Pick<StatementBatchQueue, 'enqueue'>;
  readonly productVersion: string;
  readonly defaultVersion: XapiVersion | null;
  /** The X-Experience-API-Version of the 400 for a request that names no version. */
  readonly missingVersionReply: XapiVersion;
  readonly now?: () => Date;
  readonly attachmentLimits?: Partial<AttachmentLimits>;
  /** Largest state or profile document accepted, in bytes. */
  readonly maxDocumentBytes?: number;
  /** See StatementRoutesOptions.consistencyLagMs. */
  readonly consistencyLagMs?: number;
}

/** Fastify's refusal of a body whose Content-Type no parser takes (415 by default). */
const UNSUPPORTED_MEDIA_TYPE = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';

const HTTP_METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'] as const;

/** Everything under /xapi: version negotiation first, then the resources. */
export const xapiRoutes: FastifyPluginAsync<XapiRoutesOptions> = async (app, options) => {
  // xAPI Communication 3.2: the LRS "MUST return the error code most appropriate to the error
  // condition from the list above", a list without 415, and "SHOULD* reject any request with
  // `400 Bad Request` status where the content type header does not match the content".
  // The service's own handler does the mapping (503 for a database that is down, among others).
  const inherited = app.errorHandler;
  app.setErrorHandler(function (this: FastifyInstance, error: FastifyError, request, reply) {
    const refused = error.code === UNSUPPORTED_MEDIA_TYPE;
    inherited.call(
      this,
      refused ? new LrsErrors.contentType(request.headers['content-type'] ?? '(none)') : error,
      request,
      reply,
    );
  });
  // A resource asked with a method it does not take is a 405 with Allow (RFC 9110 15.5.6), as the
  // ADL suite expects of DELETE /statements, not a 404: the resource exists. Answered before any
  // credential is checked, as a 404 would be.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = HTTP_METHODS.filter((method) => app.hasRoute({ method, url: path }));
    if (allowed.length === 0) {
      notFoundHandler(request, reply);
      return;
    }
    void reply.header('Allow', allowed.join(', '));
    errorHandler(
      new LrsErrors.methodNotAllowed(request.method, path, allowed.join(', ')),
      request,
      reply,
    );
  });
  await app.register(xapiVersion, {
    defaultVersion: options.defaultVersion,
    missingVersionReply: options.missingVersionReply,
  });
  await app.register(alternateSyntaxPlugin, { missingVersionReply: options.missingVersionReply });
  await app.register(aboutRoutes, { productVersion: options.productVersion });
  await app.register(statementRoutes, {
    store: options.store,
    pipeline: options.pipeline,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.attachmentLimits !== undefined
      ? { attachmentLimits: options.attachmentLimits }
      : {}),
    ...(options.consistencyLagMs !== undefined
      ? { consistencyLagMs: options.consistencyLagMs }
      : {}),
  });
  await app.register(canonicalRoutes, { store: options.store });
  await app.register(documentRoutes, {
    store: options.store,
    ...(options.now !== undefined ? { now: options.now } : {}),
    ...(options.maxDocumentBytes !== undefined
      ? { maxDocumentBytes: options.maxDocumentBytes }
      : {}),
  });
};
