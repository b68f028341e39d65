import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { requireScope, type Principal } from '@cairn/auth';
import {
  documentEtag,
  MAX_DOCUMENT_BYTES,
  type DocumentAddress,
  type DocumentChange,
  type DocumentRepository,
  type DocumentSet,
  type Store,
} from '@cairn/store';
import { isAlternateRequest } from '../../plugins/alternate-syntax.js';
import { DocumentErrors } from './document-errors.js';
import {
  DOCUMENT_RESOURCES,
  parseDocumentParams,
  type DocumentMethod,
  type DocumentParams,
  type DocumentResource,
} from './document-params.js';
import { checkPreconditions, readPreconditions } from './preconditions.js';

/** Default of CAIRN_MAX_DOCUMENT_BYTES. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Stored for a document sent without a Content-Type. */
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/**
 * Room for an alternate-syntax form (xAPI 1.0.3 Communication 1.3) around its `content` field:
 * URL-encoding makes content up to three times longer, and the headers ride in the form too.
 */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** What the document routes need; main.ts fills it from configuration. */
export interface DocumentRoutesOptions {
  readonly store: Store;
  /** The clock for `updated` (Last-Modified, `since`); tests inject one. */
  readonly now?: () => Date;
  /** Largest document accepted, in bytes; capped at what one database document holds. */
  readonly maxDocumentBytes?: number;
}

/**
 * The document resources: State (/activities/state), Activity Profile (/activities/profile) and
 * Agent Profile (/agents/profile), xAPI Communication 2.2-2.3 and 2.6-2.7 in 1.0.3, LRS 4.1.6.2,
 * 4.1.6.5 and 4.1.6.6 in 2.0. Documents are kept byte for byte with their content type; the
 * ETag is the quoted SHA-1 of the content.
 */
export const documentRoutes: FastifyPluginAsync<DocumentRoutesOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const limit = Math.min(
    options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_BYTES,
  );
  const formLimit = 3 * limit + FORM_OVERHEAD_BYTES;

  // Documents may have any content type, binary included (Communication 1.5.b1), and JSON ones
  // must come back byte for byte: in this scope every body is a Buffer, parsed by nobody. The
  // exception is an alternate-syntax request, whose form this scope must decode for the hook
  // that replays it (plugins/alternate-syntax.ts).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: formLimit },
    (request, body: Buffer, done) => {
      if (isAlternateRequest(request)) {
        done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
      } else if (body.length > limit) {
        done(new DocumentErrors.tooLarge(limit));
      } else {
        done(null, body);
      }
    },
  );
  // Refuse an announced oversized body before reading it.
  app.addHook('onRequest', async (request) => {
    const length = Number(request.headers['content-length']);
    if (length > (isAlternateRequest(request) ? formLimit : limit)) {
      throw new DocumentErrors.tooLarge(limit);
    }
  });
  // A chunked body that outgrows even the form limit is cut off by Fastify; say it our way, then
  // hand over to the /xapi scope's handler (routes/xapi.ts), which has its own mapping.
  const inherited = app.errorHandler;
  app.setErrorHandler(function (this: FastifyInstance, error: FastifyError, request, reply) {
    inherited.call(
      this,
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? new DocumentErrors.tooLarge(limit) : error,
      request,
      reply,
    );
  });

  const repoFor = (request: FastifyRequest): DocumentRepository =>
    options.store.documentsOf(principalOf(request).storeId);

  for (const resource of DOCUMENT_RESOURCES) {
    const params = (request: FastifyRequest, method: DocumentMethod) =>
      parseDocumentParams(
        resource,
        method,
        request.query as Record<string, unknown>,
        request.xapiVersion,
      );

    // GET one document, or the ids of a set (HEAD comes with it).
    app.get(
      resource.path,
      { preHandler: requireScope(resource.scope, 'read') },
      async (request, reply) => {
        const p = params(request, 'GET');
        const repo = repoFor(request);
        if (p.documentId !== undefined) {
          const doc = await repo.get(addressOf(resource, p, p.documentId));
          if (doc === null) {
            throw new DocumentErrors.notFound(
              resource.label,
              `${resource.idParam}=${JSON.stringify(p.documentId)}`,
            );
          }
          return reply
            .header('ETag', `"${doc.etag}"`)
            .header('Last-Modified', doc.updated.toUTCString())
            .type(doc.contentType)
            .send(doc.content);
        }
        return sendIds(reply, await repo.list(setOf(resource, p), p.since));
      },
    );

    // PUT stores the document as sent, replacing any other.
    app.put(resource.path, { preHandler: requireScope(resource.scope) }, async (request, reply) => {
      const p = params(request, 'PUT');
      const content = contentOf(request);
      const put: DocumentChange = {
        action: 'put',
        content,
        contentType: contentTypeOf(request),
        updated: now(),
      };
      const preconditions = readPreconditions(request.headers);
      const rule = resource.putPreconditions(request.xapiVersion);
      await repoFor(request).change(addressOf(resource, p, p.documentId), (current) => {
        checkPreconditions(preconditions, current, rule, resource.label);
        return put;
      });
      return reply.status(204).send();
    });

    // POST merges a JSON object into the stored one, or stores it when there is none (2.2.s7).
    app.post(
      resource.path,
      { preHandler: requireScope(resource.scope) },
      async (request, reply) => {
        const p = params(request, 'POST');
        const content = contentOf(request);
        const contentType = contentTypeOf(request);
        const posted = jsonObjectOf(content, contentType, 'the posted document');
        const preconditions = readPreconditions(request.headers);
        const updated = now();
        await repoFor(request).change(addressOf(resource, p, p.documentId), (current) => {
          checkPreconditions(preconditions, current, 'never', resource.label);
          if (current === null) return { action: 'put', content, contentType, updated };
          const stored = jsonObjectOf(current.content, current.contentType, 'the stored document');
          // Top-level properties only, the posted ones winning (2.2.s7.b2). Spread, not
          // Object.assign: a posted "__proto__" stays a plain property.
          const merged = Buffer.from(JSON.stringify({ ...stored, ...posted }), 'utf8');
          if (merged.length > limit) throw new DocumentErrors.tooLarge(limit);
          return { action: 'put', content: merged, contentType, updated };
        });
        return reply.status(204).send();
      },
    );

    // DELETE one document, or (State without stateId) every document of the set.
    app.delete(
      resource.path,
      { preHandler: requireScope(resource.scope) },
      async (request, reply) => {
        const p = params(request, 'DELETE');
        const repo = repoFor(request);
        if (p.documentId === undefined) {
          await repo.deleteAll(setOf(resource, p));
          return reply.status(204).send();
        }
        const preconditions = readPreconditions(request.headers);
        await repo.change(addressOf(resource, p, p.documentId), (current) => {
          checkPreconditions(preconditions, current, 'never', resource.label);
          return current === null ? { action: 'keep' } : { action: 'delete' };
        });
        return reply.status(204).send();
      },
    );
  }
};

