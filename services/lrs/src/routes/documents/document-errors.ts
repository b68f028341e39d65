import createError from '@fastify/error';

/**
 * Errors of the document resources: State, Activity Profile and Agent Profile (xAPI
 * Communication 2.2, 2.3, 2.6, 2.7) and their concurrency control (3.1). Parameter errors use
 * LrsErrors' `XAPI_ERR_PARAMETER`, like every other resource.
 */
export const DocumentErrors = {
  /** GET of one document that does not exist (in the caller's store). */
  notFound: createError<[string, string]>('XAPI_ERR_DOCUMENT_NOT_FOUND', 'no %s document %s', 404),
  /** If-Match or If-None-Match does not hold (Communication 3.1.s4.b9). */
  preconditionFailed: createError<[string]>(
    'XAPI_ERR_PRECONDITION_FAILED',
    'precondition failed: %s',
    412,
  ),
  /**
   * A PUT without If-Match or If-None-Match over a document that exists (Communication
   * 3.1.s4.b13-b14): the message tells the client how to resolve it.
   */
  preconditionRequired: createError<[string]>(
    'XAPI_ERR_DOCUMENT_CONFLICT',
    'the %s document already exists: GET it to check its current state, then PUT again with ' +
      'If-Match set to its ETag (or If-None-Match: * to write only a new document)',
    409,
  ),
  /**
   * A 1.0.x PUT of a new profile document without If-Match or If-None-Match (Communication
   * 3.1.s3.b1: the client "MUST include" one; routes/documents/preconditions.ts).
   */
  preconditionMissing: createError<[string]>(
    'XAPI_ERR_PRECONDITION_MISSING',
    'a PUT to the %s resource must carry If-Match or If-None-Match in xAPI 1.0.x: send ' +
      'If-None-Match: * to create the document, or If-Match with its current ETag to replace it',
    400,
  ),
  /** POST of, or onto, something that is not a JSON object (Communication 2.2.s8.b1). */
  notMergeable: createError<[string]>(
    'XAPI_ERR_DOCUMENT_MERGE',
    'POST merges a JSON object into a JSON object (application/json); %s. Use PUT to replace ' +
      'the document',
    400,
  ),
  /** The document is larger than the configured limit (Communication 3.2.s2.b7). */
  tooLarge: createError<[number]>(
    'XAPI_ERR_DOCUMENT_TOO_LARGE',
    'the document is larger than %s bytes, the most this LRS accepts',
    413,
  ),
} as const;
