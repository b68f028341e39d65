import { MAX_ATTACHMENT_BYTES } from '@cairn/store';
import {
  SIGNATURE_CONTENT_TYPE,
  signatureAttachments,
  verifyStatementSignature,
  type Attachment,
  type Statement,
} from '@cairn/xapi';
import { AttachmentErrors } from './attachment-errors.js';
import type { AttachmentPart } from './multipart.js';

const MIB = 1024 * 1024;

/** Size limits on attachment content received in one request. */
export interface AttachmentLimits {
  /** Largest single part, in bytes; at most what one stored document holds. */
  readonly maxPartBytes: number;
  /** Largest sum of all parts of one request, in bytes. */
  readonly maxTotalBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxPartBytes: 10 * MIB,
  maxTotalBytes: 50 * MIB,
};

/**
 * Every attachment object of a statement: its own, then its SubStatement's (xAPI Data 2.4.11
 * recommends putting them on the statement, but a SubStatement may carry some too).
 */
export function attachmentsOf(statement: Statement): Attachment[] {
  const sub = statement.object.objectType === 'SubStatement' ? statement.object.attachments : [];
  return [...(statement.attachments ?? []), ...(sub ?? [])];
}

/**
 * Matches the parts of a multipart request to the attachment objects of its statements
 * (xAPI Communication 1.5.2), by hash only (1.5.2.s1.b4):
 *
 * - every attachment without `fileUrl` needs a part with its sha2 (1.5.2.s3.b5), else 400;
 * - every part must be the content of some attachment, else 400;
 * - every signature attachment must be `application/octet-stream` and, when its content is here,
 *   a JWS that {@link verifyStatementSignature} accepts for its statement (xAPI Data 2.6.s5),
 *   else 400 with the reason;
 * - no part may exceed `maxPartBytes` and all together `maxTotalBytes` (1.5.2.s3.b7), else 413.
 *
 * Returns the parts to store, one per hash (a part sent twice has the same content: hashes were
 * verified by the parser). For an application/json request, pass no parts.
 */
export function matchAttachments(
  statements: readonly Statement[],
  parts: readonly AttachmentPart[],
  limits: Partial<AttachmentLimits> = {},
): AttachmentPart[] {
  const maxPart = Math.min(
    limits.maxPartBytes ?? DEFAULT_ATTACHMENT_LIMITS.maxPartBytes,
    MAX_ATTACHMENT_BYTES,
  );
  const maxTotal = limits.maxTotalBytes ?? DEFAULT_ATTACHMENT_LIMITS.maxTotalBytes;
  let total = 0;
  for (const part of parts) {
    if (part.body.length > maxPart) {
      throw new AttachmentErrors.tooLarge(
        `part ${part.hash} is ${part.body.length} bytes; the limit is ${maxPart}`,
      );
    }
    total += part.body.length;
  }
  if (total > maxTotal) {
    throw new AttachmentErrors.tooLarge(`the parts total ${total} bytes; the limit is ${maxTotal}`);
  }

  const byHash = new Map<string, AttachmentPart>();
  for (const part of parts) if (!byHash.has(part.hash)) byHash.set(part.hash, part);

  const declared = new Set<string>();
  for (const [i, statement] of statements.entries()) {
    for (const attachment of attachmentsOf(statement)) {
      const sha2 = attachment.sha2.toLowerCase();
      declared.add(sha2);
      if (attachment.fileUrl === undefined && !byHash.has(sha2)) {
        throw new AttachmentErrors.mismatch(
          `statement ${label(statement, i)} has an attachment ${sha2} with neither fileUrl nor a part`,
        );
      }
    }
    for (const signature of signatureAttachments(statement)) {
      if (signature.contentType.toLowerCase() !== SIGNATURE_CONTENT_TYPE) {
        throw new AttachmentErrors.badSignature(
          label(statement, i),
          `the signature attachment must have contentType ${SIGNATURE_CONTENT_TYPE}`,
        );
      }
      // A signature sent by fileUrl only cannot be read here: like any fileUrl attachment it is
      // accepted without its content.
      const part = byHash.get(signature.sha2.toLowerCase());
      if (part === undefined) continue;
      const check = verifyStatementSignature(statement, part.body.toString('utf8'));
      if (!check.ok) throw new AttachmentErrors.badSignature(label(statement, i), check.reason);
    }
  }

  for (const hash of byHash.keys()) {
    if (!declared.has(hash)) {
      throw new AttachmentErrors.mismatch(`part ${hash} is not the content of any attachment`);
    }
  }
  return [...byHash.values()];
}

function label(statement: Statement, index: number): string {
  return statement.id ?? `at index ${index}`;
}
