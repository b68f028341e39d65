// The document resources (State, Activity Profile, Agent Profile): B reads, lists, puts, merges
// and deletes at the very addresses of A's documents, with A's ETag in its preconditions. B must
// find no document, list no id, merge into nothing of A's, and change nothing of A's.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type { IsolationCase } from './case.js';
import {
  errorBody,
  expectAUnchanged,
  expectNothingOfA,
  nowhere,
  type Names,
} from './expectations.js';
import {
  ACTIVITY_PROFILE,
  AGENT_PROFILE,
  qs,
  STATE,
  type Method,
  type Req,
  type World,
} from './fixture.js';

type Params = Readonly<Record<string, string>>;

interface Resource {
  readonly path: string;
  readonly label: string;
  readonly idParam: 'stateId' | 'profileId';
  /** DELETE without an id deletes the set (State only). */
  readonly deletesSets: boolean;
  /** The address of A's document. */
  ofA(w: World): Params;
  /** An address nobody ever used, of the same parameters. */
  ofNothing(): Params;
}

const RESOURCES: readonly Resource[] = [
  {
    path: STATE,
    label: 'state',
    idParam: 'stateId',
    deletesSets: true,
    ofA: (w) => w.dataOfA.documents.state,
    ofNothing: () => ({
      activityId: nowhere.activity(),
      agent: JSON.stringify({ mbox: nowhere.mbox() }),
      stateId: `never-${randomBytes(4).toString('hex')}`,
      registration: randomUUID(),
    }),
  },
  {
    path: ACTIVITY_PROFILE,
    label: 'activity profile',
    idParam: 'profileId',
    deletesSets: false,
    ofA: (w) => w.dataOfA.documents.activityProfile,
    ofNothing: () => ({
      activityId: nowhere.activity(),
      profileId: `never-${randomBytes(4).toString('hex')}`,
    }),
  },
  {
    path: AGENT_PROFILE,
    label: 'agent profile',
    idParam: 'profileId',
    deletesSets: false,
    ofA: (w) => w.dataOfA.documents.agentProfile,
    ofNothing: () => ({
      agent: JSON.stringify({ mbox: nowhere.mbox() }),
      profileId: `never-${randomBytes(4).toString('hex')}`,
    }),
  },
];

/** A's address, an address of nothing, and how the two differ. */
function addresses(r: Resource, w: World): { ofA: Params; ofNothing: Params; names: Names } {
  const ofA = r.ofA(w);
  const ofNothing = r.ofNothing();
  const names = Object.keys(ofNothing).map((k) => [ofA[k] ?? '', ofNothing[k] ?? ''] as const);
  return { ofA, ofNothing, names };
}

/** The address without its document id: the set a GET lists (and a State DELETE deletes). */
function setOf(r: Resource, params: Params): Params {
  const { [r.idParam]: _id, ...set } = params;
  return set;
}

const etagOfA = (w: World): string =>
  `"${createHash('sha1').update(JSON.stringify(w.dataOfA.documentContent)).digest('hex')}"`;

const request =
  (r: Resource, method: Method) =>
  (params: Params, headers: Record<string, string> = {}, payload?: string): Req => ({
    method,
    url: `${r.path}?${qs(params)}`,
    headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(payload === undefined ? {} : { payload }),
  });

const noSuchDocument = (r: Resource) => ({
  status: 412,
  body: errorBody(
    412,
    'XAPI_ERR_PRECONDITION_FAILED',
    `precondition failed: If-Match is set but there is no such ${r.label} document`,
  ),
});

/** B removes what it wrote at `params`, leaving B's store as it was. */
async function cleanUp(t: Test, w: World, r: Resource, params: Params): Promise<void> {
  const res = await w.b.call(request(r, 'DELETE')(params));
  t.equal(res.statusCode, 204, 'B deletes its own document again');
}

