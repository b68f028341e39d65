import { createHash, randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hasScope, requireScope, type Principal } from '@cairn/auth';
import type { StatementBatchQueue } from '@cairn/jobs';
import type {
  ActivityRepository,
  AttachmentRepository,
  StatementQuery,
  StatementRepository,
  Store,
  StoredStatement,
} from '@cairn/store';
import {
  agentKey,
  assertValidStatements,
  formatStatement,
  isVersion1,
  type Agent,
  type Statement,
} from '@cairn/xapi';
import { LrsErrors } from '../../errors.js';
import { validatedAgentParam } from '../agent-param.js';
import {
  attachmentsOf,
  DEFAULT_ATTACHMENT_LIMITS,
  matchAttachments,
  type AttachmentLimits,
} from './attachments.js';
import { parseMultipart, serializeMultipart, type AttachmentPart } from './multipart.js';
import { decodeMore, encodeMore } from './more-token.js';
import { parseGetParams, type StatementGetParams } from './query-params.js';
import { canonicalDefinitionsFor } from './canonical-definitions.js';
import { consistentThrough } from './consistent-through.js';
import { storeStatements, type StoredBatch } from './store-statements.js';

export interface StatementRoutesOptions {
  readonly store: Store;
  readonly pipeline: Pick<StatementBatchQueue, 'enqueue'>;
  readonly now?: () => Date;
  /** Limits on attachment content per request; defaults: 10 MiB a part, 50 MiB in all. */
  readonly attachmentLimits?: Partial<AttachmentLimits>;
  /** How far Consistent-Through lags now for other processes' writes (consistent-through.ts). */
  readonly consistencyLagMs?: number;
}

const CONSISTENT_THROUGH = 'X-Experience-API-Consistent-Through';
/** Room for the statements part and MIME framing above the attachments' total limit. */
const MULTIPART_OVERHEAD_BYTES = 10 * 1024 * 1024;

