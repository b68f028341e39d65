import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseEntityTags } from '@cairn/http';
import { ApiErrors } from './api-errors.js';

/*
 * A store's skill settings carry one generation, which rises with every change of its
 * frameworks, rules or verbs. It is the ETag of every read, and a write with If-Match is done
 * only while the generation is still the one named (a stale editor gets 412, never a silent
 * overwrite of a change it has not seen).
 */

/** The ETag of a generation: the number, quoted. */
export const etagOf = (generation: number): string => `"${generation}"`;

/** Sets the ETag header of a response about this generation. */
export function withEtag(reply: FastifyReply, generation: number): FastifyReply {
  return reply.header('etag', etagOf(generation));
}

/**
 * Throws 412 unless the request's If-Match (if any) names `generation` (strong comparison, as
 * RFC 7232 says for If-Match) or is `*`. Called again on every retry of a change, so a writer
 * that lost the race to another one is refused rather than applied over it.
 */
export function checkIfMatch(request: FastifyRequest, generation: number): void {
  const header = request.headers['if-match'];
  if (header === undefined) return;
  const tags = parseEntityTags(header);
  if (tags === '*') return;
  if (!tags.some((t) => !t.weak && t.opaque === String(generation))) {
    throw new ApiErrors.preconditionFailed(header, generation);
  }
}
