// The world of the isolation tests: one LRS and the reports service on one database, two stores
// made through the admin API, A full of
// data and B holding one statement of its own, each with a credential of every scope. What Cairn
// promises: a credential of B learns nothing of A, by any route, filter, `more` link or error,
// and changes nothing of A. The assertions that say so are in expectations.ts.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ALL_SCOPES } from '@cairn/auth';
import { parseMultipart } from '@cairn/lrs';
import { DEFAULT_STORE_ID } from '@cairn/store';
import { buildTestApp, reportsAppOn, type TestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

/** The two HTTP services: `lrs` (xAPI, admin) and `reports` (the analysts' `/api/v1`). */
export type Service = 'lrs' | 'reports';

/** One request; the caller adds its credential and xAPI version unless `headers` set them. */
export interface Req {
  readonly method: Method;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly payload?: string | Buffer | object;
}

export type Caller = (req: Req) => Promise<LightMyRequestResponse>;

/** A store as the admin API made it, and a credential of it holding every scope. */
export interface Tenant {
  readonly storeId: string;
  readonly name: string;
  readonly key: string;
  readonly authorization: string;
  /** Requests to the LRS with this credential and X-Experience-API-Version 2.0.0. */
  readonly call: Caller;
  /** Requests to the reports service with this credential (and the same headers). */
  readonly reports: Caller;
}

export const VERBS = {
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  attempted: 'http://adlnet.gov/expapi/verbs/attempted',
  submitted: 'http://adlnet.gov/expapi/verbs/submitted',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
  bOnly: 'https://b.example.org/verbs/tidied',
} as const;

export const STATE = '/xapi/activities/state';
export const ACTIVITY_PROFILE = '/xapi/activities/profile';
export const AGENT_PROFILE = '/xapi/agents/profile';

/** What store A holds. Names that could only come from A, so that a leak is recognisable. */
export interface DataOfA {
  readonly activity: string;
  readonly agent: { readonly objectType: 'Agent'; readonly name: string; readonly mbox: string };
  readonly registration: string;
  /** S1 with a definition and a registration, S2 with an attachment, S3 voided by S4, S5 plain. */
  readonly ids: { readonly [K in 'S1' | 'S2' | 'S3' | 'S4' | 'S5']: string };
  /** Every statement as A sent it, by id. */
  readonly sent: Readonly<Record<string, Record<string, unknown>>>;
  readonly attachment: { readonly sha2: string; readonly content: Buffer };
  /** A `more` link A was given (A has more statements than `limit=1`). */
  readonly more: string;
  /** The query strings of A's three documents, and their content. */
  readonly documents: {
    readonly state: Readonly<Record<string, string>>;
    readonly activityProfile: Readonly<Record<string, string>>;
    readonly agentProfile: Readonly<Record<string, string>>;
  };
  readonly documentContent: { readonly a: string; readonly secret: string };
  /** The only web origin A's store lets use its credentials (CORS). */
  readonly origin: string;
}

export interface World extends TestApp {
  /** The reports service, on the LRS's database (`app` is the LRS). */
  readonly reports: FastifyInstance;
  readonly a: Tenant;
  readonly b: Tenant;
  /** An admin credential of the default store: administers the whole installation. */
  readonly installationAdmin: Caller;
  /** Requests as given: no credential, no version header (open routes, alternate syntax). */
  readonly anonymous: Caller;
  /** The same, to the reports service. */
  readonly anonymousReports: Caller;
  readonly dataOfA: DataOfA;
  /** The statement B stored itself, and when. */
  readonly ownOfB: { readonly id: string; readonly stored: string };
  /** What the routes without a credential answered before A held anything, by `service url`. */
  readonly openAnswersBefore: Readonly<Record<string, string>>;
  /** Everything A can read, as A read it right after populating it. */
  readonly snapshotOfA: unknown;
  /** Reads everything of A again, as A. */
  snapshotA(): Promise<unknown>;
}

/** The routes without a credential (health, readiness, about) of each service: storeless by design. */
export const OPEN_ROUTES: Readonly<Record<Service, readonly string[]>> = {
  lrs: ['/health', '/ready', '/xapi/about'],
  reports: ['/health', '/ready'],
};

/** A query string, with object values (agents) as JSON. */
export function qs(params: Readonly<Record<string, string | object>>): string {
  return new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  ).toString();
}

