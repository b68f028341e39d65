// The Statements resource: B asks for A's statements by id, by every filter, with A's `more`
// link, and writes statements with A's ids, A's content, voids of A's statements and A's
// attachment hashes. Each answer must be the one for things that never existed.
import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type { IsolationCase } from './case.js';
import { errorBody, expectAUnchanged, expectNothingOfA, nowhere } from './expectations.js';
import { attachmentOf, partsOf, qs, statement, VERBS, type Req, type World } from './fixture.js';

const get = (query: string): Req => ({ method: 'GET', url: `/xapi/statements?${query}` });
const head = (query: string): Req => ({ method: 'HEAD', url: `/xapi/statements?${query}` });
const post = (payload: object): Req => ({ method: 'POST', url: '/xapi/statements', payload });
const noStatement = (id: string) => errorBody(404, 'XAPI_ERR_NOT_FOUND', `no statement ${id}`);
const EMPTY_RESULT = { statements: [], more: '' };

/** B's own statements: what B stored, never anything with A's authority. */
const byB = () =>
  statement(randomUUID(), { mbox: 'mailto:bob@b.example.org' }, VERBS.bOnly, {
    id: 'https://b.example.org/own',
  });

/** Every filter of GET /statements aimed at A's data, with the same filter aimed at nothing. */
function filtersAimedAtA(w: World) {
  const A = w.dataOfA;
  const agent = JSON.stringify({ mbox: A.agent.mbox });
  const noAgent = nowhere.mbox();
  const noActivity = nowhere.activity();
  const noRegistration = randomUUID();
  const noVerb = 'https://nowhere.example.org/verbs/none';
  return [
    [{ agent }, { agent: JSON.stringify({ mbox: noAgent }) }, [[A.agent.mbox, noAgent]]],
    [
      { agent, related_agents: 'true' },
      { agent: JSON.stringify({ mbox: noAgent }), related_agents: 'true' },
      [[A.agent.mbox, noAgent]],
    ],
    [{ verb: VERBS.completed }, { verb: noVerb }, [[VERBS.completed, noVerb]]],
    [{ activity: A.activity }, { activity: noActivity }, [[A.activity, noActivity]]],
    [
      { activity: A.activity, related_activities: 'true' },
      { activity: noActivity, related_activities: 'true' },
      [[A.activity, noActivity]],
    ],
    [
      { registration: A.registration },
      { registration: noRegistration },
      [[A.registration, noRegistration]],
    ],
    [
      { verb: VERBS.voided, ascending: 'true', format: 'exact' },
      { verb: noVerb, ascending: 'true', format: 'exact' },
      [[VERBS.voided, noVerb]],
    ],
  ] as const;
}

/** Every statement `res` lists was stored by B's credential; none has one of A's ids. */
function expectOnlyB(t: Test, w: World, res: { json<T>(): T }, what: string): void {
  const { statements } = res.json<{
    statements: { id: string; authority: { account: { name: string } } }[];
  }>();
  t.strictSame(
    statements.filter((s) => s.authority.account.name !== w.b.key),
    [],
    `${what}: only statements stored by B's credential`,
  );
}

