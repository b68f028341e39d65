// Shared by the skills API tests (services/reports, /api/v1): requests with Basic credentials,
// error bodies, a setup with credentials of every scope that matters in two stores.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Scope } from '@cairn/auth';
import { buildTestReportsApp, lrsAppOn, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export const NOW = new Date('2026-03-02T09:30:00.000Z');

/** A request to `/api/v1${path}` with optional credentials, JSON body and headers. */
export function call(
  app: FastifyInstance,
  method: Method,
  path: string,
  authorization?: string,
  payload?: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url: `/api/v1${path}`,
    headers: { ...(authorization === undefined ? {} : { authorization }), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
};

/** The whole error body the error handler sends. */
export function errorBody(statusCode: number, code: string, message: string): object {
  return { statusCode, error: REASONS[statusCode], code, message };
}

export interface Setup extends TestApp {
  /** The LRS on the same database, for statements (`app` is the reports service). */
  readonly lrs: FastifyInstance;
  /** `admin` of store s1: reads and writes. */
  readonly admin: string;
  /** `reports:cohort`, `all/read`, `all` of s1: read only. */
  readonly cohort: string;
  readonly allRead: string;
  readonly all: string;
  /** `statements/read` of s1: neither. */
  readonly statementsRead: string;
  /** `admin` of store s2. */
  readonly otherAdmin: string;
}

export async function setup(t: Teardown): Promise<Setup> {
  const r = await buildTestReportsApp(t, { now: () => NOW });
  const lrs = await lrsAppOn(t, r, { now: () => NOW });
  const auth = (storeId: string, scopes: Scope[]) => basicAuth(r.store, storeId, scopes);
  return {
    ...r,
    lrs,
    admin: await auth('s1', ['admin']),
    cohort: await auth('s1', ['reports:cohort']),
    allRead: await auth('s1', ['all/read']),
    all: await auth('s1', ['all']),
    statementsRead: await auth('s1', ['statements/read']),
    otherAdmin: await auth('s2', ['admin']),
  };
}

export const SQL = 'https://skills.acme.example/frameworks/acme/skills/sql';
export const DATA = 'https://skills.acme.example/frameworks/acme/skills/data';
export const STATS = 'https://skills.acme.example/frameworks/acme/skills/statistics';