/** The Statements resource: POST, PUT and GET (HEAD comes with GET) on /statements. */
export const statementRoutes: FastifyPluginAsync<StatementRoutesOptions> = async (app, options) => {
  const now = options.now ?? (() => new Date());
  const writes = consistentThrough(options.consistencyLagMs);
  const setConsistentThrough = (request: FastifyRequest, reply: FastifyReply): void => {
    const storeId = request.principal?.storeId ?? '';
    void reply.header(CONSISTENT_THROUGH, writes.at(storeId, now()).toISOString());
  };
  // xAPI Communication 2.1.3.s2.b5: the header is "on all responses to Statements Resource
  // requests", POST, PUT and errors too. GET sets it earlier (below).
  app.addHook('onSend', async (request, reply) => {
    if (!reply.hasHeader(CONSISTENT_THROUGH)) setConsistentThrough(request, reply);
  });
  const repoFor = (request: FastifyRequest): StatementRepository =>
    options.store.statementsOf(principalOf(request).storeId);
  const limits: AttachmentLimits = { ...DEFAULT_ATTACHMENT_LIMITS, ...options.attachmentLimits };
  const attachmentRepoFor = (request: FastifyRequest): AttachmentRepository =>
    options.store.attachmentsOf(principalOf(request).storeId);

  // xAPI Communication 1.5.2: statements with attachment content come as multipart/mixed. The
  // raw body is handed to the route, which parses it (multipart.ts); the limit leaves room for
  // the statements part and the MIME framing on top of the attachments' own limit.
  app.addContentTypeParser(
    'multipart/mixed',
    { parseAs: 'buffer', bodyLimit: limits.maxTotalBytes + MULTIPART_OVERHEAD_BYTES },
    (_request, body, done) => done(null, body),
  );

  /**
   * Stores validated statements with the credential's authority. From taking `stored` until the
   * write has finished, the store's Consistent-Through is held back before it.
   */
  const storeBatch = async (
    request: FastifyRequest,
    statements: readonly Statement[],
  ): Promise<StoredBatch> => {
    const storeId = principalOf(request).storeId;
    const stored = now();
    const finished = writes.begin(storeId, stored);
    try {
      return await storeStatements({
        repo: repoFor(request),
        statements,
        authority: authorityOf(principalOf(request)),
        mayDefine: hasScope(principalOf(request), 'define'),
        version: request.xapiVersion,
        now: stored,
      });
    } finally {
      finished();
    }
  };

  /**
   * One pipeline job for what this request stored. The statements already carry their pending
   * pipeline state (the outbox), so when Redis fails the sweeper enqueues them later: the client
   * still gets its answer, because its statements are stored.
   */
  const announce = async (request: FastifyRequest, inserted: readonly string[]): Promise<void> => {
    if (inserted.length === 0) return;
    const storeId = principalOf(request).storeId;
    try {
      await options.pipeline.enqueue({ storeId, statementIds: inserted });
    } catch (error) {
      request.log.warn(
        { err: error, storeId, statements: inserted.length },
        'enqueue failed; the sweeper will retry the batch',
      );
    }
  };

  /** The statements JSON and attachment parts of a POST/PUT body, either content type. */
  const readBody = (request: FastifyRequest): { json: unknown; parts: AttachmentPart[] } => {
    if (!Buffer.isBuffer(request.body)) return { json: request.body, parts: [] };
    const parsed = parseMultipart(request.headers['content-type'] ?? '', request.body);
    return { json: parsed.statementsJson, parts: parsed.parts };
  };

  /**
   * Checks the parts against the statements and stores their content, before the statements:
   * a stored statement never lacks its attachments. Content is keyed by hash, so a batch refused
   * later (409) leaves only content that a retry stores again anyway.
   */
  const acceptAttachments = async (
    request: FastifyRequest,
    statements: readonly Statement[],
    parts: readonly AttachmentPart[],
  ): Promise<void> => {
    const toStore = matchAttachments(statements, parts, limits);
    const repo = attachmentRepoFor(request);
    for (const part of toStore) await repo.put(part.hash, part.contentType, part.body);
  };
  const attachmentsFor = (
    request: FastifyRequest,
    params: StatementGetParams,
  ): AttachmentRepository | undefined =>
    params.attachments ? attachmentRepoFor(request) : undefined;

  /**
   * With an `Idempotency-Key` header, the ids of the first request that carried the key with
   * this body, given to the statements sent without one: a retry then stores the same ids, which
   * the insert deduplicates, and answers the first response's ids. The same key with another body
   * is a 422. Without the header, statements sent without ids get new ones at every delivery
   * (docs/pipeline.md, "Retries without ids").
   */
  const withIdempotencyKey = async (
    request: FastifyRequest,
    json: unknown,
    parts: readonly AttachmentPart[],
    statements: readonly Statement[],
  ): Promise<readonly Statement[]> => {
    const key = request.headers['idempotency-key'];
    if (key === undefined) return statements;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key))
      throw new LrsErrors.badIdempotencyKey();
    const hash = createHash('sha256').update(JSON.stringify(json));
    for (const part of parts) hash.update(`\n${part.hash}`);
    const claim = await options.store.idempotencyOf(principalOf(request).storeId).claim(
      key,
      hash.digest('hex'),
      statements.map((s) => s.id?.toLowerCase() ?? randomUUID()),
      now(),
    );
    if (!claim.sameBody) throw new LrsErrors.idempotencyKeyReused(key);
    return statements.map((s, i) =>
      s.id === undefined ? { ...s, id: claim.statementIds[i] ?? randomUUID() } : s,
    );
  };

  app.post('/statements', { preHandler: requireScope('statements/write') }, async (request) => {
    const query = request.query as Record<string, string>;
    for (const key of Object.keys(query)) throw new LrsErrors.unknownParameter(key);
    const { json, parts } = readBody(request);
    const valid = assertValidStatements(json, request.xapiVersion);
    const statements = await withIdempotencyKey(request, json, parts, valid);
    await acceptAttachments(request, statements, parts);
    const batch = await storeBatch(request, statements);
    await announce(request, batch.inserted);
    return batch.ids;
  });

  app.put(
    '/statements',
    { preHandler: requireScope('statements/write') },
    async (request, reply) => {
      const query = request.query as Record<string, string>;
      for (const key of Object.keys(query)) {
        if (key !== 'statementId') throw new LrsErrors.unknownParameter(key);
      }
      if (query['statementId'] === undefined) {
        throw new LrsErrors.badParameter('statementId', 'is required on PUT');
      }
      const id = parseGetParams({ statementId: query['statementId'] }).statementId ?? '';
      const { json, parts } = readBody(request);
      if (Array.isArray(json))
        throw new LrsErrors.badParameter('body', 'PUT takes one statement, not an array');
      const [statement] = assertValidStatements(json, request.xapiVersion);
      if (statement === undefined)
        throw new LrsErrors.badParameter('body', 'a statement is required');
      if (statement.id !== undefined && statement.id.toLowerCase() !== id) {
        throw new LrsErrors.idMismatch(id, statement.id);
      }
      await acceptAttachments(request, [statement], parts);
      const batch = await storeBatch(request, [{ ...statement, id }]);
      await announce(request, batch.inserted);
      return reply.status(204).send();
    },
  );

  app.get(
    '/statements',
    { preHandler: requireScope('statements/read/mine') },
    async (request, reply) => {
      const repo = repoFor(request);
      const repos: Repos = {
        statements: repo,
        activities: () => options.store.activitiesOf(principalOf(request).storeId),
      };
      const raw = request.query as Record<string, string>;
      const languages = acceptLanguages(request.headers['accept-language']);
      // Taken before the query runs: a write that finishes during it, with a `stored` before a
      // header taken afterwards, would be in neither this answer nor a read `since` the header.
      setConsistentThrough(request, reply);

      if (raw['more'] !== undefined) {
        if (Object.keys(raw).length > 1)
          throw new LrsErrors.badParameter('more', 'cannot be combined with other parameters');
        const state = decodeMore(raw['more']);
        if (state === null || state.storeId !== principalOf(request).storeId)
          throw new LrsErrors.badMore();
        const params = parseGetParams(state.params);
        return sendPage(
          request,
          reply,
          repos,
          attachmentsFor(request, params),
          params,
          state.params,
          languages,
          new Date(state.until),
          state.after,
        );
      }

      const params = parseGetParams(raw);
      const single = params.statementId ?? params.voidedStatementId;
      if (single !== undefined) {
        const found = await repo.get(single);
        const wantVoided = params.voidedStatementId !== undefined;
        const mine = mineOnly(request);
        if (
          found === null ||
          found.voided !== wantVoided ||
          (mine !== undefined && found.authorityKey !== mine)
        ) {
          throw new LrsErrors.notFound(single);
        }
        if (!isVersion1(request.xapiVersion))
          void reply.header('Last-Modified', found.stored.toUTCString());
        const [json = ''] = await renderAll([found], params, languages, repos.activities);
        return sendStatements(reply, attachmentsFor(request, params), json, [found]);
      }
      return sendPage(
        request,
        reply,
        repos,
        attachmentsFor(request, params),
        params,
        raw,
        languages,
        undefined,
        undefined,
      );
    },
  );
};

