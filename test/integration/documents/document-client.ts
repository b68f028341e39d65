// Shared by the document resource tests: a small client over app.inject.
import { createHash } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export const ACTIVITY = 'https://example.com/courses/safety';
export const AGENT = { objectType: 'Agent', mbox: 'mailto:ann@example.com' };
export const OTHER_AGENT = { account: { homePage: 'https://lms.example.com', name: 'bob' } };
export const REGISTRATION = '4d0b7bd8-8d8c-4a43-9b4c-2f0d5e1e6a7a';
export const STATE = '/xapi/activities/state';
export const ACTIVITY_PROFILE = '/xapi/activities/profile';
export const AGENT_PROFILE = '/xapi/agents/profile';

export type Params = Readonly<Record<string, string | object>>;
export type Headers = Readonly<Record<string, string>>;

/** A query string, with object values (agents) as JSON. */
export function query(params: Params): string {
  return new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  ).toString();
}

/** The ETag the LRS must give `content`: its quoted lower-case hex SHA-1. */
export function etagOf(content: string | Buffer): string {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}

export interface DocumentClient {
  get(path: string, params: Params, headers?: Headers): Promise<LightMyRequestResponse>;
  head(path: string, params: Params, headers?: Headers): Promise<LightMyRequestResponse>;
  put(
    path: string,
    params: Params,
    body: string | Buffer,
    headers?: Headers,
  ): Promise<LightMyRequestResponse>;
  post(
    path: string,
    params: Params,
    body: string | Buffer,
    headers?: Headers,
  ): Promise<LightMyRequestResponse>;
  delete(path: string, params: Params, headers?: Headers): Promise<LightMyRequestResponse>;
}

/**
 * Requests with one credential and xAPI version. Bodies default to `application/json`; pass a
 * `content-type` header to send anything else.
 */
export function documentClient(
  app: FastifyInstance,
  authorization: string,
  version: string,
): DocumentClient {
  const base = { authorization, 'x-experience-api-version': version };
  const send =
    (method: 'GET' | 'HEAD' | 'DELETE') =>
    (path: string, params: Params, headers: Headers = {}) =>
      app.inject({ method, url: `${path}?${query(params)}`, headers: { ...base, ...headers } });
  const write =
    (method: 'PUT' | 'POST') =>
    (path: string, params: Params, body: string | Buffer, headers: Headers = {}) =>
      app.inject({
        method,
        url: `${path}?${query(params)}`,
        headers: { ...base, 'content-type': 'application/json', ...headers },
        payload: body,
      });
  return {
    get: send('GET'),
    head: send('HEAD'),
    delete: send('DELETE'),
    put: write('PUT'),
    post: write('POST'),
  };
}

/** A clock the test moves: each call returns the current value. */
export function testClock(start = Date.UTC(2026, 2, 1, 12, 0, 0)): {
  now: () => Date;
  set(ms: number): void;
  at(offsetSeconds: number): Date;
} {
  let current = start;
  return {
    now: () => new Date(current),
    set: (ms) => {
      current = ms;
    },
    at: (offsetSeconds) => new Date(start + offsetSeconds * 1000),
  };
}
