import fc from 'fast-check';
import t from 'tap';
import { ALL_SCOPES, CAIRN_SCOPES, hasScope, isScope, XAPI_SCOPES, type Scope } from '@cairn/auth';

const XAPI_ONLY: readonly Scope[] = XAPI_SCOPES;

/**
 * The whole implication table, written out: what a credential holding only the key scope may
 * do, for a read-write request and (additionally) for a read-only one.
 */
const IMPLIES: Record<Scope, { readWrite: readonly Scope[]; readOnly: readonly Scope[] }> = {
  'statements/write': { readWrite: ['statements/write'], readOnly: [] },
  'statements/read': { readWrite: ['statements/read', 'statements/read/mine'], readOnly: [] },
  'statements/read/mine': { readWrite: ['statements/read/mine'], readOnly: [] },
  'all/read': {
    readWrite: ['all/read', 'statements/read', 'statements/read/mine'],
    readOnly: ['all', 'state', 'define', 'profile'],
  },
  all: { readWrite: XAPI_ONLY, readOnly: [] },
  state: { readWrite: ['state'], readOnly: [] },
  define: { readWrite: ['define'], readOnly: [] },
  profile: { readWrite: ['profile'], readOnly: [] },
  'reports:cohort': { readWrite: ['reports:cohort'], readOnly: [] },
  'reports:person': { readWrite: ['reports:person'], readOnly: [] },
  admin: { readWrite: ALL_SCOPES, readOnly: [] },
};

t.test(
  'each single scope implies exactly what the table says, for both kinds of access',
  async (t) => {
    for (const held of ALL_SCOPES) {
      const rule = IMPLIES[held];
      for (const needed of ALL_SCOPES) {
        const readWrite = rule.readWrite.includes(needed);
        const read = readWrite || rule.readOnly.includes(needed);
        t.equal(hasScope({ scopes: [held] }, needed), readWrite, `${held} -> ${needed}`);
        t.equal(
          hasScope({ scopes: [held] }, needed, 'read-write'),
          readWrite,
          `${held} -> ${needed} (read-write)`,
        );
        t.equal(hasScope({ scopes: [held] }, needed, 'read'), read, `${held} -> ${needed} (read)`);
      }
    }
  },
);

t.test('xAPI scopes never imply Cairn scopes; only admin does', async (t) => {
  for (const needed of CAIRN_SCOPES) {
    t.equal(hasScope({ scopes: [...XAPI_SCOPES] }, needed), false, `all xAPI scopes -> ${needed}`);
    t.equal(hasScope({ scopes: [...XAPI_SCOPES] }, needed, 'read'), false);
    t.equal(hasScope({ scopes: ['admin'] }, needed), true);
  }
});

t.test('all/read never allows writing statements, even when asked as a read', async (t) => {
  t.equal(hasScope({ scopes: ['all/read'] }, 'statements/write'), false);
  t.equal(hasScope({ scopes: ['all/read'] }, 'statements/write', 'read'), false);
});

t.test('no scopes, no access', async (t) => {
  for (const needed of ALL_SCOPES) {
    t.equal(hasScope({ scopes: [] }, needed), false);
    t.equal(hasScope({ scopes: [] }, needed, 'read'), false);
  }
});

const scopeSet = fc.uniqueArray(fc.constantFrom(...ALL_SCOPES));
const scope = fc.constantFrom(...ALL_SCOPES);
const access = fc.constantFrom('read' as const, 'read-write' as const);

t.test('holding more scopes never takes a permission away', async (t) => {
  fc.assert(
    fc.property(scopeSet, scopeSet, scope, access, (a, b, needed, how) => {
      return (
        !hasScope({ scopes: a }, needed, how) || hasScope({ scopes: [...a, ...b] }, needed, how)
      );
    }),
  );
  t.pass();
});

t.test('whatever allows a read-write request allows a read-only one', async (t) => {
  fc.assert(
    fc.property(scopeSet, scope, (held, needed) => {
      return !hasScope({ scopes: held }, needed) || hasScope({ scopes: held }, needed, 'read');
    }),
  );
  t.pass();
});

t.test('a set of scopes allows what one of its members allows, and nothing else', async (t) => {
  fc.assert(
    fc.property(scopeSet, scope, access, (held, needed, how) => {
      const any = held.some((one) => hasScope({ scopes: [one] }, needed, how));
      return hasScope({ scopes: held }, needed, how) === any;
    }),
  );
  t.pass();
});

t.test('isScope accepts exactly the known scopes', async (t) => {
  for (const known of ALL_SCOPES) t.equal(isScope(known), true, known);
  for (const unknown of [
    '',
    'ALL',
    'statements',
    'statements/read/',
    'reports',
    'admin ',
    'root',
  ]) {
    t.equal(isScope(unknown), false, JSON.stringify(unknown));
  }
});
