import type { FastifyError, FastifyReply } from 'fastify';
import { VERSION_HEADER, type XapiVersion } from '@cairn/xapi';
import { LrsErrors } from '../errors.js';

/** Default of CAIRN_XAPI_MISSING_VERSION_REPLY: the latest version Cairn serves. */
export const DEFAULT_MISSING_VERSION_REPLY: XapiVersion = '2.0.0';

/**
 * The 400 for a request that names no X-Experience-API-Version (and is not served with a
 * default), with `answered` set as the response's own X-Experience-API-Version. Such a request
 * cannot say which family it meant, so the version its answer names is configured
 * (CAIRN_XAPI_MISSING_VERSION_REPLY): the ADL 2.0 conformance suite wants 2.0.0 there, its 1.0.3
 * suite a 1.0.x version (docs/conformance.md).
 */
export function versionMissing(reply: FastifyReply, answered: XapiVersion): FastifyError {
  void reply.header(VERSION_HEADER, answered);
  return new LrsErrors.versionMissing();
}
