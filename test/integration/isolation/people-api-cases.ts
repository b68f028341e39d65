// The people API of the reports service (/api/v1/people, /api/v1/directory; docs/identity.md),
// with B's credential (every scope, `admin` included): A's people, their audit trails and skill
// totals are answered exactly like people who never existed; B's merges, splits and imports with
// A's ids or identifiers change nothing of A. A's people are made on first use: A imports a directory that merges its
// agent's mbox with a secret account, so that A has a person with a trail.
import type { Test } from 'tap';
import { erasureIdOf, type PersonRecord } from '@cairn/store';
import { onReports, type IsolationCase } from './case.js';
import { errorBody, expectNothingOfA, nowhere } from './expectations.js';
import type { Method, Req, World } from './fixture.js';

const API = '/api/v1';
const SECRET_ACCOUNT = { homePage: 'https://a.example.org/chat', name: 'secret-account-of-a' };
const SECRET_EMPLOYEE = 'secret-employee-of-a';

interface PeopleOfA {
  readonly personId: string;
  readonly mboxKey: string;
  readonly record: PersonRecord;
}

const peopleOfA = new WeakMap<World, Promise<PeopleOfA>>();

/** A's person, made once per world through the API with A's credential. */
export function personOfA(w: World): Promise<PeopleOfA> {
  let made = peopleOfA.get(w);
  if (made === undefined) {
    made = (async () => {
      const mboxKey = `mbox::${w.dataOfA.agent.mbox}`;
      const res = await w.a.reports({
        method: 'POST',
        url: `${API}/directory`,
        payload: {
          people: [
            {
              id: SECRET_EMPLOYEE,
              name: 'Secret employee of A',
              identifiers: [
                { kind: 'mbox', value: w.dataOfA.agent.mbox },
                { kind: 'account', ...SECRET_ACCOUNT },
              ],
              memberships: [{ team: 'secret-team', department: 'secret-dept', from: '2024-01-01' }],
            },
          ],
        },
      });
      if (res.statusCode !== 200) throw new Error(`A's directory: ${res.statusCode} ${res.body}`);
      const people = w.store.peopleOf(w.a.storeId);
      const personId = (await people.resolve([mboxKey])).get(mboxKey);
      const record = personId === undefined ? null : await people.get(personId);
      if (personId === undefined || record === null) throw new Error('A has no person');
      return { personId, mboxKey, record };
    })();
    peopleOfA.set(w, made);
  }
  return made;
}

/** A person id nobody has (the same form as A's). */
const nobody = (): string => nowhere.sha2();

async function expectPeopleOfAUnchanged(t: Test, w: World, after: string): Promise<void> {
  const a = await personOfA(w);
  const people = w.store.peopleOf(w.a.storeId);
  t.strictSame(await people.get(a.personId), a.record, `A's person is the same after ${after}`);
  t.equal((await people.audit(a.personId)).length, 1, `A's trail is the same after ${after}`);
}

function namesNothingOfA(t: Test, w: World, body: string, a: PeopleOfA): void {
  for (const secret of [a.personId, SECRET_ACCOUNT.name, SECRET_EMPLOYEE, w.dataOfA.agent.mbox]) {
    t.notOk(body.includes(secret), `does not name ${secret}`);
  }
}

