// The skills API of the reports service (/api/v1), with B's credential (every scope, `admin`
// included): A's frameworks, rules, verb table, unknown verbs and statements are answered exactly
// like things that never existed; B's writes, whatever names they reuse, change B's settings only. A's skill settings are
// made on first use (the world's fixture predates this API) and must read the same afterwards.
import type { Test } from 'tap';
import type { SkillSettingsVersion } from '@cairn/store';
import { onReports, type IsolationCase } from './case.js';
import { errorBody, expectNothingOfA, nowhere } from './expectations.js';
import type { Method, Req, World } from './fixture.js';

const API = '/api/v1';
export const SECRET_SKILL = 'https://a.example.org/skills/secret-skill-of-a';
const SECRET_VERB = 'https://a.example.org/verbs/secret-verb-of-a';
export const FRAMEWORK_OF_A = 'https://a.example.org/frameworks/secret-framework-of-a';

const settingsOfA = new WeakMap<World, Promise<SkillSettingsVersion>>();

/** A's skill settings, made once per world through the API with A's credential. */
export function skillsOfA(w: World): Promise<SkillSettingsVersion> {
  let made = settingsOfA.get(w);
  if (made === undefined) {
    made = (async () => {
      const writes: Req[] = [
        {
          method: 'POST',
          url: `${API}/frameworks`,
          payload: {
            id: FRAMEWORK_OF_A,
            name: 'Secret framework of A',
            skills: [{ iri: SECRET_SKILL, name: 'Secret skill of A' }],
          },
        },
        {
          method: 'PUT',
          url: `${API}/rules`,
          payload: {
            rules: [
              { activityId: w.dataOfA.activity, skills: [{ skill: SECRET_SKILL, weight: 1 }] },
            ],
            tags: [],
          },
        },
        { method: 'PUT', url: `${API}/verbs`, payload: { aliases: { [SECRET_VERB]: 'passed' } } },
      ];
      for (const req of writes) {
        const res = await w.a.reports(req);
        if (res.statusCode >= 300) throw new Error(`A's skills: ${res.statusCode} ${res.body}`);
      }
      await w.store
        .unknownVerbsOf(w.a.storeId)
        .count([
          { verb: 'https://a.example.org/verbs/unknown-of-a', statementId: w.dataOfA.ids.S1 },
        ]);
      return w.store.skillSettingsOf(w.a.storeId).current();
    })();
    settingsOfA.set(w, made);
  }
  return made;
}

export const SECRETS = (w: World): string[] => [
  w.a.storeId,
  FRAMEWORK_OF_A,
  SECRET_SKILL,
  SECRET_VERB,
  'unknown-of-a',
  w.dataOfA.activity,
];

async function expectSkillsOfAUnchanged(t: Test, w: World, after: string): Promise<void> {
  const before = await skillsOfA(w);
  t.strictSame(
    await w.store.skillSettingsOf(w.a.storeId).current(),
    before,
    `A's skill settings are the same after ${after}`,
  );
}

function namesNothingOfA(t: Test, w: World, body: string): void {
  for (const secret of SECRETS(w)) t.notOk(body.includes(secret), `does not name ${secret}`);
}

/** A read of B's own settings (list, rules, verbs, unknown verbs): B's, with nothing of A. */
const ownRead = (method: Method, path: string, expected: (w: World) => unknown): IsolationCase => ({
  method,
  url: `${API}${path}`,
  attempt: "B reads its own settings: none of A's",
  async run(t, w) {
    await skillsOfA(w);
    const res = await w.b.reports({ method, url: `${API}${path}` });
    const got = await w.b.reports({ method: 'GET', url: `${API}${path}` });
    t.equal(res.statusCode, 200);
    t.equal(res.headers['content-length'], got.headers['content-length']);
    t.strictSame(got.json(), expected(w));
    namesNothingOfA(t, w, got.body);
  },
});

const frameworkRead = (method: Method): IsolationCase => ({
  method,
  url: `${API}/frameworks/:id`,
  attempt: "B reads A's framework",
  async run(t, w) {
    await skillsOfA(w);
    const other = nowhere.activity();
    const req = (id: string): Req => ({
      method,
      url: `${API}/frameworks/${encodeURIComponent(id)}`,
    });
    await expectNothingOfA(
      t,
      w.b.reports,
      req(FRAMEWORK_OF_A),
      req(other),
      [[FRAMEWORK_OF_A, other]],
      {
        status: 404,
        ...(method === 'GET'
          ? {
              body: errorBody(404, 'API_ERR_FRAMEWORK_NOT_FOUND', `no framework ${FRAMEWORK_OF_A}`),
            }
          : {}),
      },
    );
  },
});

const frameworkChange = (method: 'PUT' | 'DELETE'): IsolationCase => ({
  method,
  url: `${API}/frameworks/:id`,
  attempt: `B ${method === 'PUT' ? 'replaces' : 'deletes'} A's framework`,
  async run(t, w) {
    await skillsOfA(w);
    const other = nowhere.activity();
    const req = (id: string): Req => ({
      method,
      url: `${API}/frameworks/${encodeURIComponent(id)}`,
      ...(method === 'PUT' ? { payload: { name: 'taken over by B', skills: [] } } : {}),
    });
    await expectNothingOfA(
      t,
      w.b.reports,
      req(FRAMEWORK_OF_A),
      req(other),
      [[FRAMEWORK_OF_A, other]],
      {
        status: 404,
        body: errorBody(404, 'API_ERR_FRAMEWORK_NOT_FOUND', `no framework ${FRAMEWORK_OF_A}`),
      },
    );
    await expectSkillsOfAUnchanged(t, w, `B's ${method}`);
  },
});