/** The repositories a statement GET reads. */
interface Repos {
  readonly statements: StatementRepository;
  /** For format=canonical only: the canonical activity definitions, built when asked for. */
  readonly activities: () => ActivityRepository;
}

async function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  repos: Repos,
  attachments: AttachmentRepository | undefined,
  params: StatementGetParams,
  rawParams: Readonly<Record<string, string>>,
  languages: readonly string[],
  pinnedUntil: Date | undefined,
  after: string | undefined,
): Promise<FastifyReply> {
  const until = pinnedUntil ?? params.until ?? new Date(8.64e15);
  const query: StatementQuery = {
    ...(params.agent !== undefined
      ? { agentKey: agentKey(validatedAgentParam(params.agent, request.xapiVersion)) }
      : {}),
    relatedAgents: params.relatedAgents,
    ...(params.verb !== undefined ? { verbId: params.verb } : {}),
    ...(params.activity !== undefined ? { activityId: params.activity } : {}),
    relatedActivities: params.relatedActivities,
    ...(params.registration !== undefined ? { registration: params.registration } : {}),
    ...(params.since !== undefined ? { since: params.since } : {}),
    ...optionalAuthority(mineOnly(request)),
    until,
    ascending: params.ascending,
    limit: params.limit,
    ...(after !== undefined ? { after } : {}),
  };
  const page = await repos.statements.query(query);
  const more =
    page.next === null
      ? ''
      : `/xapi/statements?more=${encodeMore({
          storeId: principalOf(request).storeId,
          params: rawParams,
          until: until.toISOString(),
          after: page.next,
        })}`;
  const latest = page.statements.reduce<Date | null>(
    (m, s) => (m === null || s.stored > m ? s.stored : m),
    null,
  );
  if (latest !== null && !isVersion1(request.xapiVersion))
    void reply.header('Last-Modified', latest.toUTCString());
  const rendered = await renderAll(page.statements, params, languages, repos.activities);
  const body = `{"statements":[${rendered.join(',')}],"more":${JSON.stringify(more)}}`;
  return sendStatements(reply, attachments, body, page.statements);
}

