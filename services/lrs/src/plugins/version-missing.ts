import type { FastifyRequest } from 'fastify';
import type { XapiVersion } from '@cairn/xapi';
import { LrsErrors } from '../errors.js';

/**
 * What the 400 for a request without any version names in its own X-Experience-API-Version. Such
 * a request cannot say which family it meant, so the spec does not decide (Communication 3.3: "the
 * latest patch version"). 1.0.3 is the answer every conformance tool takes: the ADL suite's 1.0.3
 * tests require a 1.0.x version on this error (XAPI-00321), its 2.0 tests accept 1.0.x or 2.0.x.
 */
const ANSWER_TO_NO_VERSION: XapiVersion = '1.0.3';

/** The error for a request that names no xAPI version, its response version set as above. */
export function versionMissing(request: FastifyRequest): Error {
  request.xapiVersion = ANSWER_TO_NO_VERSION;
  return new LrsErrors.versionMissing();
}
