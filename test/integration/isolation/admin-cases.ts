// The admin API, with B's `admin` credential (B is not the default store, so it administers B
// only): A's store id and A's credential key in the paths are answered exactly like ids that
// never existed; B's own statistics and lists hold nothing of A.
import { DEFAULT_STORE_ID } from '@cairn/store';
import type { IsolationCase } from './case.js';
import { errorBody, expectAUnchanged, expectNothingOfA, nowhere } from './expectations.js';
import { type Method, type Req, type World } from './fixture.js';

const STORES = '/admin/v1/stores';
const noStore = (id: string) => errorBody(404, 'ADMIN_ERR_STORE_NOT_FOUND', `no store ${id}`);

/** A's store id (and the default store's: B does not administer it either) vs a made-up id. */
function foreignStores(w: World) {
  return [w.a.storeId, DEFAULT_STORE_ID].map((id) => {
    const other = nowhere.storeId();
    return { id, other, names: [[id, other]] as const };
  });
}

const storeRead = (method: Method): IsolationCase => ({
  method,
  url: `${STORES}/:id`,
  attempt: "B reads A's statistics; its own count none of A's statements",
  async run(t, w) {
    for (const { id, other, names } of foreignStores(w)) {
      const req = (storeId: string): Req => ({ method, url: `${STORES}/${storeId}` });
      await expectNothingOfA(t, w.b.call, req(id), req(other), names, {
        status: 404,
        ...(method === 'GET' ? { body: noStore(id) } : {}),
      });
    }
    if (method === 'GET') {
      // Reading cases run before B writes statements: B holds exactly its own one.
      const own = await w.b.call({ method, url: `${STORES}/${w.b.storeId}` });
      t.match(own.json(), {
        id: w.b.storeId,
        name: 'B',
        statementCount: 1,
        lastStored: w.ownOfB.stored,
      });
    }
  },
});

const credentialsRead = (method: Method): IsolationCase => ({
  method,
  url: `${STORES}/:id/credentials`,
  attempt: "B lists A's credentials; its own list has none of A's",
  async run(t, w) {
    for (const { id, other, names } of foreignStores(w)) {
      const req = (storeId: string): Req => ({ method, url: `${STORES}/${storeId}/credentials` });
      await expectNothingOfA(t, w.b.call, req(id), req(other), names, {
        status: 404,
        ...(method === 'GET' ? { body: noStore(id) } : {}),
      });
    }
    if (method === 'GET') {
      const own = await w.b.call({ method, url: `${STORES}/${w.b.storeId}/credentials` });
      t.strictSame(
        own.json<{ credentials: { key: string }[] }>().credentials.map((c) => c.key),
        [w.b.key],
      );
    }
  },
});

const storeList = (method: Method): IsolationCase => ({
  method,
  url: STORES,
  attempt: 'B lists the stores: B only',
  async run(t, w) {
    const res = await w.b.call({ method, url: STORES });
    const listed = await w.b.call({ method: 'GET', url: STORES });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-length'], listed.headers['content-length']);
    t.strictSame(
      listed.json<{ stores: { id: string }[] }>().stores.map((s) => s.id),
      [w.b.storeId],
    );
    t.notOk(listed.body.includes(w.a.storeId), "A's id appears nowhere");
  },
});

export const adminCases: IsolationCase[] = [
  storeList('GET'),
  storeList('HEAD'),
  storeRead('GET'),
  storeRead('HEAD'),
  credentialsRead('GET'),
  credentialsRead('HEAD'),
  {
    method: 'POST',
    url: STORES,
    attempt: "B creates a store named like A's: 403, whatever the name",
    async run(t, w) {
      const before = await w.installationAdmin({ method: 'GET', url: STORES });
      const create = (name: string): Req => ({ method: 'POST', url: STORES, payload: { name } });
      await expectNothingOfA(
        t,
        w.b.call,
        create(w.a.name),
        create('Never'),
        [[w.a.name, 'Never']],
        {
          status: 403,
          body: errorBody(
            403,
            'ADMIN_ERR_FORBIDDEN',
            'only an admin credential of the default store may create stores',
          ),
        },
      );
      const after = await w.installationAdmin({ method: 'GET', url: STORES });
      t.equal(after.body, before.body, 'no store was created');
    },
  },
  {
    method: 'PATCH',
    url: `${STORES}/:id`,
    attempt: "B renames A's store and opens it to B's web origin",
    async run(t, w) {
      for (const { id, other, names } of foreignStores(w)) {
        const req = (storeId: string): Req => ({
          method: 'PATCH',
          url: `${STORES}/${storeId}`,
          payload: { name: 'taken over by B', corsOrigins: ['https://b.example.org'] },
        });
        await expectNothingOfA(t, w.b.call, req(id), req(other), names, {
          status: 404,
          body: noStore(id),
        });
      }
      // The snapshot holds A's store as A's admin reads it: name and origins included.
      await expectAUnchanged(t, w, "B's store updates");
    },
  },
  {
    method: 'POST',
    url: `${STORES}/:id/credentials`,
    attempt: "B makes a credential in A's store",
    async run(t, w) {
      for (const { id, other, names } of foreignStores(w)) {
        const req = (storeId: string): Req => ({
          method: 'POST',
          url: `${STORES}/${storeId}/credentials`,
          payload: { scopes: ['all'], label: 'planted by B' },
        });
        await expectNothingOfA(t, w.b.call, req(id), req(other), names, {
          status: 404,
          body: noStore(id),
        });
      }
      await expectAUnchanged(t, w, "B's credential requests");
    },
  },
  {
    method: 'DELETE',
    url: `${STORES}/:id/credentials/:key`,
    attempt: "B revokes A's credential, through A's store and through its own",
    async run(t, w) {
      const del = (storeId: string, key: string): Req => ({
        method: 'DELETE',
        url: `${STORES}/${storeId}/credentials/${key}`,
      });
      const [otherStore, otherKey] = [nowhere.storeId(), nowhere.key()];
      await expectNothingOfA(
        t,
        w.b.call,
        del(w.a.storeId, w.a.key),
        del(otherStore, otherKey),
        [
          [w.a.storeId, otherStore],
          [w.a.key, otherKey],
        ],
        { status: 404, body: noStore(w.a.storeId) },
      );
      // Through B's own store, A's key is a key B does not have.
      await expectNothingOfA(
        t,
        w.b.call,
        del(w.b.storeId, w.a.key),
        del(w.b.storeId, otherKey),
        [[w.a.key, otherKey]],
        {
          status: 404,
          body: errorBody(
            404,
            'ADMIN_ERR_CREDENTIAL_NOT_FOUND',
            `no credential ${w.a.key} in store ${w.b.storeId}`,
          ),
        },
      );
      // The snapshot is read with A's credential: it would get 401 had it been revoked.
      await expectAUnchanged(t, w, "B's revocations");
    },
  },
];
