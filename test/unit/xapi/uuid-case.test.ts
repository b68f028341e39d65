// UUIDs are case-insensitive on input and output in lower case (RFC 4122): Cairn stores a
// statement's id, StatementRef ids and registrations in lower case, so that every later lookup,
// whatever case it uses, finds them.
import fc from 'fast-check';
import t from 'tap';
import { lowerCaseUuids, type Statement } from '@cairn/xapi';

const UPPER = 'ABCDEF12-3456-4789-ABCD-EF0123456789';
const LOWER = UPPER.toLowerCase();

const base: Statement = {
  actor: { objectType: 'Agent', mbox: 'mailto:Ann@Example.COM' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
  object: { objectType: 'Activity', id: 'https://example.com/Courses/SAFETY' },
};

t.test('the id, a StatementRef object, context.statement and registration', async (t) => {
  const s: Statement = {
    ...base,
    id: UPPER,
    object: { objectType: 'StatementRef', id: UPPER },
    context: { registration: UPPER, statement: { objectType: 'StatementRef', id: UPPER } },
  };
  t.same(lowerCaseUuids(s), {
    ...base,
    id: LOWER,
    object: { objectType: 'StatementRef', id: LOWER },
    context: { registration: LOWER, statement: { objectType: 'StatementRef', id: LOWER } },
  });
  t.equal(s.id, UPPER, 'the input is not modified');
});

t.test('inside a SubStatement too', async (t) => {
  const s: Statement = {
    ...base,
    object: {
      objectType: 'SubStatement',
      actor: base.actor,
      verb: base.verb,
      object: { objectType: 'StatementRef', id: UPPER },
      context: { registration: UPPER },
    },
  };
  t.same(lowerCaseUuids(s).object, {
    ...s.object,
    object: { objectType: 'StatementRef', id: LOWER },
    context: { registration: LOWER },
  });
});

t.test('nothing else changes case: IRIs, mailboxes and activity ids are not UUIDs', async (t) => {
  const s: Statement = { ...base, id: UPPER };
  const out = lowerCaseUuids(s);
  t.same(out.actor, base.actor);
  t.same(out.object, base.object);
  t.equal(out.object, s.object, 'untouched parts are the same objects');
});

t.test('already lower case: the very same statement comes back', async (t) => {
  const s: Statement = {
    ...base,
    id: LOWER,
    context: { registration: LOWER, statement: { objectType: 'StatementRef', id: LOWER } },
  };
  t.equal(lowerCaseUuids(s), s);
});

t.test('idempotent, and no upper-case hex digit survives in any UUID field', async () => {
  const uuid = fc
    .uuid()
    .chain((u) =>
      fc
        .array(fc.boolean(), { minLength: u.length, maxLength: u.length })
        .map((ups) => [...u].map((c, i) => (ups[i] === true ? c.toUpperCase() : c)).join('')),
    );
  fc.assert(
    fc.property(uuid, uuid, uuid, fc.boolean(), (id, ref, registration, sub) => {
      const object: Statement['object'] = sub
        ? {
            objectType: 'SubStatement',
            actor: base.actor,
            verb: base.verb,
            object: { objectType: 'StatementRef', id: ref },
            context: { registration },
          }
        : { objectType: 'StatementRef', id: ref };
      const s: Statement = { ...base, id, object, context: { registration } };
      const once = lowerCaseUuids(s);
      const inner = once.object.objectType === 'SubStatement' ? once.object : undefined;
      const target = inner === undefined ? once.object : inner.object;
      const uuids = [
        once.id,
        once.context?.registration,
        target.objectType === 'StatementRef' ? target.id : undefined,
        inner?.context?.registration,
      ];
      return (
        lowerCaseUuids(once) === once &&
        uuids.every((u) => u === undefined || u === u.toLowerCase())
      );
    }),
  );
});