/** A GET (or HEAD) of A's person by id, or of its audit trail or skills: a 404 as for nobody. */
const personRead = (method: Method, suffix: '' | '/audit' | '/skills'): IsolationCase => ({
  method,
  url: `${API}/people/:id${suffix}`,
  attempt: `B reads A's person${suffix === '' ? '' : ` ${suffix.slice(1)}`}`,
  async run(t, w) {
    const a = await personOfA(w);
    const other = nobody();
    const req = (id: string): Req => ({ method, url: `${API}/people/${id}${suffix}` });
    await expectNothingOfA(t, w.b.reports, req(a.personId), req(other), [[a.personId, other]], {
      status: 404,
      ...(method === 'GET'
        ? { body: errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${a.personId}`) }
        : {}),
    });
  },
});

const lookupByIdentifier = (method: Method): IsolationCase => ({
  method,
  url: `${API}/people`,
  attempt: "B looks A's agent up by identifier, and lists its own people",
  async run(t, w) {
    const a = await personOfA(w);
    const other = `mbox::${nowhere.mbox()}`;
    const req = (key: string): Req => ({
      method,
      url: `${API}/people?identifier=${encodeURIComponent(key)}`,
    });
    await expectNothingOfA(t, w.b.reports, req(a.mboxKey), req(other), [[a.mboxKey, other]], {
      status: 200,
      ...(method === 'GET' ? { body: { people: [], next: null } } : {}),
    });
    const listed = await w.b.reports({ method: 'GET', url: `${API}/people` });
    t.equal(listed.statusCode, 200);
    namesNothingOfA(t, w, listed.body, a);
  },
});

/** A read of the erasure A's person would have (A never erased it): a 404 as for nobody. */
const erasureRead = (method: Method): IsolationCase => ({
  method,
  url: `${API}/erasures/:id`,
  attempt: "B reads the erasure of A's person",
  async run(t, w) {
    const a = await personOfA(w);
    const ofA = erasureIdOf(w.a.storeId, a.personId);
    const other = nobody();
    const req = (id: string): Req => ({ method, url: `${API}/erasures/${id}` });
    await expectNothingOfA(t, w.b.reports, req(ofA), req(other), [[ofA, other]], {
      status: 404,
      ...(method === 'GET'
        ? { body: errorBody(404, 'ERASURE_ERR_NOT_FOUND', `no erasure ${ofA}`) }
        : {}),
    });
  },
});

export const peopleApiCases: IsolationCase[] = onReports([
  ...(['GET', 'HEAD'] as const).flatMap((m) => [
    lookupByIdentifier(m),
    personRead(m, ''),
    personRead(m, '/audit'),
    personRead(m, '/skills'),
    erasureRead(m),
  ]),
  {
    method: 'DELETE',
    url: `${API}/people/:id`,
    attempt: "B erases A's person",
    async run(t, w) {
      const a = await personOfA(w);
      const other = nobody();
      const req = (id: string): Req => ({ method: 'DELETE', url: `${API}/people/${id}` });
      await expectNothingOfA(t, w.b.reports, req(a.personId), req(other), [[a.personId, other]], {
        status: 404,
        body: errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${a.personId}`),
      });
      await expectPeopleOfAUnchanged(t, w, "B's erasure");
    },
  },
  {
    method: 'POST',
    url: `${API}/people/merge`,
    attempt: "B merges A's person with another",
    async run(t, w) {
      const a = await personOfA(w);
      const [x, y] = [nobody(), nobody()];
      const req = (id: string): Req => ({
        method: 'POST',
        url: `${API}/people/merge`,
        payload: { people: [id, y] },
      });
      await expectNothingOfA(t, w.b.reports, req(a.personId), req(x), [[a.personId, x]], {
        status: 404,
        body: errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${a.personId}`),
      });
      await expectPeopleOfAUnchanged(t, w, "B's merge");
    },
  },
  {
    method: 'POST',
    url: `${API}/people/:id/split`,
    attempt: "B splits A's person",
    async run(t, w) {
      const a = await personOfA(w);
      const other = nobody();
      const req = (id: string): Req => ({
        method: 'POST',
        url: `${API}/people/${id}/split`,
        payload: { identifiers: [a.mboxKey] },
      });
      await expectNothingOfA(t, w.b.reports, req(a.personId), req(other), [[a.personId, other]], {
        status: 404,
        body: errorBody(404, 'PEOPLE_ERR_NOT_FOUND', `no person ${a.personId}`),
      });
      await expectPeopleOfAUnchanged(t, w, "B's split");
    },
  },
  {
    method: 'POST',
    url: `${API}/directory`,
    attempt: "B imports a directory with A's identifiers and A's employee id: B's own people",
    async run(t, w) {
      const a = await personOfA(w);
      const res = await w.b.reports({
        method: 'POST',
        url: `${API}/directory`,
        payload: {
          people: [
            {
              id: SECRET_EMPLOYEE,
              name: 'B reuses the id',
              identifiers: [{ kind: 'account', ...SECRET_ACCOUNT }],
              memberships: [],
            },
          ],
        },
      });
      // No conflict with A's import of the same employee and account: B's store is its own.
      t.strictSame(res.json(), { people: 1, merges: [], memberships: 1 });
      await expectPeopleOfAUnchanged(t, w, "B's import");
      t.equal(
        (await w.store.peopleOf(w.b.storeId).findByIdentifiers([a.mboxKey])).length,
        0,
        "B has no person with A's agent",
      );
    },
  },
]);
