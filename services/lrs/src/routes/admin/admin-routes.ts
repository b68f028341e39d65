import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireScope, type Principal } from '@cairn/auth';
import { acceptEmptyDeleteBody } from '@cairn/http';
import type { PipelineMonitor } from '@cairn/jobs';
import { DEFAULT_STORE_ID, type Store } from '@cairn/store';
import { AdminErrors } from '../../admin/admin-errors.js';
import { createAdminOperations } from '../../admin/admin-operations.js';
import { pipelineRoutes } from './pipeline-routes.js';

export interface AdminRoutesOptions {
  readonly store: Store;
  /** The clock for `createdAt` and `revokedAt`; tests inject one. */
  readonly now?: () => Date;
  /** The pipeline's queues: with it, the /pipeline routes (pipeline-routes.ts) exist. */
  readonly pipelineMonitor?: PipelineMonitor;
}

interface StoreParams {
  readonly id: string;
}

interface CredentialParams extends StoreParams {
  readonly key: string;
}

interface StoreBody {
  readonly name: string;
}

interface StoreUpdateBody {
  readonly name?: string;
  readonly corsOrigins?: readonly string[] | null;
}

interface CredentialBody {
  readonly scopes: readonly string[];
  readonly label?: string;
}

// Shapes only: the rules on values (names, scopes) are the operations', shared with the CLI.
const storeBodySchema = {
  type: 'object',
  properties: { name: { type: 'string' } },
  required: ['name'],
  additionalProperties: false,
} as const;

const storeUpdateBodySchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    corsOrigins: {
      anyOf: [{ type: 'array', items: { type: 'string' }, maxItems: 1000 }, { type: 'null' }],
    },
  },
  additionalProperties: false,
  minProperties: 1,
} as const;

const credentialBodySchema = {
  type: 'object',
  properties: {
    scopes: { type: 'array', items: { type: 'string' }, maxItems: 64 },
    label: { type: 'string' },
  },
  required: ['scopes'],
  additionalProperties: false,
} as const;

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}

/**
 * Admin credentials of the default store (the bootstrap credential's) administer the whole
 * installation; an admin credential of any other store administers that store only.
 */
function administersAll(principal: Principal): boolean {
  return principal.storeId === DEFAULT_STORE_ID;
}

/**
 * The store id of the path, when the caller may administer that store. Any other store is
 * answered like one that does not exist, so that no credential learns of another store.
 */
function administeredStore(request: FastifyRequest<{ Params: StoreParams }>): string {
  const principal = principalOf(request);
  const storeId = request.params.id;
  if (!administersAll(principal) && principal.storeId !== storeId) {
    throw new AdminErrors.storeNotFound(storeId);
  }
  return storeId;
}

/**
 * The admin API (docs/admin.md): stores, their statistics and their credentials. Every route
 * needs the `admin` scope, checked as the request arrives, before its body is read.
 */
export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, options) => {
  const admin = createAdminOperations({
    store: options.store,
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  const onRequest = requireScope('admin');

  acceptEmptyDeleteBody(app);

  if (options.pipelineMonitor !== undefined) {
    await app.register(pipelineRoutes, {
      monitor: options.pipelineMonitor,
      outbox: options.store.outbox,
      ...(options.now !== undefined ? { now: options.now } : {}),
    });
  }

  app.post<{ Body: StoreBody }>(
    '/stores',
    { onRequest, schema: { body: storeBodySchema } },
    async (request, reply) => {
      if (!administersAll(principalOf(request))) {
        throw new AdminErrors.forbidden('create stores');
      }
      const created = await admin.createStore(request.body.name);
      return reply
        .status(201)
        .header('location', `${app.prefix}/stores/${created.id}`)
        .send(created);
    },
  );

  app.get('/stores', { onRequest }, async (request) => {
    const principal = principalOf(request);
    const stores = await admin.listStores();
    return {
      stores: administersAll(principal) ? stores : stores.filter((s) => s.id === principal.storeId),
    };
  });

  app.get<{ Params: StoreParams }>('/stores/:id', { onRequest }, async (request) =>
    admin.storeStats(administeredStore(request)),
  );

  app.patch<{ Params: StoreParams; Body: StoreUpdateBody }>(
    '/stores/:id',
    { onRequest, schema: { body: storeUpdateBodySchema } },
    async (request) => {
      const storeId = administeredStore(request);
      const updated = await admin.updateStore(storeId, request.body);
      // Other processes apply the new origins when their cached list expires; this one now.
      request.server.cairnOriginPolicy.forget(storeId);
      return updated;
    },
  );

  app.post<{ Params: StoreParams; Body: CredentialBody }>(
    '/stores/:id/credentials',
    { onRequest, schema: { body: credentialBodySchema } },
    async (request, reply) => {
      const created = await admin.createCredential(administeredStore(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.get<{ Params: StoreParams }>('/stores/:id/credentials', { onRequest }, async (request) => ({
    credentials: await admin.listCredentials(administeredStore(request)),
  }));

  app.delete<{ Params: CredentialParams }>(
    '/stores/:id/credentials/:key',
    { onRequest },
    async (request, reply) => {
      await admin.revokeCredential(administeredStore(request), request.params.key);
      // Other processes refuse the key when their cached verification expires; this one now.
      request.server.cairnAuthenticator.forget(request.params.key);
      return reply.status(204).send();
    },
  );
};
