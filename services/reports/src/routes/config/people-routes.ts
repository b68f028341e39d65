import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireScope, type Principal } from '@cairn/auth';
import {
  canonicalIdentifierKey,
  directoryFromCsv,
  directoryFromJson,
  importDirectory,
  PeopleErrors,
  PERSON_ID_PATTERN,
  TOTAL_FIELDS,
  totalsPerSkill,
  type IdentityActor,
  type PersonRecord,
  type Store,
} from '@cairn/store';

export interface PeopleRoutesOptions {
  readonly store: Store;
}

interface PersonParams {
  readonly id: string;
}

interface MergeBody {
  readonly people: readonly string[];
}

interface SplitBody {
  readonly identifiers: readonly string[];
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;
const MAX_IDENTIFIERS_PER_QUERY = 100;
const DAY = /^\d{4}-\d{2}-\d{2}$/u;

// Shapes only; the values (person ids, identifier keys) are checked below, naming the bad one.
const mergeBodySchema = {
  type: 'object',
  properties: { people: { type: 'array', items: { type: 'string' }, maxItems: 1000 } },
  required: ['people'],
  additionalProperties: false,
} as const;

const splitBodySchema = {
  type: 'object',
  properties: { identifiers: { type: 'array', items: { type: 'string' }, maxItems: 1000 } },
  required: ['identifiers'],
  additionalProperties: false,
} as const;

function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new Error('route reached without authentication');
  return request.principal;
}

function actorOf(principal: Principal): IdentityActor {
  return { credential: principal.key, label: principal.label };
}

