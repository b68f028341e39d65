import fc from 'fast-check';
import t from 'tap';
import { validateStatement, validateStatements, type XapiVersion } from '@cairn/xapi';
import { base } from './fixtures/rule-corpus.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const versions: XapiVersion[] = ['1.0.3', '2.0.0'];

/** Every path to a property of an object in `value` (array elements included), with its value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  }
  return [];
}

const insideExtensions = (path: (string | number)[]): boolean =>
  path.slice(0, -1).includes('extensions');

function mutate(
  statement: unknown,
  path: (string | number)[],
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy: unknown = structuredClone(statement);
  let node = copy;
  for (const key of path.slice(0, -1)) {
    node = (node as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (last !== undefined) change(node as Record<string | number, unknown>, last);
  return copy;
}

const allPaths = paths(base).filter((p) => !insideExtensions(p));
const keyPaths = allPaths.filter((p) => typeof p[p.length - 1] === 'string');

t.test('the validator never throws on arbitrary JSON', async (t) => {
  const json: fc.Arbitrary<Json> = fc.jsonValue() as fc.Arbitrary<Json>;
  fc.assert(
    fc.property(json, fc.constantFrom(...versions), (value, version) => {
      validateStatement(value, version);
      validateStatements(value, version);
      validateStatement({ ...base, object: value }, version);
      validateStatement({ ...base, context: value }, version);
    }),
    { numRuns: 300 },
  );
  t.pass();
});

t.test('inserting null anywhere outside extensions is rejected', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...allPaths), fc.constantFrom(...versions), (path, version) => {
      const result = validateStatement(
        mutate(base, path, (p, k) => (p[k] = null)),
        version,
      );
      return !result.ok;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

t.test('changing the case of a key is rejected', async (t) => {
  fc.assert(
    fc.property(fc.constantFrom(...keyPaths), fc.constantFrom(...versions), (path, version) => {
      const key = String(path[path.length - 1]);
      const changed = key === key.toUpperCase() ? key.toLowerCase() : key.toUpperCase();
      fc.pre(
        changed !== key &&
          !path.includes('display') &&
          !path.includes('name') &&
          !path.includes('description'),
      );
      const mutated = mutate(base, path, (p, k) => {
        p[changed] = p[k];
        delete p[k];
      });
      return !validateStatement(mutated, version).ok;
    }),
    { numRuns: 200 },
  );
  t.pass();
});

t.test('replacing a value by one of another JSON type is rejected', async (t) => {
  const wrong = (v: unknown): unknown[] => {
    const candidates: unknown[] = [42.5, 'text', true, [1], {}];
    return candidates.filter((c) => typeof c !== typeof v || Array.isArray(c) !== Array.isArray(v));
  };
  fc.assert(
    fc.property(
      fc.constantFrom(...allPaths),
      fc.nat(),
      fc.constantFrom(...versions),
      (path, pick, version) => {
        let original: unknown = base;
        for (const key of path) original = (original as Record<string | number, unknown>)[key];
        const options = wrong(original);
        const replacement = options[pick % options.length];
        // A string where a language map or extensions object sits is wrong; an object replacing an
        // object may be valid (e.g. {} for a definition), so only cross-type changes are made.
        fc.pre(
          !(
            typeof original === 'object' &&
            typeof replacement === 'object' &&
            !Array.isArray(replacement) &&
            !Array.isArray(original)
          ),
        );
        const result = validateStatement(
          mutate(base, path, (p, k) => (p[k] = replacement)),
          version,
        );
        return !result.ok;
      },
    ),
    { numRuns: 300 },
  );
  t.pass();
});

const REQUIRED_PATHS = new Set([
  'actor',
  'verb',
  'object',
  'verb.id',
  'object.id',
  'actor.mbox',
  'context.instructor.account',
  'context.instructor.account.homePage',
  'context.instructor.account.name',
  'context.team.objectType',
  'context.team.mbox_sha1sum',
  'context.statement.objectType',
  'context.statement.id',
  'context.contextActivities.parent.0.id',
  'context.contextActivities.grouping.id',
  'object.definition.choices.0.id',
  'object.definition.choices.1.id',
  'object.definition.interactionType',
  'attachments.0.usageType',
  'attachments.0.display',
  'attachments.0.contentType',
  'attachments.0.length',
  'attachments.0.sha2',
]);

t.test(
  'deleting a required key is rejected; deleting an optional top-level key is not',
  async (t) => {
    fc.assert(
      fc.property(fc.constantFrom(...keyPaths), fc.constantFrom(...versions), (path, version) => {
        const result = validateStatement(
          mutate(base, path, (p, k) => delete p[k]),
          version,
        );
        return REQUIRED_PATHS.has(path.join('.')) ? !result.ok : true;
      }),
      { numRuns: 300 },
    );
    for (const key of ['id', 'result', 'context', 'timestamp', 'attachments']) {
      for (const version of versions) {
        t.ok(
          validateStatement(
            mutate(base, [key], (p, k) => delete p[k]),
            version,
          ).ok,
          key,
        );
      }
    }
  },
);
