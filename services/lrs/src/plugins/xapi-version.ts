import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import {
  parseVersionHeader,
  responseVersion,
  SUPPORTED_VERSIONS,
  VERSION_HEADER,
  versionFamily,
  type XapiVersion,
} from '@cairn/xapi';
import { LrsErrors } from '../errors.js';
import { isAlternateRequest } from './alternate-syntax.js';
import { versionMissing } from './missing-version.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The xAPI version negotiated for this request. */
    xapiVersion: XapiVersion;
  }
  interface FastifyContextConfig {
    /** The route answers without an X-Experience-API-Version header (GET /about). */
    xapiVersionOptional?: boolean;
  }
}

export interface XapiVersionOptions {
  /** Used when a request has no header; without it, such requests get 400. */
  readonly defaultVersion: XapiVersion | null;
  /** The X-Experience-API-Version of that 400 (see versionMissing). */
  readonly missingVersionReply: XapiVersion;
}

const LATEST: XapiVersion = SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1] ?? '2.0.0';

/**
 * Per-request version negotiation for the routes registered after it in the same scope: the
 * header must name a version Cairn serves (see parseVersionHeader), and every response, errors
 * included, names the latest patch of that version's family (Communication 3.3).
 */
const versionHooks: FastifyPluginAsync<XapiVersionOptions> = async (app, options) => {
  app.decorateRequest('xapiVersion', LATEST);
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers[VERSION_HEADER.toLowerCase()];
    const asked = Array.isArray(header) ? header[0] : header;
    const negotiated = asked === undefined ? undefined : parseVersionHeader(asked);
    if (negotiated !== undefined) {
      request.xapiVersion = negotiated;
      return;
    }
    if (request.routeOptions.config.xapiVersionOptional === true) return;
    // The alternate request syntax carries its headers in the form body: it is negotiated
    // once the body is parsed (plugins/alternate-syntax.ts).
    if (isAlternateRequest(request)) return;
    if (asked === undefined) {
      if (options.defaultVersion === null) throw versionMissing(reply, options.missingVersionReply);
      request.xapiVersion = options.defaultVersion;
      return;
    }
    throw new LrsErrors.versionUnsupported(asked);
  });
  app.addHook('onSend', async (request, reply) => {
    if (!reply.hasHeader(VERSION_HEADER)) {
      void reply.header(VERSION_HEADER, responseVersion(versionFamily(request.xapiVersion)));
    }
  });
};

/** Shares its hooks with the scope that registers it (the /xapi routes). */
export const xapiVersion = fp(versionHooks, { name: 'cairn-xapi-version', fastify: '5.x' });