function personId(value: string, where: string): string {
  if (!PERSON_ID_PATTERN.test(value)) {
    throw new PeopleErrors.invalid(
      `${where} must be a person id (64 lowercase hexadecimal digits), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A query parameter given once, or undefined; an array (given twice) is a 400. */
function single(query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new PeopleErrors.invalid(`query parameter ${name} must be given at most once`);
}

function day(query: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = single(query, name);
  if (value !== undefined && !DAY.test(value)) {
    throw new PeopleErrors.invalid(`query parameter ${name} must be a date YYYY-MM-DD`);
  }
  return value;
}

function personView(p: PersonRecord): Record<string, unknown> {
  return { id: p.personId, identifiers: p.identifiers, names: p.names };
}

/**
 * People and identity (docs/identity.md): find people by identifier, read one with its directory
 * memberships, merge and split them, import a directory, read a person's audit trail and skill
 * totals. Every route needs the `admin` scope and works on the credential's own store.
 */
export const peopleRoutes: FastifyPluginAsync<PeopleRoutesOptions> = async (app, options) => {
  const { store } = options;
  const onRequest = requireScope('admin');

  // directory.csv as it is: the import parses it (RFC 4180) and names the line of any error.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => {
    done(null, body);
  });

  app.get('/people', { onRequest }, async (request) => {
    const people = store.peopleOf(principalOf(request).storeId);
    const query = request.query as Readonly<Record<string, unknown>>;
    const unknown = Object.keys(query).filter((k) => !['identifier', 'after', 'limit'].includes(k));
    if (unknown.length > 0) {
      throw new PeopleErrors.invalid(`unknown query parameter ${unknown.join(', ')}`);
    }
    const raw = query['identifier'];
    if (raw !== undefined) {
      const given = typeof raw === 'string' ? [raw] : (raw as string[]);
      if (given.length > MAX_IDENTIFIERS_PER_QUERY) {
        throw new PeopleErrors.invalid(
          `at most ${MAX_IDENTIFIERS_PER_QUERY} identifier parameters per request`,
        );
      }
      const keys = given.map((value) => {
        const key = canonicalIdentifierKey(value);
        if (key === undefined) {
          throw new PeopleErrors.invalid(
            `identifier ${JSON.stringify(value)} is not an identifier key ` +
              '(mbox::mailto:..., sha1::<hex>, openid::<uri>, account::<homePage>::<name>)',
          );
        }
        return key;
      });
      return { people: (await people.findByIdentifiers(keys)).map(personView), next: null };
    }
    const after = single(query, 'after');
    const limitText = single(query, 'limit');
    const limit = limitText === undefined ? DEFAULT_PAGE : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new PeopleErrors.invalid(`query parameter limit must be an integer 1..${MAX_PAGE}`);
    }
    const page = await people.list({
      ...(after === undefined ? {} : { after: personId(after, 'query parameter after') }),
      limit,
    });
    return { people: page.people.map(personView), next: page.next };
  });

  app.get<{ Params: PersonParams }>('/people/:id', { onRequest }, async (request) => {
    const storeId = principalOf(request).storeId;
    const id = personId(request.params.id, 'the path');
    const person = await store.peopleOf(storeId).get(id);
    if (person === null) throw new PeopleErrors.notFound(id);
    const memberships = await store.membershipsOf(storeId).ofIdentifiers(person.identifiers);
    return { ...personView(person), memberships };
  });

  app.post<{ Body: MergeBody }>(
    '/people/merge',
    { onRequest, schema: { body: mergeBodySchema } },
    async (request) => {
      const principal = principalOf(request);
      const ids = request.body.people.map((id, i) => personId(id, `people[${i}]`));
      const people = store.peopleOf(principal.storeId);
      const change = await people.merge(ids, actorOf(principal));
      const person = await people.get(change.plan.to);
      return { change, person: person === null ? null : personView(person) };
    },
  );

  app.post<{ Params: PersonParams; Body: SplitBody }>(
    '/people/:id/split',
    { onRequest, schema: { body: splitBodySchema } },
    async (request, reply) => {
      const principal = principalOf(request);
      const id = personId(request.params.id, 'the path');
      const people = store.peopleOf(principal.storeId);
      const change = await people.split(id, request.body.identifiers, actorOf(principal));
      const [kept, created] = await Promise.all([people.get(id), people.get(change.plan.to)]);
      return reply
        .status(201)
        .header('location', `${app.prefix}/people/${change.plan.to}`)
        .send({
          change,
          person: kept === null ? null : personView(kept),
          created: created === null ? null : personView(created),
        });
    },
  );

  app.post('/directory', { onRequest }, async (request) => {
    const principal = principalOf(request);
    const body: unknown = request.body;
    const directory = typeof body === 'string' ? directoryFromCsv(body) : directoryFromJson(body);
    return importDirectory(
      store.peopleOf(principal.storeId),
      store.membershipsOf(principal.storeId),
      directory,
      actorOf(principal),
    );
  });

  app.get<{ Params: PersonParams }>('/people/:id/audit', { onRequest }, async (request) => {
    const id = personId(request.params.id, 'the path');
    const people = store.peopleOf(principalOf(request).storeId);
    const audit = await people.audit(id);
    // A person merged away has no identifiers left but keeps its trail; one never changed has
    // identifiers and an empty trail; any other id names nobody.
    if (audit.length === 0 && (await people.get(id)) === null) {
      throw new PeopleErrors.notFound(id);
    }
    return { audit };
  });

  app.get<{ Params: PersonParams }>('/people/:id/skills', { onRequest }, async (request) => {
    const id = personId(request.params.id, 'the path');
    const query = request.query as Readonly<Record<string, unknown>>;
    const unknown = Object.keys(query).filter((k) => !['from', 'to', 'skill'].includes(k));
    if (unknown.length > 0) {
      throw new PeopleErrors.invalid(`unknown query parameter ${unknown.join(', ')}`);
    }
    const from = day(query, 'from');
    const to = day(query, 'to');
    const skill = single(query, 'skill');
    const days = await store.peopleOf(principalOf(request).storeId).personSkillDays(id, {
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...(skill === undefined ? {} : { skill }),
    });
    if (days === null) throw new PeopleErrors.notFound(id);
    // Sums are int64 fixed point: decimal strings, since JSON numbers lose digits beyond 2^53.
    const skills = [...totalsPerSkill(days).entries()].map(([name, totals]) => ({
      skill: name,
      ...Object.fromEntries(TOTAL_FIELDS.map((f) => [f, totals[f].toString()])),
    }));
    return { person: id, skills };
  });
};