function casesOf(r: Resource): IsolationCase[] {
  const name = `A's ${r.label} document`;
  return [
    {
      method: 'GET',
      url: r.path,
      attempt: `B reads ${name} and lists A's ids`,
      async run(t, w) {
        const { ofA, ofNothing, names } = addresses(r, w);
        const get = request(r, 'GET');
        const id = ofA[r.idParam] ?? '';
        await expectNothingOfA(t, w.b.call, get(ofA), get(ofNothing), names, {
          status: 404,
          body: errorBody(
            404,
            'XAPI_ERR_DOCUMENT_NOT_FOUND',
            `no ${r.label} document ${r.idParam}=${JSON.stringify(id)}`,
          ),
        });
        for (const extra of [{}, { since: '2000-01-01T00:00:00Z' }]) {
          await expectNothingOfA(
            t,
            w.b.call,
            get({ ...setOf(r, ofA), ...extra }),
            get({ ...setOf(r, ofNothing), ...extra }),
            names,
            { status: 200, body: [] },
          );
        }
        if (r.deletesSets) {
          const { registration: _a, ...allOfA } = setOf(r, ofA);
          const { registration: _n, ...allOfNothing } = setOf(r, ofNothing);
          await expectNothingOfA(t, w.b.call, get(allOfA), get(allOfNothing), names, {
            status: 200,
            body: [],
          });
        }
      },
    },
    {
      method: 'HEAD',
      url: r.path,
      attempt: `B asks for ${name} with HEAD`,
      async run(t, w) {
        const { ofA, ofNothing, names } = addresses(r, w);
        const head = request(r, 'HEAD');
        await expectNothingOfA(t, w.b.call, head(ofA), head(ofNothing), names, { status: 404 });
        await expectNothingOfA(t, w.b.call, head(setOf(r, ofA)), head(setOf(r, ofNothing)), names, {
          status: 200,
        });
      },
    },
    {
      method: 'PUT',
      url: r.path,
      attempt: `B puts at the address of ${name}, with A's ETag and without`,
      async run(t, w) {
        const { ofA, ofNothing, names } = addresses(r, w);
        const put = request(r, 'PUT');
        const mine = JSON.stringify({ b: 'only in B' });
        await expectNothingOfA(
          t,
          w.b.call,
          put(ofA, { 'if-match': etagOfA(w) }, mine),
          put(ofNothing, { 'if-match': etagOfA(w) }, mine),
          names,
          noSuchDocument(r),
        );
        // If-None-Match: * holds (B has no document there); without a precondition there is no
        // 409 either: the document of A does not exist for B.
        for (const headers of [{ 'if-none-match': '*' }, {}]) {
          await expectNothingOfA(
            t,
            w.b.call,
            put(ofA, headers, mine),
            put(ofNothing, headers, mine),
            names,
            { status: 204 },
          );
          const readBack = await w.b.call(request(r, 'GET')(ofA));
          t.equal(readBack.body, mine, "B reads its own document, not A's");
          await cleanUp(t, w, r, ofA);
          await cleanUp(t, w, r, ofNothing);
        }
        await expectAUnchanged(t, w, `B's PUTs on ${r.path}`);
      },
    },
    {
      method: 'POST',
      url: r.path,
      attempt: `B merges into ${name}`,
      async run(t, w) {
        const { ofA, ofNothing, names } = addresses(r, w);
        const post = request(r, 'POST');
        const posted = JSON.stringify({ b: 'posted by B' });
        await expectNothingOfA(
          t,
          w.b.call,
          post(ofA, { 'if-match': etagOfA(w) }, posted),
          post(ofNothing, { 'if-match': etagOfA(w) }, posted),
          names,
          noSuchDocument(r),
        );
        await expectNothingOfA(
          t,
          w.b.call,
          post(ofA, {}, posted),
          post(ofNothing, {}, posted),
          names,
          {
            status: 204,
          },
        );
        const merged = await w.b.call(request(r, 'GET')(ofA));
        t.strictSame(merged.json(), { b: 'posted by B' }, "nothing of A's document merged in");
        await cleanUp(t, w, r, ofA);
        await cleanUp(t, w, r, ofNothing);
        await expectAUnchanged(t, w, `B's POSTs on ${r.path}`);
      },
    },
    {
      method: 'DELETE',
      url: r.path,
      attempt: `B deletes ${name}${r.deletesSets ? ' and its whole set' : ''}`,
      async run(t, w) {
        const { ofA, ofNothing, names } = addresses(r, w);
        const del = request(r, 'DELETE');
        await expectNothingOfA(
          t,
          w.b.call,
          del(ofA, { 'if-match': etagOfA(w) }),
          del(ofNothing, { 'if-match': etagOfA(w) }),
          names,
          noSuchDocument(r),
        );
        await expectNothingOfA(t, w.b.call, del(ofA), del(ofNothing), names, { status: 204 });
        if (r.deletesSets) {
          await expectNothingOfA(t, w.b.call, del(setOf(r, ofA)), del(setOf(r, ofNothing)), names, {
            status: 204,
          });
        }
        await expectAUnchanged(t, w, `B's DELETEs on ${r.path}`);
      },
    },
  ];
}

export const documentCases: IsolationCase[] = RESOURCES.flatMap(casesOf);
