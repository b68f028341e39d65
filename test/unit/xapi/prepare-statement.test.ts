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

t.test(
  'timestamps with a space or lower-case t/z: kept in 1.0.x, canonical UTC in 2.0',
  async (t) => {
    for (const [sent, utc] of [
      ['2008-09-15 15:53:00.601+00:00', '2008-09-15T15:53:00.601Z'],
      ['2008-09-15 15:53:00.601Z', '2008-09-15T15:53:00.601Z'],
      ['2008-09-15t15:53:00.601z', '2008-09-15T15:53:00.601Z'],
      ['2008-09-15T15:53:00.601z', '2008-09-15T15:53:00.601Z'],
      ['2008-09-15 17:53:00+02:00', '2008-09-15T15:53:00.000Z'],
      ['2008-09-15 15:53:00', '2008-09-15T15:53:00.000Z'],
    ] as const) {
      const s: Statement = { ...minimal, timestamp: sent };
      t.equal(prepareStatement(s, options('1.0.3')).timestamp, sent, `1.0.3 keeps ${sent}`);
      const prepared = prepareStatement(s, options('2.0.0'));
      t.equal(prepared.timestamp, utc, `2.0 converts ${sent}`);
      t.equal(prepareStatement(prepared, options('2.0.0')).timestamp, utc, 'and keeps it after');
    }
    const sub: Statement = {
      ...minimal,
      object: {
        objectType: 'SubStatement',
        actor: minimal.actor,
        verb: minimal.verb,
        object: { id: 'urn:a' },
        timestamp: '2030-01-01 00:00:00z',
      },
    };
    const prepared = prepareStatement(sub, options('2.0.0'));
    t.equal(
      prepared.object.objectType === 'SubStatement' ? prepared.object.timestamp : undefined,
      '2030-01-01T00:00:00.000Z',
    );
  },
);

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
  const offset = fc.constantFrom('Z', 'z', '+00:00', '+05:30', '-08:00', '');
  const separator = fc.constantFrom('T', 't', ' ');
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
      separator,
      (when, zone, version, statementVersion, single, sep) => {
        const timestamp = (at: Date): string =>
          at.toISOString().replace('T', sep).replace('Z', zone);
        const s: Statement = {
          ...minimal,
          ...(when === undefined ? {} : { timestamp: timestamp(when) }),
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
