// The Activities and Agents resources: A's statements gave A's activity a definition and A's agent
// a name; B asking about the same activity or agent gets the bare object it gets for any IRI or
// mailbox it never heard of.
import type { IsolationCase } from './case.js';
import { errorBody, expectNothingOfA, nowhere } from './expectations.js';
import { qs, type Method, type Req, type World } from './fixture.js';

type Params = Readonly<Record<string, string | object>>;

/** The two resources: the parameter, A's value and the answer for a value nobody used. */
const RESOURCES = [
  {
    path: '/xapi/activities',
    about: (w: World) => {
      const other = nowhere.activity();
      return {
        ofA: { activityId: w.dataOfA.activity },
        ofNothing: { activityId: other },
        names: [[w.dataOfA.activity, other]] as const,
        bare: { objectType: 'Activity', id: w.dataOfA.activity },
      };
    },
  },
  {
    path: '/xapi/agents',
    about: (w: World) => {
      const other = nowhere.mbox();
      return {
        ofA: { agent: { objectType: 'Agent', mbox: w.dataOfA.agent.mbox } },
        ofNothing: { agent: { objectType: 'Agent', mbox: other } },
        names: [[w.dataOfA.agent.mbox, other]] as const,
        bare: { objectType: 'Person', mbox: [w.dataOfA.agent.mbox] },
      };
    },
  },
] as const;

const read = (method: Method): IsolationCase[] =>
  RESOURCES.map((resource) => ({
    method,
    url: resource.path,
    attempt: `B asks for what A's statements said about A's ${resource.path.slice(6)}`,
    async run(t, w) {
      const { ofA, ofNothing, names, bare } = resource.about(w);
      const req = (params: Params): Req => ({ method, url: `${resource.path}?${qs(params)}` });
      await expectNothingOfA(t, w.b.call, req(ofA), req(ofNothing), names, {
        status: 200,
        ...(method === 'GET' ? { body: bare } : {}),
      });
    },
  }));

export const canonicalCases: IsolationCase[] = [
  ...read('GET'),
  ...read('HEAD'),
  ...RESOURCES.map((resource): IsolationCase => ({
    method: 'POST',
    url: resource.path,
    attempt: `B asks about A's ${resource.path.slice(6)} with the 1.0.x alternate syntax`,
    async run(t, w) {
      const { ofA, ofNothing, names, bare } = resource.about(w);
      // The replayed request carries the credential of the form: B's.
      const alternate = (params: Params): Req => ({
        method: 'POST',
        url: `${resource.path}?method=GET`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: qs({
          Authorization: w.b.authorization,
          'X-Experience-API-Version': '1.0.3',
          ...params,
        }),
      });
      await expectNothingOfA(t, w.anonymous, alternate(ofA), alternate(ofNothing), names, {
        status: 200,
        body: bare,
      });
      // Any other POST is refused, whatever it names.
      const plain = (params: Params): Req => ({
        method: 'POST',
        url: `${resource.path}?${qs(params)}`,
        payload: {},
      });
      await expectNothingOfA(t, w.b.call, plain(ofA), plain(ofNothing), names, {
        status: 405,
        body: errorBody(
          405,
          'XAPI_ERR_METHOD_NOT_ALLOWED',
          `${resource.path.slice(5)} only answers GET (in xAPI 1.0.x also as POST ?method=GET, ` +
            'the alternate request syntax)',
        ),
      });
    },
  })),
];
