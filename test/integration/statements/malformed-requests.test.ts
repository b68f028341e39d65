// Whatever a client sends to /xapi/statements, the LRS answers it: never a 5xx, every error a JSON
// body with a catalogue code and a message, the version header on every response, and nothing
// stored by a request that failed. Requests are drawn at random by fast-check around the shapes
// clients get wrong (statements with one part replaced by arbitrary JSON, stray and malformed
// query parameters, content types, version headers); a failure prints the request that broke it.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';

const STATEMENTS = '/xapi/statements';

const VALID = {
  actor: { objectType: 'Agent', mbox: 'mailto:ann@example.com' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { objectType: 'Activity', id: 'https://example.com/courses/safety' },
};

/** A valid statement with the value at one path replaced: the mistakes clients make. */
const PATHS = [
  'id',
  'actor',
  'actor.mbox',
  'actor.objectType',
  'verb',
  'verb.id',
  'verb.display',
  'object',
  'object.objectType',
  'object.id',
  'object.definition',
  'result',
  'context',
  'timestamp',
  'stored',
  'authority',
  'version',
  'attachments',
] as const;

function withValueAt(path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(VALID) as Record<string, unknown>;
  const [head = '', leaf] = path.split('.');
  if (leaf === undefined) copy[head] = value;
  else (copy[head] as Record<string, unknown>)[leaf] = value;
  return copy;
}

const mutatedStatement = fc
  .tuple(fc.constantFrom(...PATHS), fc.jsonValue())
  .map(([path, value]) => withValueAt(path, value));

const nested = fc
  .integer({ min: 50, max: 5000 })
  .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

const body = fc.oneof(
  mutatedStatement.map((s) => JSON.stringify(s)),
  fc.array(mutatedStatement, { maxLength: 3 }).map((a) => JSON.stringify(a)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  nested,
  fc.constantFrom(
    '',
    '{',
    '[{"actor":',
    '--x\r\nContent-Type: application/json\r\n\r\n{}\r\n',
    '--x\r\nContent-Type: application/json\r\n\r\n[]\r\n--x--',
  ),
);

const PARAMS = [
  'statementId',
  'voidedStatementId',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
  'method',
  'more',
  'content',
  'Authorization',
  'Content-Type',
  'X-Experience-API-Version',
] as const;

const paramValue = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constantFrom(
    'true',
    'false',
    '0',
    '-1',
    '1e400',
    '2024-13-45T99:00:00Z',
    '00000000-0000-0000-0000-000000000000',
    'c9d1a1b4-7f3e-4b8a-9c2d-1e5f6a7b8c9d',
    '{"mbox":"mailto:a@b.c"}',
    '{"objectType":"Group"}',
    'POST',
    'PUT',
    'GET',
    'canonical',
  ),
);

/** Mostly plausible, so that requests get past the first check and reach the deeper ones. */
const query = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  {
    arbitrary: fc
      .dictionary(fc.constantFrom(...PARAMS), paramValue, { maxKeys: 3 })
      .map((d) => new URLSearchParams(d).toString()),
    weight: 4,
  },
  {
    arbitrary: fc
      .dictionary(fc.string(), fc.string(), { maxKeys: 2 })
      .map((d) => new URLSearchParams(d).toString()),
    weight: 1,
  },
  // Not encoded at all: stray `%`, `&`, `=` and non-ASCII reach the query parser as they are.
  {
    arbitrary: fc.tuple(fc.constantFrom(...PARAMS), fc.string()).map(([k, v]) => `${k}=${v}`),
    weight: 1,
  },
);

const request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT'),
  query,
  body: fc.option(body, { nil: undefined, freq: 8 }),
  contentType: fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        undefined,
        'application/json; charset=utf-8',
        'multipart/mixed; boundary=x',
        'multipart/mixed',
        'application/x-www-form-urlencoded',
        'text/plain',
        'application/octet-stream',
      ),
      weight: 3,
    },
    { arbitrary: fc.string(), weight: 1 },
  ),
  version: fc.oneof(
    { arbitrary: fc.constantFrom('1.0.3', '2.0.0'), weight: 6 },
    { arbitrary: fc.constantFrom(undefined, '1.0', '2.0', '0.9', '3.0.0', ''), weight: 3 },
    { arbitrary: fc.string(), weight: 1 },
  ),
});

type Drawn = typeof request extends fc.Arbitrary<infer R> ? R : never;

/** Header values a client could send (no control characters): the rest never leave the client. */
const sendable = (value: string): boolean => /^[\x20-\x7e]*$/.test(value);

t.test('no request to /xapi/statements gets a 5xx or stores anything when it fails', async (t) => {
  const r = await buildTestApp(t);
  const authorization = await basicAuth(r.store, 'default', ['all']);

  /** Every statement a GET lists now, following `more`. */
  const listAll = async (): Promise<Set<string>> => {
    const ids = new Set<string>();
    let url = `${STATEMENTS}?limit=0`;
    while (url !== '') {
      const res = await r.app.inject({
        method: 'GET',
        url,
        headers: { authorization, 'x-experience-api-version': '2.0.0' },
      });
      const page = res.json<{ statements: { id: string }[]; more: string }>();
      for (const s of page.statements) ids.add(s.id);
      url = page.more;
    }
    return ids;
  };

  const send = async (d: Drawn) => {
    const headers: Record<string, string> = { authorization };
    if (d.contentType !== undefined && sendable(d.contentType))
      headers['content-type'] = d.contentType;
    if (d.version !== undefined && sendable(d.version))
      headers['x-experience-api-version'] = d.version;
    const options: InjectOptions = {
      method: d.method,
      url: `${STATEMENTS}?${d.query}`,
      headers,
      ...(d.body !== undefined && d.method !== 'GET' && d.method !== 'HEAD'
        ? { payload: d.body }
        : {}),
    };
    return r.app.inject(options);
  };

  let stored = await listAll();
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(request, async (d) => {
      const res = await send(d);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode >= 500) return false;
      if (res.headers['x-experience-api-version'] === undefined) return false;
      const isWrite = d.method === 'POST' || d.method === 'PUT';
      const before = stored;
      if (isWrite) stored = await listAll();
      if (res.statusCode < 400) return true;
      // A failed request stored nothing.
      if ([...stored].some((id) => !before.has(id))) return false;
      if (d.method === 'HEAD') return res.body === '';
      const error = res.json<{ code?: unknown; message?: unknown }>();
      return typeof error.code === 'string' && typeof error.message === 'string';
    }),
    { numRuns: 300 },
  );
  const failed = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
  t.ok(failed > 150, `most drawn requests are bad ones: ${JSON.stringify([...statuses])}`);
});
