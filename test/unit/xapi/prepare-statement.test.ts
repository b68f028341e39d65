import fc from 'fast-check';
import t from 'tap';
import { prepareStatement, type Agent, type PrepareOptions, type Statement } from '@cairn/xapi';

const authority: Agent = {
  objectType: 'Agent',
  account: { homePage: 'https://lrs.example.com', name: 'client-1' },
};
const stored = new Date('2024-05-01T10:00:00.123Z');
const options = (
  version: PrepareOptions['version'],
  id = 'b1e0e1a8-0000-4000-8000-000000000001',
): PrepareOptions => ({
  id: () => id,
  stored,
  authority,
  version,
});

const minimal: Statement = {
  actor: { mbox: 'mailto:a@example.com' },
  verb: { id: 'http://example.com/verbs/did' },
  object: { id: 'http://example.com/activities/a' },
};

t.test('assigns id, stored, timestamp, authority and version', async (t) => {
  t.same(prepareStatement(minimal, options('1.0.3')), {
    ...minimal,
    id: 'b1e0e1a8-0000-4000-8000-000000000001',
    timestamp: '2024-05-01T10:00:00.123Z',
    stored: '2024-05-01T10:00:00.123Z',
    authority,
    version: '1.0.0',
  });
  t.equal(prepareStatement(minimal, options('2.0.0')).version, '2.0.0');
  t.equal(prepareStatement({ ...minimal, version: '1.0.2' }, options('1.0.3')).version, '1.0.2');
});

t.test('keeps a given id, replaces authority and stored', async (t) => {
  const given: Statement = {
    ...minimal,
    id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
    stored: '2000-01-01T00:00:00Z',
    authority: { mbox: 'mailto:liar@example.com' },
  };
  const prepared = prepareStatement(given, options('1.0.3'));
  t.equal(prepared.id, given.id);
  t.equal(prepared.stored, '2024-05-01T10:00:00.123Z');
  t.same(prepared.authority, authority);
  t.equal(given.stored, '2000-01-01T00:00:00Z', 'the input is not modified');
});

t.test('timestamps: kept in 1.0.x, converted to UTC in 2.0', async (t) => {
  const s: Statement = { ...minimal, timestamp: '2015-11-18T12:17:00+01:30' };
  t.equal(prepareStatement(s, options('1.0.3')).timestamp, '2015-11-18T12:17:00+01:30');
  t.equal(prepareStatement(s, options('2.0.0')).timestamp, '2015-11-18T10:47:00.000Z');
  const sub: Statement = {
    ...minimal,
    object: {
      objectType: 'SubStatement',
      actor: minimal.actor,
      verb: minimal.verb,
      object: { id: 'urn:a' },
      timestamp: '2030-01-01T00:00:00-05:00',
    },
  };
  const prepared = prepareStatement(sub, options('2.0.0'));
  t.equal(
    prepared.object.objectType === 'SubStatement' ? prepared.object.timestamp : undefined,
    '2030-01-01T05:00:00.000Z',
  );
  t.equal(
    prepareStatement({ ...minimal, timestamp: '2015-11-18T12:17:00.123456Z' }, options('2.0.0'))
      .timestamp,
    '2015-11-18T12:17:00.123456Z',
    'UTC timestamps keep their precision',
  );
});

t.test('context activities become arrays', async (t) => {
  const s: Statement = {
    ...minimal,
    context: { contextActivities: { parent: { id: 'urn:p' }, other: [{ id: 'urn:o' }] } },
  };
  t.same(prepareStatement(s, options('1.0.3')).context, {
    contextActivities: { parent: [{ id: 'urn:p' }], other: [{ id: 'urn:o' }] },
  });
});

t.test('property: idempotent on an already prepared statement with the same inputs', async (t) => {
  const offset = fc.constantFrom('Z', '+00:00', '+05:30', '-08:00', '');
  const instant = fc.date({
    min: new Date('1990-01-01'),
    max: new Date('2090-01-01'),
    noInvalidDate: true,
  });
  fc.assert(
    fc.property(
      fc.option(instant, { nil: undefined }),
      offset,
      fc.constantFrom<PrepareOptions['version']>('1.0.0', '1.0.3', '2.0.0'),
      fc.option(fc.constantFrom('1.0.0', '1.0.3'), { nil: undefined }),
      fc.boolean(),
      (when, zone, version, statementVersion, single) => {
        const s: Statement = {
          ...minimal,
          ...(when === undefined ? {} : { timestamp: when.toISOString().replace('Z', zone) }),
          ...(statementVersion === undefined ? {} : { version: statementVersion }),
          context: {
            contextActivities: { grouping: single ? { id: 'urn:g' } : [{ id: 'urn:g' }] },
          },
        };
        const once = prepareStatement(s, options(version));
        const twice = prepareStatement(once, options(version, 'another-id'));
        return JSON.stringify(twice) === JSON.stringify(once);
      },
    ),
    { numRuns: 200 },
  );
  t.pass();
});
