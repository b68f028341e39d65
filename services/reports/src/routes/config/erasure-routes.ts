import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ErasureQueue } from '@cairn/jobs';
import {
  ErasureErrors,
  erasureIdOf,
  PeopleErrors,
  PERSON_ID_PATTERN,
  type ErasureRecord,
  type Store,
} from '@cairn/store';
import { requireScope, type Principal } from '@cairn/auth';

export interface ErasureRoutesOptions {
  readonly store: Store;
  /** Where erasures are handed to the aggregator (createErasureQueue of @cairn/jobs). */
  readonly erasures: Pick<ErasureQueue, 'enqueue'>;
  /** The clock of `requestedAt`; tests inject one. */
  readonly now?: () => Date;
}

interface IdParams {
  readonly id: string;
}

/** An erasure id, like a person id: 64 lower-case hex digits. */
const ERASURE_ID_PATTERN = /^[0-9a-f]{64}$/u;

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}

/** The audit record as the API shows it: no identifier, name or person id. */
export function erasureView(r: ErasureRecord): Record<string, unknown> {
  return {
    id: r.erasureId,
    state: r.state,
    step: r.step,
    requestedAt: r.requestedAt.toISOString(),
    requestedBy: r.requestedBy,
    finishedAt: r.finishedAt === null ? null : r.finishedAt.toISOString(),
    counts: r.counts,
  };
}

/**
 * Erasure of a person (docs/identity.md, "Erasure"), scope `admin`, the credential's own store:
 *
 * - `DELETE /people/:id` records the erasure and hands it to the aggregator, which runs it in
 *   steps beside the pipeline: 202 with the erasure and `Location: /api/v1/erasures/<id>`.
 *   Asking again for the same person answers the same erasure (202 while it runs, 200 once
 *   done) and hands a running one over again (a job Redis lost is added back).
 * - `GET /erasures/:id`: the erasure's audit record.
 */
export const erasureRoutes: FastifyPluginAsync<ErasureRoutesOptions> = async (app, options) => {
  const { store, erasures } = options;
  const now = options.now ?? (() => new Date());
  const onRequest = requireScope('admin');

  app.delete<{ Params: IdParams }>('/people/:id', { onRequest }, async (request, reply) => {
    const principal = principalOf(request);
    const { storeId } = principal;
    const personId = request.params.id;
    if (!PERSON_ID_PATTERN.test(personId)) {
      throw new PeopleErrors.invalid(
        `the person id must be 64 lowercase hexadecimal digits, got ${JSON.stringify(personId)}`,
      );
    }
    const repo = store.erasuresOf(storeId);
    let record = await repo.get(erasureIdOf(storeId, personId));
    if (record === null) {
      const person = await store.peopleOf(storeId).get(personId);
      if (person === null) throw new PeopleErrors.notFound(personId);
      ({ record } = await repo.begin({
        personId,
        identifiers: person.identifiers,
        requestedAt: now(),
        requestedBy: { credential: principal.key, label: principal.label },
      }));
    }
    if (record.state === 'pending')
      await erasures.enqueue({ storeId, erasureId: record.erasureId });
    return reply
      .code(record.state === 'done' ? 200 : 202)
      .header('location', `/api/v1/erasures/${record.erasureId}`)
      .send({ erasure: erasureView(record) });
  });

  app.get<{ Params: IdParams }>('/erasures/:id', { onRequest }, async (request) => {
    const { storeId } = principalOf(request);
    const erasureId = request.params.id;
    if (!ERASURE_ID_PATTERN.test(erasureId)) {
      throw new ErasureErrors.invalid(
        `the erasure id must be 64 lowercase hexadecimal digits, got ${JSON.stringify(erasureId)}`,
      );
    }
    const record = await store.erasuresOf(storeId).get(erasureId);
    if (record === null) throw new ErasureErrors.notFound(erasureId);
    return { erasure: erasureView(record) };
  });
};
