import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireScope, type Principal } from '@cairn/auth';
import { definitionRecordsOf, identifierSightingsOf, type Store } from '@cairn/store';
import { mergeDefinitions, personLookupKeys, personObject, type Activity } from '@cairn/xapi';
import { CanonicalErrors } from './canonical-errors.js';
import { activityIdParam, agentParam, requiredParam } from './params.js';

/** What the Activities and Agents routes need. */
export interface CanonicalRoutesOptions {
  readonly store: Store;
}

/**
 * How many of the latest statements about an activity or agent a GET reads besides what the
 * pipeline recorded, so that what a statement says shows as soon as it is stored rather than when
 * the pipeline gets to it. Merging is idempotent, so a statement counted both ways counts once.
 */
export const RECENT_STATEMENTS = 20;

/**
 * The Activities resource (GET /activities, xAPI Communication 2.5) and the Agents resource
 * (GET /agents, 2.4): the canonical definition of an activity and the Person Object of an agent,
 * built from the statements of the caller's store. Both are derived from statements written by
 * any credential, so reading them needs `statements/read` (which `all/read`, `all` and `admin`
 * imply): a credential limited to its own statements must not learn other writers' agents.
 */
export const canonicalRoutes: FastifyPluginAsync<CanonicalRoutesOptions> = async (app, options) => {
  const { store } = options;
  const scope = requireScope('statements/read', 'read');

  app.get('/activities', { preHandler: scope }, async (request): Promise<Activity> => {
    const activityId = activityIdParam(requiredParam(queryOf(request), 'activityId'));
    const storeId = principalOf(request).storeId;
    const [recorded, recent] = await Promise.all([
      store.activitiesOf(storeId).definitionsOf(activityId),
      store.statementsOf(storeId).latestAbout({ activityId }, RECENT_STATEMENTS),
    ]);
    const carried = definitionRecordsOf(recent).filter((d) => d.activityId === activityId);
    const definition = mergeDefinitions([...recorded, ...carried]);
    // "If an LRS does not have a canonical definition of the Activity to return, the LRS SHOULD*
    // still return an Activity Object when queried" (2.5.s2.b1).
    return { objectType: 'Activity', id: activityId, ...(definition ? { definition } : {}) };
  });

  app.get('/agents', { preHandler: scope }, async (request) => {
    const agent = agentParam(requiredParam(queryOf(request), 'agent'), request.xapiVersion);
    const keys = personLookupKeys(agent);
    const storeId = principalOf(request).storeId;
    const [people, recent] = await Promise.all([
      store.peopleOf(storeId).findByIdentifiers(keys),
      store.statementsOf(storeId).latestAbout({ agentKeys: keys }, RECENT_STATEMENTS),
    ]);
    const mentioned = identifierSightingsOf(recent)
      .filter((s) => s.lookupKeys.some((k) => keys.includes(k)))
      .map((s) => ({ ifis: [s.ifi], names: s.names }));
    return personObject(agent, [...people, ...mentioned]);
  });

  // Only for the 1.0.x alternate request syntax (POST ?method=GET), which the /xapi scope's hook
  // replays as a GET before this handler runs; any other POST is refused.
  for (const path of ['/activities', '/agents']) {
    app.post(path, async (_request, reply) => {
      void reply.header('Allow', 'GET, HEAD');
      throw new CanonicalErrors.methodNotAllowed(path);
    });
  }
};

function queryOf(request: FastifyRequest): Readonly<Record<string, unknown>> {
  return request.query as Record<string, unknown>;
}

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}