/** A write of B that reuses A's names: it changes B's settings, never A's. */
const ownWrite = (method: Method, path: string, payload: (w: World) => object): IsolationCase => ({
  method,
  url: `${API}${path}`,
  attempt: "B writes settings with A's names: its own change, A's untouched",
  async run(t, w) {
    await skillsOfA(w);
    const before = await w.store.skillSettingsOf(w.b.storeId).current();
    const res = await w.b.reports({ method, url: `${API}${path}`, payload: payload(w) });
    t.ok(res.statusCode === 200 || res.statusCode === 201, `${res.statusCode} ${res.body}`);
    t.equal(
      (await w.store.skillSettingsOf(w.b.storeId).current()).generation,
      before.generation + 1,
      "B's generation moved",
    );
    await expectSkillsOfAUnchanged(t, w, `B's ${method} ${path}`);
  },
});

const framework = () => ({
  id: FRAMEWORK_OF_A,
  name: 'B reuses the id',
  skills: [{ iri: SECRET_SKILL, name: 'B reuses the skill' }],
});

export const skillsApiCases: IsolationCase[] = onReports([
  ...(['GET', 'HEAD'] as const).flatMap((m) => [
    ownRead(m, '/frameworks', () => ({ generation: 0, frameworks: [] })),
    ownRead(m, '/rules', () => ({
      generation: 0,
      rules: [],
      tags: [],
      competencyTypes: ['https://w3id.org/xapi/tla/activity-types/competency'],
      alignmentExtension: 'https://cairn-lrs.org/xapi/extensions/skill-alignment',
    })),
    ownRead(m, '/verbs/unknown', () => ({ verbs: [] })),
    ownRead(m, '/rules/rederivation', () => ({ generation: 0, derived: null })),
    frameworkRead(m),
  ]),
  {
    method: 'GET',
    url: `${API}/verbs`,
    attempt: "B reads its verb table: none of A's aliases",
    async run(t, w) {
      await skillsOfA(w);
      const res = await w.b.reports({ method: 'GET', url: `${API}/verbs` });
      t.match(res.json(), { generation: 0, override: {} });
      namesNothingOfA(t, w, res.body);
    },
  },
  {
    method: 'HEAD',
    url: `${API}/verbs`,
    attempt: "B reads its verb table: none of A's aliases",
    async run(t, w) {
      await skillsOfA(w);
      const res = await w.b.reports({ method: 'HEAD', url: `${API}/verbs` });
      const got = await w.b.reports({ method: 'GET', url: `${API}/verbs` });
      t.equal(res.statusCode, 200);
      t.equal(res.headers['content-length'], got.headers['content-length']);
      t.equal(res.headers['etag'], '"0"');
    },
  },
  frameworkChange('PUT'),
  frameworkChange('DELETE'),
  ownWrite('POST', '/frameworks', framework),
  ownWrite('POST', '/frameworks/import', () => ({
    id: FRAMEWORK_OF_A,
    name: 'B imports',
    skills: [{ id: SECRET_SKILL, name: 'B reuses the skill' }],
  })),
  ownWrite('PUT', '/rules', (w) => ({
    rules: [{ activityId: w.dataOfA.activity, skills: [{ skill: SECRET_SKILL, weight: 0.5 }] }],
    tags: [],
  })),
  ownWrite('PUT', '/verbs', () => ({ aliases: { [SECRET_VERB]: 'failed' } })),
  {
    method: 'POST',
    url: `${API}/dry-run`,
    attempt: "B dry-runs A's statement by id, and a statement A's rules would align",
    async run(t, w) {
      await skillsOfA(w);
      const other = nowhere.statementId();
      const req = (statementId: string): Req => ({
        method: 'POST',
        url: `${API}/dry-run`,
        payload: { statementId },
      });
      // Statement cases run before this one and leave B statements of its own under some of A's
      // ids, which B may of course dry-run: ask about one of A's ids that B does not hold.
      const heldByB = await w.store.statementsOf(w.b.storeId).getMany(Object.values(w.dataOfA.ids));
      const ofA = Object.values(w.dataOfA.ids).find(
        (id) => !heldByB.some((s) => s.statementId === id),
      );
      if (ofA === undefined) throw new Error("B holds every one of A's statement ids");
      await expectNothingOfA(t, w.b.reports, req(ofA), req(other), [[ofA, other]], {
        status: 404,
        body: errorBody(404, 'API_ERR_STATEMENT_NOT_FOUND', `no statement ${ofA}`),
      });
      // A's rule aligns A's activity to A's secret skill; in B it aligns nothing of A's.
      const res = await w.b.reports({
        method: 'POST',
        url: `${API}/dry-run`,
        payload: {
          statement: {
            actor: { mbox: 'mailto:b@b.example.org' },
            verb: { id: SECRET_VERB },
            object: { id: `${w.dataOfA.activity}/not-in-b` },
          },
        },
      });
      t.equal(res.statusCode, 200);
      t.match(res.json(), { rows: [] });
      t.notOk(res.body.includes(`"skill":"${SECRET_SKILL}"`), "no evidence for A's skill");
    },
  },
]);
