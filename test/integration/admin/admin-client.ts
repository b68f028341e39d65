// Shared by the admin API and CLI tests: requests, error bodies, a statement, and an LRS "second
// process" whose credential cache runs on a clock the test moves.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createAuthenticator } from '@cairn/auth';
import { buildApp } from '@cairn/lrs';
import type { Teardown } from '../../helpers/env.js';
import type { TestResources } from '../../helpers/test-resources.js';

export type Method = 'GET' | 'POST' | 'DELETE';

/** A request with optional Basic credentials and JSON body. */
export function call(
  app: FastifyInstance,
  method: Method,
  url: string,
  authorization?: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: {
      ...(authorization === undefined ? {} : { authorization }),
      'x-experience-api-version': '2.0.0',
    },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

export function basic(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`, 'utf8').toString('base64')}`;
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
};

/** The whole error body the error handler sends. */
export function errorBody(statusCode: number, code: string, message: string): object {
  return { statusCode, error: REASONS[statusCode], code, message };
}

export function statement(activity = 'https://example.org/courses/admin'): object {
  return {
    actor: { objectType: 'Agent', mbox: 'mailto:ada@example.org' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
    object: { objectType: 'Activity', id: activity },
  };
}

/** Milliseconds that only move when the test says so. */
export interface ManualClock {
  ms: number;
}

/**
 * Another LRS process on the same database: its own credential cache (default 5 s TTL), whose
 * clock is `clock`. It enqueues nothing.
 */
export async function otherProcess(
  t: Teardown,
  r: TestResources,
  clock: ManualClock,
): Promise<FastifyInstance> {
  const app = await buildApp({
    store: r.store,
    pipeline: { enqueue: async () => undefined },
    checks: [],
    productVersion: '0.0.0-test',
    authenticator: createAuthenticator({ credentials: r.store.credentials, now: () => clock.ms }),
  });
  t.teardown(() => app.close());
  return app;
}
