import type { IncomingHttpHeaders } from 'node:http';
import type { StoredDocument } from '@cairn/store';
import { DocumentErrors } from './document-errors.js';

/** One entity tag of an If-Match / If-None-Match list, without its quotes. */
export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

/** An If-Match or If-None-Match header: `*` or a list of entity tags. */
export type EntityTagList = '*' | readonly EntityTag[];

/** The conditional headers of a write; absent ones are undefined. */
export interface Preconditions {
  readonly ifMatch?: EntityTagList;
  readonly ifNoneMatch?: EntityTagList;
}

// One list member: an optional weak prefix, then a quoted tag or, leniently, a bare token.
const MEMBER = /\s*(W\/)?(?:"([^"]*)"|([^",\s]+))\s*(?:,|$)/y;

/**
 * Parses an If-Match / If-None-Match value (RFC 7232 section 3). Tags sent without their quotes
 * are accepted too: some clients send the bare SHA-1 they got from the ETag header.
 */
export function parseEntityTags(header: string): EntityTagList {
  const value = header.trim();
  if (value === '*') return '*';
  const tags: EntityTag[] = [];
  MEMBER.lastIndex = 0;
  while (MEMBER.lastIndex < value.length) {
    const m = MEMBER.exec(value);
    // Unparseable: a tag no document has, so If-Match fails and If-None-Match holds.
    if (m === null) return [{ weak: false, opaque: value }];
    tags.push({ weak: m[1] !== undefined, opaque: m[2] ?? m[3] ?? '' });
  }
  return tags;
}

/** The If-Match and If-None-Match headers of a request, parsed. */
export function readPreconditions(headers: IncomingHttpHeaders): Preconditions {
  const ifMatch = headers['if-match'];
  const ifNoneMatch = headers['if-none-match'];
  return {
    ...(ifMatch !== undefined ? { ifMatch: parseEntityTags(ifMatch) } : {}),
    ...(ifNoneMatch !== undefined ? { ifNoneMatch: parseEntityTags(ifNoneMatch) } : {}),
  };
}

/**
 * When a write must carry If-Match or If-None-Match (xAPI Communication 3.1):
 * - `never`: it need not (POST and DELETE; PUT to the State resource in 1.0.x, 3.1.s3);
 * - `over-existing`: a PUT over an existing document without either is 409 (3.1.s4.b13; 2.0 LRS
 *   4.1.4), a new document needs neither;
 * - `always`: as `over-existing`, and a PUT of a new document without either is 400 (1.0.x
 *   profile resources: the client "MUST include" one, 3.1.s3.b1, which the ADL 1.0.3
 *   conformance suite and the ADL reference LRS enforce; docs/decisions.md).
 */
export type PreconditionRule = 'never' | 'over-existing' | 'always';

/**
 * Checks the preconditions of a write against the document as it is now (xAPI Communication
 * 3.1): If-Match with strong comparison, then If-None-Match with weak comparison, as RFC 7232
 * orders them; a failure is 412 and changes nothing. Then `rule` says what a write without
 * either header gets: 409 over an existing document, 400 for a new one (see PreconditionRule).
 */
export function checkPreconditions(
  p: Preconditions,
  current: StoredDocument | null,
  rule: PreconditionRule,
  label: string,
): void {
  if (p.ifMatch !== undefined) {
    if (current === null) {
      throw new DocumentErrors.preconditionFailed(
        `If-Match is set but there is no such ${label} document`,
      );
    }
    if (
      p.ifMatch !== '*' &&
      !p.ifMatch.some((tag) => !tag.weak && tag.opaque.toLowerCase() === current.etag)
    ) {
      throw new DocumentErrors.preconditionFailed(
        `If-Match does not match the document's current ETag "${current.etag}"`,
      );
    }
  }
  if (p.ifNoneMatch !== undefined && current !== null) {
    if (p.ifNoneMatch === '*') {
      throw new DocumentErrors.preconditionFailed(
        `If-None-Match is * but the ${label} document exists`,
      );
    }
    if (p.ifNoneMatch.some((tag) => tag.opaque.toLowerCase() === current.etag)) {
      throw new DocumentErrors.preconditionFailed(
        `If-None-Match matches the document's current ETag "${current.etag}"`,
      );
    }
  }
  if (rule === 'never' || p.ifMatch !== undefined || p.ifNoneMatch !== undefined) return;
  if (current !== null) throw new DocumentErrors.preconditionRequired(label);
  if (rule === 'always') throw new DocumentErrors.preconditionMissing(label);
}
