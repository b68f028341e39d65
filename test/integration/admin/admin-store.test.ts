import t from 'tap';
import { hashSecret } from '@cairn/auth';
import type { CredentialRecord } from '@cairn/store';
import { testResources } from '../../helpers/test-resources.js';

// The store layer under the admin operations: tenants, credentials by store, revocation, and
// statistics, each scoped by the store id.

const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-01-02T00:00:00.000Z');
const T2 = new Date('2026-01-03T00:00:00.000Z');

t.test('tenants: create makes distinct ids, list is oldest first', async (t) => {
  const { store } = await testResources(t);
  const later = await store.tenants.create('Later', T1);
  const earlier = await store.tenants.create('Earlier', T0);
  t.match(later.id, /^st_[0-9a-f]{16}$/);
  t.not(later.id, earlier.id);
  t.strictSame(await store.tenants.get(later.id), {
    id: later.id,
    name: 'Later',
    createdAt: T1,
    corsOrigins: null,
  });
  t.strictSame(await store.tenants.list(), [earlier, later]);
});

t.test('tenants: update changes only what it is given; an unknown store is null', async (t) => {
  const { store } = await testResources(t);
  const created = await store.tenants.create('Courses', T0);
  const narrowed = await store.tenants.update(created.id, { corsOrigins: ['https://a.example'] });
  t.strictSame(narrowed, { ...created, corsOrigins: ['https://a.example'] });
  const renamed = await store.tenants.update(created.id, { name: 'Courses EU' });
  t.strictSame(renamed, { ...created, name: 'Courses EU', corsOrigins: ['https://a.example'] });
  t.strictSame(await store.tenants.update(created.id, {}), renamed, 'no change: as it was');
  t.strictSame(await store.tenants.update(created.id, { corsOrigins: null }), {
    ...renamed,
    corsOrigins: null,
  });
  t.equal(await store.tenants.update('st_0000000000000000', { name: 'x' }), null);
  t.equal(await store.tenants.update('st_0000000000000000', {}), null);
  // `ensure` never touches an existing store, its CORS list included.
  await store.tenants.update(created.id, { corsOrigins: ['*'] });
  const ensured = await store.tenants.ensure(created.id, 'Other name', T1);
  t.strictSame(ensured, { ...created, name: 'Courses EU', corsOrigins: ['*'] });
});

t.test('credentials: listed per store, revoked once, never across stores', async (t) => {
  const { store } = await testResources(t);
  const [a, b] = [await store.tenants.create('A', T0), await store.tenants.create('B', T0)];
  const credential = async (key: string, storeId: string, createdAt: Date) => {
    const record: CredentialRecord = {
      key,
      storeId,
      secretHash: await hashSecret('a-secret-of-some-length'),
      scopes: ['all'],
      label: key,
      createdAt,
      revokedAt: null,
    };
    await store.credentials.upsert(record);
    return record;
  };
  const a2 = await credential('ck_a2', a.id, T1);
  const a1 = await credential('ck_a1', a.id, T0);
  const b1 = await credential('ck_b1', b.id, T0);

  t.strictSame(await store.credentials.listByStore(a.id), [a1, a2], 'oldest first');
  t.strictSame(await store.credentials.listByStore(b.id), [b1]);
  t.strictSame(await store.credentials.listByStore('st_none'), []);

  t.equal(await store.credentials.revoke(a.id, 'ck_b1', T1), false, "B's key through A");
  t.equal(await store.credentials.revoke(a.id, 'ck_none', T1), false);
  t.strictSame(await store.credentials.findByKey('ck_b1'), b1, 'unchanged');

  t.equal(await store.credentials.revoke(a.id, 'ck_a1', T1), true);
  t.equal(await store.credentials.revoke(a.id, 'ck_a1', T2), true, 'again');
  t.strictSame(
    await store.credentials.findByKey('ck_a1'),
    { ...a1, revokedAt: T1 },
    'the first revocation time stands',
  );
});

t.test('statistics count and date only the store asked about', async (t) => {
  const { store } = await testResources(t);
  const stored = (id: string, at: Date) => ({
    statementId: id,
    json: '{}',
    stored: at,
    fields: {
      verbId: 'http://adlnet.gov/expapi/verbs/completed',
      agentKeys: [],
      relatedAgentKeys: [],
      objectActivityId: null,
      relatedActivityIds: [],
      registration: null,
      voidsStatementId: null,
      refStatementId: null,
      authorityKey: 'account::x',
    },
    attachmentHashes: [],
  });
  await store
    .statementsOf('st_a')
    .insertMany([
      stored('00000000-0000-4000-8000-000000000001', T0),
      stored('00000000-0000-4000-8000-000000000002', T1),
    ]);
  await store.statementsOf('st_b').insertMany([stored('00000000-0000-4000-8000-000000000003', T2)]);
  t.strictSame(await store.statisticsOf('st_a'), { statementCount: 2, lastStored: T1 });
  t.strictSame(await store.statisticsOf('st_b'), { statementCount: 1, lastStored: T2 });
  t.strictSame(await store.statisticsOf('st_c'), { statementCount: 0, lastStored: null });
});
