import fc from 'fast-check';
import t from 'tap';
import { statementsEqual, type Statement } from '@cairn/xapi';
import { base } from './fixtures/rule-corpus.js';
import { validateStatement } from '@cairn/xapi';

function valid(value: unknown): Statement {
  const result = validateStatement(value, '2.0.0');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const a = valid(base);
const withGroup = valid({
  ...base,
  actor: {
    objectType: 'Group',
    name: 'G',
    member: [{ mbox: 'mailto:x@example.com' }, { openid: 'https://openid.example.com/y' }],
  },
});

/** Changes that the Statement Comparison Requirements (xAPI-Data 2.3.1) say to ignore. */
const ignored: [string, (s: Statement) => Statement][] = [
  ['authority', (s) => ({ ...s, authority: { mbox: 'mailto:lrs@example.com' } })],
  ['stored', (s) => ({ ...s, stored: '2030-01-01T00:00:00.000Z' })],
  ['version', (s) => ({ ...s, version: '1.0.3' })],
  ['id absent', ({ id: _id, ...s }) => s],
  ['timestamp absent', ({ timestamp: _t, ...s }) => s],
  ['timestamp in UTC', (s) => ({ ...s, timestamp: '2024-02-29T21:59:59.123Z' })],
  ['timestamp with extra precision', (s) => ({ ...s, timestamp: '2024-02-29T21:59:59.1239Z' })],
  ['verb display', (s) => ({ ...s, verb: { id: s.verb.id, display: { fr: 'répondu' } } })],
  ['activity definition', (s) => ({ ...s, object: { id: 'http://example.com/activities/q1' } })],
  [
    'context activity definitions and single vs array',
    (s) => ({
      ...s,
      context: {
        ...s.context,
        contextActivities: {
          parent: { id: 'http://example.com/activities/test', definition: { name: { en: 'T' } } },
          grouping: [{ id: 'http://example.com/activities/course', objectType: 'Activity' }],
        },
      },
    }),
  ],
  [
    'mbox domain case',
    (s) => ({ ...s, actor: { ...s.actor, mbox: 'mailto:learner@EXAMPLE.com' } }),
  ],
  [
    'duration precision beyond 0.01 s',
    (s) => ({ ...s, result: { ...s.result, duration: 'PT1M30.509S' } }),
  ],
  [
    'actor objectType Agent absent',
    (s) => ({ ...s, actor: { name: 'Learner', mbox: 'mailto:learner@example.com' } }),
  ],
];

/** Changes that make a different statement. */
const significant: [string, (s: Statement) => Statement][] = [
  ['id', (s) => ({ ...s, id: '00000000-0000-4000-8000-000000000000' })],
  ['timestamp instant', (s) => ({ ...s, timestamp: '2024-02-29T21:59:59.124Z' })],
  ['verb id', (s) => ({ ...s, verb: { id: 'http://example.com/verbs/other' } })],
  ['object id', (s) => ({ ...s, object: { id: 'http://example.com/activities/q2' } })],
  ['actor name', (s) => ({ ...s, actor: { ...s.actor, name: 'Someone' } })],
  [
    'mbox local part case',
    (s) => ({ ...s, actor: { ...s.actor, mbox: 'mailto:Learner@example.com' } }),
  ],
  ['result', (s) => ({ ...s, result: { ...s.result, success: false } })],
  ['duration as a string', (s) => ({ ...s, result: { ...s.result, duration: 'PT90.5S' } })],
  [
    'extension value',
    (s) => ({ ...s, context: { ...s.context, extensions: { 'urn:example:ctx': 'w' } } }),
  ],
  ['attachments', ({ attachments: _a, ...s }) => s],
  [
    'registration',
    (s) => ({
      ...s,
      context: { ...s.context, registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f8' },
    }),
  ],
];

t.test('ignores exactly what the spec lists', async (t) => {
  for (const [name, change] of ignored) t.ok(statementsEqual(a, change(a)), `ignores ${name}`);
  for (const [name, change] of significant) t.notOk(statementsEqual(a, change(a)), `sees ${name}`);
});

t.test('group members are unordered', async (t) => {
  const members = withGroup.actor.objectType === 'Group' ? (withGroup.actor.member ?? []) : [];
  const reversed = {
    ...withGroup,
    actor: { ...withGroup.actor, objectType: 'Group' as const, member: [...members].reverse() },
  };
  t.ok(statementsEqual(withGroup, reversed));
});

t.test('properties: reflexive, symmetric, and blind to the ignored fields', async (t) => {
  const change = fc.constantFrom(...ignored, ...significant);
  fc.assert(
    fc.property(change, change, ([, f], [, g]) => {
      const x = f(a);
      const y = g(a);
      return (
        statementsEqual(x, x) &&
        statementsEqual(x, structuredClone(x)) &&
        statementsEqual(x, y) === statementsEqual(y, x)
      );
    }),
  );
  fc.assert(
    fc.property(fc.subarray(ignored.filter(([n]) => !n.startsWith('timestamp'))), (changes) =>
      statementsEqual(
        a,
        changes.reduce((s, [, f]) => f(s), a),
      ),
    ),
  );
  t.pass();
});
