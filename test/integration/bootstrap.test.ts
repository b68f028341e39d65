import t from 'tap';
import { ALL_SCOPES, verifySecret } from '@cairn/auth';
import { bootstrap } from '@cairn/lrs';
import { COLLECTIONS, DEFAULT_STORE_ID } from '@cairn/store';
import { testResources } from '../helpers/test-resources.js';

const now = new Date('2026-01-01T00:00:00Z');

t.test('start-up creates the default store even without a bootstrap credential', async (t) => {
  const { store } = await testResources(t);
  await bootstrap(store, null, now);
  const tenant = await store.tenants.get(DEFAULT_STORE_ID);
  t.equal(tenant?.name, 'Default store');
});

t.test(
  'the bootstrap credential gets every scope in the default store, its secret only hashed',
  async (t) => {
    const { store, mongo } = await testResources(t);
    await bootstrap(store, { key: 'bootstrap-key', secret: 'bootstrap-secret-123' }, now);
    const credential = await store.credentials.findByKey('bootstrap-key');
    t.ok(credential);
    if (!credential) return;
    t.equal(credential.storeId, DEFAULT_STORE_ID);
    t.same(credential.scopes, ALL_SCOPES);
    t.equal(await verifySecret('bootstrap-secret-123', credential.secretHash), true);
    const raw = JSON.stringify(await mongo.db.collection(COLLECTIONS.credentials).find().toArray());
    t.notOk(raw.includes('bootstrap-secret-123'), 'the plain secret is stored nowhere');
  },
);

t.test('bootstrapping again is idempotent, and a new secret replaces the old one', async (t) => {
  const { store, mongo } = await testResources(t);
  await bootstrap(store, { key: 'bootstrap-key', secret: 'first-secret-12345' }, now);
  await bootstrap(
    store,
    { key: 'bootstrap-key', secret: 'first-secret-12345' },
    new Date('2026-02-01T00:00:00Z'),
  );
  t.equal(await mongo.db.collection(COLLECTIONS.credentials).countDocuments(), 1);
  t.equal(await mongo.db.collection(COLLECTIONS.stores).countDocuments(), 1);
  const first = await store.credentials.findByKey('bootstrap-key');
  t.same(first?.createdAt, now, 'the creation time is the first one');

  await bootstrap(store, { key: 'bootstrap-key', secret: 'second-secret-1234' }, now);
  const second = await store.credentials.findByKey('bootstrap-key');
  t.equal(await verifySecret('second-secret-1234', second?.secretHash ?? ''), true);
  t.equal(await verifySecret('first-secret-12345', second?.secretHash ?? ''), false);
});

t.test('a bootstrap key that belongs to another store is refused and left alone', async (t) => {
  const { store } = await testResources(t);
  await store.credentials.upsert({
    key: 'taken-key',
    storeId: 'other-store',
    secretHash: 'scrypt$1$1$1$a$b',
    scopes: ['state'],
    label: 'theirs',
    createdAt: now,
    revokedAt: null,
  });
  await t.rejects(bootstrap(store, { key: 'taken-key', secret: 'bootstrap-secret-123' }, now), {
    message: 'CAIRN_BOOTSTRAP_KEY taken-key already belongs to another store',
  });
  const untouched = await store.credentials.findByKey('taken-key');
  t.equal(untouched?.storeId, 'other-store');
  t.same(untouched?.scopes, ['state']);
});