function caller(app: FastifyInstance, authorization: string): Caller {
  return (req) =>
    app.inject({
      method: req.method,
      url: req.url,
      headers: { authorization, 'x-experience-api-version': '2.0.0', ...req.headers },
      ...(req.payload === undefined ? {} : { payload: req.payload }),
    });
}

/** Requests to `app` as given: no credential, no version header. */
function anonymousTo(app: FastifyInstance): Caller {
  return (req) =>
    app.inject({
      method: req.method,
      url: req.url,
      headers: { ...req.headers },
      ...(req.payload === undefined ? {} : { payload: req.payload }),
    });
}

async function ok(res: Promise<LightMyRequestResponse>, status: number, what: string) {
  const r = await res;
  if (r.statusCode !== status) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
  return r;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A multipart/mixed statement request, built by hand (not by the code under test). */
export function multipart(json: unknown, parts: readonly { contentType: string; body: Buffer }[]) {
  const boundary = `isolation${randomBytes(6).toString('hex')}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}`),
  ];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${p.contentType}\r\nContent-Transfer-Encoding: binary` +
          `\r\nX-Experience-API-Hash: ${sha256(p.body)}\r\n\r\n`,
      ),
      p.body,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return {
    headers: { 'content-type': `multipart/mixed; boundary=${boundary}` },
    payload: Buffer.concat(chunks),
  };
}

/** An attachment object for `content` (text/plain); `extra` is spread over it. */
export function attachmentOf(content: Buffer, extra: Record<string, unknown> = {}) {
  return {
    usageType: 'https://example.org/usage/essay',
    display: { en: 'essay' },
    contentType: 'text/plain',
    length: content.length,
    sha2: sha256(content),
    ...extra,
  };
}

/** The parts of a multipart answer (hash, type, content), or null for a JSON answer. */
export function partsOf(res: LightMyRequestResponse) {
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('multipart/mixed')) return null;
  return parseMultipart(type, res.rawPayload).parts.map((p) => ({
    hash: p.hash,
    contentType: p.contentType,
    content: p.body.toString('base64'),
  }));
}

async function createTenant(
  apps: Readonly<Record<Service, FastifyInstance>>,
  admin: Caller,
  name: string,
): Promise<Tenant> {
  const store = await ok(
    admin({ method: 'POST', url: '/admin/v1/stores', payload: { name } }),
    201,
    `create store ${name}`,
  );
  const storeId = store.json<{ id: string }>().id;
  const credential = await ok(
    admin({
      method: 'POST',
      url: `/admin/v1/stores/${storeId}/credentials`,
      payload: { scopes: [...ALL_SCOPES], label: `everything of ${name}` },
    }),
    201,
    `credential of ${name}`,
  );
  const { key, secret } = credential.json<{ key: string; secret: string }>();
  const authorization = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  return {
    storeId,
    name,
    key,
    authorization,
    call: caller(apps.lrs, authorization),
    reports: caller(apps.reports, authorization),
  };
}

/** A statement about `activity` by `actor`; `extra` is spread over it. */
export function statement(
  id: string,
  actor: object,
  verb: string,
  object: object,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { id, actor, verb: { id: verb }, object, ...extra };
}

/** Builds the world once per test file: see the module comment. */
export async function buildWorld(t: Teardown): Promise<World> {
  const r = await buildTestApp(t);
  const reports = await reportsAppOn(t, r);
  const apps = { lrs: r.app, reports };
  const installationAdmin = caller(r.app, await basicAuth(r.store, DEFAULT_STORE_ID, ['admin']));

  const openAnswersBefore: Record<string, string> = {};
  for (const service of ['lrs', 'reports'] as const) {
    for (const url of OPEN_ROUTES[service]) {
      const res = await apps[service].inject({ method: 'GET', url });
      openAnswersBefore[`${service} ${url}`] = res.body;
    }
  }

  const a = await createTenant(apps, installationAdmin, 'A');
  const b = await createTenant(apps, installationAdmin, 'B');
  if (a.storeId === DEFAULT_STORE_ID || b.storeId === DEFAULT_STORE_ID) {
    throw new Error('A and B must not be the default store: its admins administer every store');
  }

  // --- A's data, through the API ------------------------------------------------------------
  const activity = 'https://a.example.org/courses/secret-course';
  const agent = { objectType: 'Agent', name: 'Alice of A', mbox: 'mailto:alice@a.example.org' };
  const registration = randomUUID();
  const ids = {
    S1: randomUUID(),
    S2: randomUUID(),
    S3: randomUUID(),
    S4: randomUUID(),
    S5: randomUUID(),
  } as const;
  const definition = { name: { 'en-US': 'The secret course of A' } };
  const content = Buffer.from('the essay Alice wrote in store A', 'utf8');
  const sent: Record<string, Record<string, unknown>> = {
    [ids.S1]: statement(
      ids.S1,
      agent,
      VERBS.completed,
      { objectType: 'Activity', id: activity, definition },
      { context: { registration } },
    ),
    [ids.S2]: statement(
      ids.S2,
      agent,
      VERBS.submitted,
      { id: activity },
      {
        attachments: [attachmentOf(content)],
      },
    ),
    [ids.S3]: statement(ids.S3, agent, VERBS.attempted, { id: activity }),
    [ids.S4]: statement(ids.S4, agent, VERBS.voided, { objectType: 'StatementRef', id: ids.S3 }),
    [ids.S5]: statement(ids.S5, agent, VERBS.completed, { id: `${activity}/module-2` }),
  };
  const post = (payload: object) =>
    ok(a.call({ method: 'POST', url: '/xapi/statements', payload }), 200, 'A posts');
  await post(sent[ids.S1] ?? {});
  const withAttachment = multipart(sent[ids.S2], [{ contentType: 'text/plain', body: content }]);
  await ok(
    a.call({ method: 'POST', url: '/xapi/statements', ...withAttachment }),
    200,
    'A posts an attachment',
  );
  await post([sent[ids.S3], sent[ids.S4], sent[ids.S5]]);
  const firstPage = await ok(
    a.call({ method: 'GET', url: '/xapi/statements?limit=1' }),
    200,
    'A pages',
  );
  const more = firstPage.json<{ more: string }>().more;
  if (more === '') throw new Error('A should have been given a more link');

  const documents = {
    state: {
      activityId: activity,
      agent: JSON.stringify(agent),
      stateId: 'bookmark',
      registration,
    },
    activityProfile: { activityId: activity, profileId: 'syllabus' },
    agentProfile: { agent: JSON.stringify({ mbox: agent.mbox }), profileId: 'preferences' },
  };
  const documentContent = { a: 'only in A', secret: 'A-document-secret' };
  for (const [path, params] of [
    [STATE, documents.state],
    [ACTIVITY_PROFILE, documents.activityProfile],
    [AGENT_PROFILE, documents.agentProfile],
  ] as const) {
    await ok(
      a.call({
        method: 'PUT',
        url: `${path}?${qs(params)}`,
        headers: { 'content-type': 'application/json', 'if-none-match': '*' },
        payload: JSON.stringify(documentContent),
      }),
      204,
      `A puts ${path}`,
    );
  }

  // A's store accepts browser requests from A's own site only.
  const origin = 'https://courses.a.example.org';
  await ok(
    a.call({
      method: 'PATCH',
      url: `/admin/v1/stores/${a.storeId}`,
      payload: { corsOrigins: [origin] },
    }),
    200,
    'A sets its CORS origins',
  );

  // --- B's own statement: B is not empty, so "B sees only B's" is a real check -----------------
  const ownId = randomUUID();
  await ok(
    b.call({
      method: 'POST',
      url: '/xapi/statements',
      payload: statement(ownId, { mbox: 'mailto:bob@b.example.org' }, VERBS.bOnly, {
        id: 'https://b.example.org/own',
      }),
    }),
    200,
    'B posts its own',
  );
  const own = await ok(
    b.call({ method: 'GET', url: `/xapi/statements?statementId=${ownId}` }),
    200,
    'B reads its own',
  );

  const dataOfA: DataOfA = {
    activity,
    agent: { objectType: 'Agent', name: agent.name, mbox: agent.mbox },
    registration,
    ids,
    sent,
    attachment: { sha2: sha256(content), content },
    more,
    documents,
    documentContent,
    origin,
  };

  const snapshotA = async (): Promise<unknown> => {
    const read = async (req: Req) => {
      const res = await a.call(req);
      return {
        status: res.statusCode,
        etag: res.headers['etag'] ?? null,
        // The multipart boundary is new at every answer.
        type: String(res.headers['content-type'] ?? '').replace(/boundary=.*/, 'boundary=…'),
        body: partsOf(res) ?? res.body,
      };
    };
    const pages: unknown[] = [];
    for (let url = '/xapi/statements?format=exact&limit=2'; url !== '';) {
      const res = await ok(a.call({ method: 'GET', url }), 200, 'A re-reads');
      const page = res.json<{ statements: unknown[]; more: string }>();
      pages.push(...page.statements);
      url = page.more;
    }
    return {
      statements: pages,
      voided: await read({ method: 'GET', url: `/xapi/statements?voidedStatementId=${ids.S3}` }),
      attachment: await read({
        method: 'GET',
        url: `/xapi/statements?statementId=${ids.S2}&attachments=true`,
      }),
      documents: {
        state: await read({ method: 'GET', url: `${STATE}?${qs(documents.state)}` }),
        stateIds: await read({
          method: 'GET',
          url: `${STATE}?${qs({ activityId: activity, agent: documents.state.agent })}`,
        }),
        activityProfile: await read({
          method: 'GET',
          url: `${ACTIVITY_PROFILE}?${qs(documents.activityProfile)}`,
        }),
        activityProfileIds: await read({
          method: 'GET',
          url: `${ACTIVITY_PROFILE}?${qs({ activityId: activity })}`,
        }),
        agentProfile: await read({
          method: 'GET',
          url: `${AGENT_PROFILE}?${qs(documents.agentProfile)}`,
        }),
        agentProfileIds: await read({
          method: 'GET',
          url: `${AGENT_PROFILE}?${qs({ agent: documents.agentProfile.agent })}`,
        }),
      },
      activity: await read({
        method: 'GET',
        url: `/xapi/activities?${qs({ activityId: activity })}`,
      }),
      agent: await read({
        method: 'GET',
        url: `/xapi/agents?${qs({ agent: { mbox: agent.mbox } })}`,
      }),
      statistics: await read({ method: 'GET', url: `/admin/v1/stores/${a.storeId}` }),
      credentials: await read({ method: 'GET', url: `/admin/v1/stores/${a.storeId}/credentials` }),
    };
  };

  return {
    ...r,
    a,
    b,
    installationAdmin,
    reports,
    anonymous: anonymousTo(r.app),
    anonymousReports: anonymousTo(reports),
    dataOfA,
    ownOfB: { id: ownId, stored: own.json<{ stored: string }>().stored },
    openAnswersBefore,
    snapshotOfA: await snapshotA(),
    snapshotA,
  };
}
