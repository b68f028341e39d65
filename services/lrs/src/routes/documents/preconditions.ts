import type { IncomingHttpHeaders } from 'node:http';
import { parseEntityTags, type EntityTagList } from '@cairn/http';
import type { StoredDocument } from '@cairn/store';
import { DocumentErrors } from './document-errors.js';

/** The conditional headers of a write; absent ones are undefined. */
export interface Preconditions {
  readonly ifMatch?: EntityTagList;
  readonly ifNoneMatch?: EntityTagList;
}

/** The If-Match and If-None-Match headers of a request, parsed (@cairn/http's parseEntityTags). */
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
