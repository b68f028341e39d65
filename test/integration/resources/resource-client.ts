// Shared by the Activities and Agents resource tests: statements in through the LRS, the
// aggregator on the test's own queue prefix, and GETs with one credential and version.
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { Job } from 'bullmq';
import type { RunningWorkers } from '@cairn/aggregator';
import { STATEMENT_BATCH_JOB, STATEMENT_INTAKE_QUEUE } from '@cairn/jobs';
import { COLLECTIONS } from '@cairn/store';
import type { Scope } from '@cairn/auth';
import { startTestAggregator, testProcessors } from '../../helpers/aggregator.js';
import { buildTestApp, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';
import { pollUntil } from '../../helpers/poll.js';
import { statementQueue } from '../../helpers/queues.js';

export const VERSIONS = ['1.0.3', '2.0.0'] as const;

export type Params = Readonly<Record<string, string | object>>;

/** A query string, with object values (agents) as JSON. */
export function query(params: Params): string {
  return new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  ).toString();
}

/** A minimal valid statement about `object`, with a fresh id; `extra` is spread over it. */
export function statement(
  object: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: randomUUID(),
    actor: { mbox: 'mailto:someone@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object,
    ...extra,
  };
}

export interface Client {
  /** Stores statements; fails the test unless the LRS answers 200. */
  post(statements: readonly Record<string, unknown>[]): Promise<void>;
  /** GET with these parameters, or this query string as is. */
  get(path: string, params: Params | string): Promise<LightMyRequestResponse>;
  /** The headers it sends: its Authorization and version. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ResourceSetup extends TestApp {
  /** A client of a credential with `scopes` in `storeId` (default: `all` in `default`). */
  client(scopes?: readonly Scope[], storeId?: string): Promise<Client>;
  /** Starts the aggregator on this test's prefix; counts the batches it has processed. */
  startAggregator(): Promise<{ readonly workers: RunningWorkers; processed(): number }>;
  /** Waits until the aggregator has processed at least `count` batches. */
  processed(aggregator: { processed(): number }, count: number): Promise<void>;
  /**
   * Runs the aggregator's processor once more over every statement stored so far, as a retried
   * or re-driven job would, and returns the activities and people documents before and after.
   */
  reprocessAll(): Promise<{ before: unknown[]; after: unknown[] }>;
  /** Waits until `check` passes on a GET, or fails the test with what it last saw. */
  eventually(
    what: string,
    request: () => Promise<LightMyRequestResponse>,
    check: (body: unknown) => boolean,
  ): Promise<unknown>;
}

export async function setup(t: Teardown, version: string): Promise<ResourceSetup> {
  const r = await buildTestApp(t);
  const client = async (
    scopes: readonly Scope[] = ['all'],
    storeId = 'default',
  ): Promise<Client> => {
    const headers = {
      authorization: await basicAuth(r.store, storeId, scopes),
      'x-experience-api-version': version,
    };
    return {
      async post(statements) {
        const res = await r.app.inject({
          method: 'POST',
          url: '/xapi/statements',
          headers,
          payload: [...statements],
        });
        if (res.statusCode !== 200)
          throw new Error(`POST statements: ${res.statusCode} ${res.body}`);
      },
      get: (path, params) =>
        r.app.inject({
          method: 'GET',
          url: `/xapi${path}?${typeof params === 'string' ? params : query(params)}`,
          headers,
        }),
      headers,
    };
  };
  const startAggregator = async () => {
    const workers = await startTestAggregator(t, r);
    let done = 0;
    // Batches, not the partition and batch-done jobs they lead to.
    const intake = workers.workers.find((w) => w.name === STATEMENT_INTAKE_QUEUE);
    intake?.on('completed', () => (done += 1));
    return { workers, processed: () => done };
  };
  const eventually = async (
    what: string,
    request: () => Promise<LightMyRequestResponse>,
    check: (body: unknown) => boolean,
  ): Promise<unknown> => {
    let last: unknown;
    try {
      return await pollUntil(what, async () => {
        const res = await request();
        last = res.statusCode === 200 ? res.json() : `${res.statusCode} ${res.body}`;
        return check(last) ? last : undefined;
      });
    } catch (error) {
      throw new Error(`${(error as Error).message}; last answer: ${JSON.stringify(last)}`, {
        cause: error,
      });
    }
  };
  const processed = async (aggregator: { processed(): number }, count: number) => {
    await pollUntil(`${count} batches to be processed`, async () =>
      aggregator.processed() >= count ? true : undefined,
    );
  };
  const reprocessAll = async () => {
    const db = r.mongo.db;
    const derived = async () => [
      ...(await db.collection(COLLECTIONS.activities).find().sort({ _id: 1 }).toArray()),
      ...(await db.collection(COLLECTIONS.people).find().sort({ _id: 1 }).toArray()),
    ];
    const statements = await db
      .collection<{ storeId: string; statementId: string }>(COLLECTIONS.statements)
      .find()
      .toArray();
    const before = await derived();
    const intake = statementQueue(t, r, 'intake');
    const { intake: process } = testProcessors(t, r);
    for (const storeId of new Set(statements.map((s) => s.storeId))) {
      const statementIds = statements
        .filter((s) => s.storeId === storeId)
        .map((s) => s.statementId);
      await process(new Job(intake, STATEMENT_BATCH_JOB, { storeId, statementIds }));
    }
    return { before, after: await derived() };
  };
  return { ...r, client, startAggregator, eventually, processed, reprocessAll };
}
