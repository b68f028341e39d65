import createError from '@fastify/error';

/**
 * Errors of statement attachments: the multipart/mixed transmission format (xAPI Communication
 * 1.5.2), matching parts to attachment objects, signed statements (xAPI Data 2.6) and size limits.
 * Kept apart from errors.ts so that this feature's catalogue lives next to its code.
 */
export const AttachmentErrors = {
  /** The body is not a well-formed xAPI multipart/mixed message. */
  malformed: createError<[string]>(
    'XAPI_ERR_ATTACHMENT',
    'malformed multipart/mixed body: %s',
    400,
  ),
  /** Parts and attachment objects do not match (missing or unexpected content). */
  mismatch: createError<[string]>('XAPI_ERR_ATTACHMENT', 'attachments: %s', 400),
  /** A signature attachment is malformed or does not match its statement. */
  badSignature: createError<[string, string]>(
    'XAPI_ERR_SIGNATURE',
    'the signature of statement %s is not valid: %s',
    400,
  ),
  /** A part, or all parts together, exceed the configured limit. */
  tooLarge: createError<[string]>('XAPI_ERR_ATTACHMENT_TOO_LARGE', 'attachments: %s', 413),
} as const;