/**
 * Sends a statement or StatementResult: as application/json, or, when `attachments=true` gave an
 * attachment repository, as multipart/mixed with the stored content of every attachment of the
 * statements after it (xAPI Communication 2.1.3.s2.b6), once per hash, in order of appearance.
 * Attachments known only by fileUrl have no stored content and no part.
 */
async function sendStatements(
  reply: FastifyReply,
  attachments: AttachmentRepository | undefined,
  json: string,
  statements: readonly StoredStatement[],
): Promise<FastifyReply> {
  if (attachments === undefined) return reply.type('application/json').send(json);
  const hashes = [
    ...new Set(
      statements.flatMap((s) =>
        attachmentsOf(JSON.parse(s.json) as Statement).map((a) => a.sha2.toLowerCase()),
      ),
    ),
  ];
  const stored = new Map((await attachments.getMany(hashes)).map((a) => [a.sha2, a]));
  const parts = hashes.flatMap((hash) => {
    const a = stored.get(hash);
    return a === undefined ? [] : [{ hash, contentType: a.contentType, body: a.body }];
  });
  const multipart = serializeMultipart(json, parts);
  return reply.type(multipart.contentType).send(multipart.body);
}

/**
 * Each statement as the GET's format asks: the stored bytes for format=exact; otherwise the reduced
 * form, with the LRS's canonical activity definitions for format=canonical.
 */
async function renderAll(
  statements: readonly StoredStatement[],
  params: StatementGetParams,
  languages: readonly string[],
  activities: () => ActivityRepository,
): Promise<string[]> {
  const format = params.format;
  if (format === 'exact') return statements.map((s) => s.json);
  const parsed = statements.map((s) => JSON.parse(s.json) as Statement);
  const definitions =
    format === 'canonical'
      ? await canonicalDefinitionsFor(activities(), statements, parsed)
      : undefined;
  return parsed.map((s) => JSON.stringify(formatStatement(s, format, languages, definitions)));
}

/** Accept-Language as an ordered list of tags (quality values respected). */
function acceptLanguages(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag = '', ...attrs] = part.trim().split(';');
      const q = attrs.map((a) => /^q=([\d.]+)$/.exec(a.trim())?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((l) => l.tag !== '' && l.tag !== '*' && l.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((l) => l.tag);
}

/**
 * A credential with `statements/read/mine` but not `statements/read` reads only the statements
 * it stored itself (xAPI Communication, scopes): the IFI key of its authority, else undefined.
 */
function mineOnly(request: FastifyRequest): string | undefined {
  const principal = principalOf(request);
  return hasScope(principal, 'statements/read') ? undefined : agentKey(authorityOf(principal));
}

function optionalAuthority(key: string | undefined): { authorityKey?: string } {
  return key === undefined ? {} : { authorityKey: key };
}

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}

/** The authority recorded on statements: the credential that sent them (xAPI Data 2.4.9). */
function authorityOf(principal: Principal): Agent {
  return {
    objectType: 'Agent',
    name: principal.label,
    account: { homePage: 'https://cairn-lrs.org/credentials', name: principal.key },
  };
}