export const statementCases: IsolationCase[] = [
  {
    method: 'GET',
    url: '/xapi/statements',
    attempt: "B asks for A's statements by id, by every filter, and with A's more link",
    async run(t, w) {
      const A = w.dataOfA;
      for (const id of Object.values(A.ids)) {
        for (const param of ['statementId', 'voidedStatementId']) {
          for (const extra of ['', '&attachments=true', '&format=canonical']) {
            const other = nowhere.statementId();
            await expectNothingOfA(
              t,
              w.b.call,
              get(`${param}=${id}${extra}`),
              get(`${param}=${other}${extra}`),
              [[id, other]],
              { status: 404, body: noStatement(id) },
            );
          }
        }
      }

      for (const [aimedAtA, aimedAtNothing, names] of filtersAimedAtA(w)) {
        await expectNothingOfA(t, w.b.call, get(qs(aimedAtA)), get(qs(aimedAtNothing)), names, {
          status: 200,
          body: EMPTY_RESULT,
        });
      }

      const everything = await w.b.call(get('limit=100'));
      expectOnlyB(t, w, everything, 'no filter');
      t.ok(
        everything.body.includes(w.ownOfB.id),
        "and B does see its own: the filter is the store, not 'nothing'",
      );

      // A's link, a link naming a store that never existed, and garbage: one answer for all three.
      const token = A.more.slice(A.more.indexOf('more=') + 'more='.length);
      const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
        storeId: string;
      };
      t.equal(state.storeId, w.a.storeId, "A's link names A's store (it is not signed)");
      const reencode = (storeId: string) =>
        `/xapi/statements?more=${Buffer.from(JSON.stringify({ ...state, storeId })).toString('base64url')}`;
      const refused = {
        status: 400,
        body: errorBody(400, 'XAPI_ERR_MORE', 'the more link is malformed or from another store'),
      };
      for (const control of [reencode(nowhere.storeId()), '/xapi/statements?more=not-a-link']) {
        await expectNothingOfA(
          t,
          w.b.call,
          { method: 'GET', url: A.more },
          { method: 'GET', url: control },
          [],
          refused,
        );
      }
      // The store comes from the credential, never from the link: A's position and filters,
      // re-addressed to B's store, page through B's statements only.
      const forged = await w.b.call({ method: 'GET', url: reencode(w.b.storeId) });
      t.equal(forged.statusCode, 200, forged.body);
      expectOnlyB(t, w, forged, "A's link re-addressed to B");

      // X-Experience-API-Consistent-Through reads no store; only B's own writes in flight hold
      // it back (statements/consistent-through.test.ts).
      t.match(
        everything.headers['x-experience-api-consistent-through'],
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
      );
    },
  },
  {
    method: 'HEAD',
    url: '/xapi/statements',
    attempt: "B asks for A's statements with HEAD",
    async run(t, w) {
      const A = w.dataOfA;
      for (const id of [A.ids.S1, A.ids.S2]) {
        const other = nowhere.statementId();
        await expectNothingOfA(
          t,
          w.b.call,
          head(`statementId=${id}`),
          head(`statementId=${other}`),
          [[id, other]],
          { status: 404 },
        );
      }
      const other = nowhere.statementId();
      await expectNothingOfA(
        t,
        w.b.call,
        head(`voidedStatementId=${A.ids.S3}`),
        head(`voidedStatementId=${other}`),
        [[A.ids.S3, other]],
        { status: 404 },
      );
      for (const [aimedAtA, aimedAtNothing, names] of filtersAimedAtA(w)) {
        await expectNothingOfA(t, w.b.call, head(qs(aimedAtA)), head(qs(aimedAtNothing)), names, {
          status: 200,
        });
      }
    },
  },
  {
    method: 'POST',
    url: '/xapi/statements',
    attempt: "B posts statements with A's ids, A's content, voids of A's and A's attachment hash",
    async run(t, w) {
      const A = w.dataOfA;
      const { b } = w;

      // The 1.0.x alternate syntax replays the request with the credential in the form: B's.
      const alternate = (statementId: string): Req => ({
        method: 'POST',
        url: '/xapi/statements?method=GET',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: qs({
          Authorization: b.authorization,
          'X-Experience-API-Version': '1.0.3',
          statementId,
        }),
      });
      const unknown = nowhere.statementId();
      await expectNothingOfA(
        t,
        w.anonymous,
        alternate(A.ids.S3),
        alternate(unknown),
        [[A.ids.S3, unknown]],
        {
          status: 404,
          body: noStatement(A.ids.S3),
        },
      );

      // A's id with other content: no 409 from A's statement; B's statement is stored in B.
      const fresh = nowhere.statementId();
      const mine = { ...byB(), id: A.ids.S1 };
      await expectNothingOfA(
        t,
        b.call,
        post(mine),
        post({ ...mine, id: fresh }),
        [[A.ids.S1, fresh]],
        {
          status: 200,
          body: [A.ids.S1],
        },
      );
      const readBack = await b.call(get(`statementId=${A.ids.S1}`));
      t.match(
        readBack.json(),
        { id: A.ids.S1, verb: { id: VERBS.bOnly }, authority: { account: { name: b.key } } },
        "B reads its own statement under A's id",
      );

      // A's statement exactly as A sent it: not a replay of A's, B stores its own copy.
      const copy = A.sent[A.ids.S5] ?? {};
      const copyFresh = nowhere.statementId();
      await expectNothingOfA(
        t,
        b.call,
        post(copy),
        post({ ...copy, id: copyFresh }),
        [[A.ids.S5, copyFresh]],
        {
          status: 200,
          body: [A.ids.S5],
        },
      );
      t.match(
        (await b.call(get(`statementId=${A.ids.S5}`))).json(),
        { id: A.ids.S5, authority: { account: { name: b.key } } },
        'stored in B with B as authority',
      );

      // Voiding A's statement, and A's voiding statement (a voider cannot be voided in A, but
      // B has no such statement): answered as for ids that never existed.
      for (const target of [A.ids.S2, A.ids.S4]) {
        const [voider, controlVoider, controlTarget] = [randomUUID(), randomUUID(), randomUUID()];
        const voiding = (id: string, of: string) =>
          statement(id, { mbox: 'mailto:bob@b.example.org' }, VERBS.voided, {
            objectType: 'StatementRef',
            id: of,
          });
        await expectNothingOfA(
          t,
          b.call,
          post(voiding(voider, target)),
          post(voiding(controlVoider, controlTarget)),
          [
            [voider, controlVoider],
            [target, controlTarget],
          ],
          { status: 200, body: [voider] },
        );
      }

      // A's attachment content is A's: a statement of B declaring the same hash (by fileUrl)
      // gets no content back, and one without fileUrl must send the content itself.
      const other = nowhere.sha2();
      const declaring = (id: string, sha2: string) => ({
        ...byB(),
        id,
        attachments: [
          attachmentOf(A.attachment.content, { sha2, fileUrl: 'https://b.example.org/f' }),
        ],
      });
      const [withHashOfA, withOtherHash] = [randomUUID(), randomUUID()];
      for (const [id, sha2] of [
        [withHashOfA, A.attachment.sha2],
        [withOtherHash, other],
      ] as const) {
        const res = await b.call(post(declaring(id, sha2)));
        t.equal(res.statusCode, 200, res.body);
      }
      const withContent = await expectNothingOfA(
        t,
        b.call,
        get(`statementId=${withHashOfA}&attachments=true`),
        get(`statementId=${withOtherHash}&attachments=true`),
        [
          [withHashOfA, withOtherHash],
          [A.attachment.sha2, other],
        ],
        { status: 200 },
      );
      t.strictSame(partsOf(withContent), [], "no part: A's content is not B's");
      const withoutUrl = attachmentOf(A.attachment.content);
      const missing = (sha2: string, id: string) => ({
        ...byB(),
        id,
        attachments: [{ ...withoutUrl, sha2 }],
      });
      const [m1, m2] = [randomUUID(), randomUUID()];
      await expectNothingOfA(
        t,
        b.call,
        post(missing(A.attachment.sha2, m1)),
        post(missing(other, m2)),
        [
          [A.attachment.sha2, other],
          [m1, m2],
        ],
        {
          status: 400,
          body: errorBody(
            400,
            'XAPI_ERR_ATTACHMENT',
            `attachments: statement ${m1} has an attachment ${A.attachment.sha2} with neither fileUrl nor a part`,
          ),
        },
      );

      await expectAUnchanged(t, w, "B's statement writes");
    },
  },
  {
    method: 'PUT',
    url: '/xapi/statements',
    attempt: "B puts a statement under the id of A's voided statement",
    async run(t, w) {
      const A = w.dataOfA;
      // S3 is voided in A (by S4). Had voiding crossed stores, B's own S3 would be voided too.
      const id = A.ids.S3;
      const fresh = nowhere.statementId();
      const { id: _id, ...content } = byB();
      const put = (statementId: string): Req => ({
        method: 'PUT',
        url: `/xapi/statements?statementId=${statementId}`,
        payload: content,
      });
      const res = await expectNothingOfA(t, w.b.call, put(id), put(fresh), [[id, fresh]], {
        status: 204,
      });
      t.equal(res.body, '');
      t.match(
        (await w.b.call(get(`statementId=${id}`))).json(),
        { id, verb: { id: VERBS.bOnly }, authority: { account: { name: w.b.key } } },
        "B's own statement, not voided: A's voiding does not reach B",
      );
      await expectAUnchanged(t, w, "B's PUTs");
    },
  },
];