function addressOf(
  resource: DocumentResource,
  p: DocumentParams,
  documentId: string | undefined,
): DocumentAddress {
  if (documentId === undefined) throw new Error(`${resource.idParam} was not checked`);
  return {
    kind: resource.kind,
    activityId: p.activityId,
    agentKey: p.agentKey,
    registration: p.registration ?? null,
    documentId,
  };
}

/**
 * The set a GET without an id lists or a State DELETE without stateId deletes: "this context
 * (Activity + Agent [+ registration if specified])" (2.3.s4, 2.3.s5), so without a registration
 * it spans every registration.
 */
function setOf(resource: DocumentResource, p: DocumentParams): DocumentSet {
  return {
    kind: resource.kind,
    activityId: p.activityId,
    agentKey: p.agentKey,
    ...(p.registration !== undefined ? { registration: p.registration } : {}),
  };
}

/**
 * The ids as a JSON array, sorted, each once (a stateId may exist under several registrations).
 * Last-Modified is the latest update among them (1.0.3 2.2.s6.b2); the ETag is the SHA-1 of the
 * body, as for any GET of these resources (3.1.s4.b1).
 */
function sendIds(
  reply: FastifyReply,
  entries: readonly { documentId: string; updated: Date }[],
): FastifyReply {
  const body = JSON.stringify([...new Set(entries.map((e) => e.documentId))].sort());
  const latest = entries.reduce<Date | null>(
    (max, e) => (max === null || e.updated > max ? e.updated : max),
    null,
  );
  if (latest !== null) void reply.header('Last-Modified', latest.toUTCString());
  return reply
    .header('ETag', `"${documentEtag(Buffer.from(body, 'utf8'))}"`)
    .type('application/json')
    .send(body);
}

/**
 * The Content-Type to store and send back. A body whose Content-Type is not a well-formed media
 * type (a form field of the alternate syntax included) has already been refused with 400.
 */
function contentTypeOf(request: FastifyRequest): string {
  return request.headers['content-type'] ?? DEFAULT_CONTENT_TYPE;
}

function contentOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

/** The document as a JSON object, or 400 saying why it cannot be merged (2.2.s8.b1). */
function jsonObjectOf(content: Buffer, contentType: string, what: string): Record<string, unknown> {
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new DocumentErrors.notMergeable(`${what} is ${contentType}, not application/json`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch {
    throw new DocumentErrors.notMergeable(`${what} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new DocumentErrors.notMergeable(`${what} is JSON but not an object`);
  }
  return parsed as Record<string, unknown>;
}

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}
