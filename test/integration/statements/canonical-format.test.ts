// GET /statements?format=canonical (xAPI Communication 2.1.3): "return Activity Objects and Verbs
// populated with the canonical definition of the Activity Objects and Display of the Verbs as
// determined by the LRS, after applying the language filtering process", Agents as in exact.
// Cairn's canonical definition is the one GET /activities returns: the definitions the pipeline
// recorded, merged with those the statements read carry.
import t from 'tap';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

const COURSE = 'https://example.com/courses/safety';
const PROGRAMME = 'https://example.com/programmes/onboarding';
const UNKNOWN = 'https://example.com/courses/never-recorded';
const ID = '5b0c8a7e-0000-4000-8000-000000000001';
/** Later than any statement of the test: the pipeline's record is the latest word. */
const LATER = '2999-01-01T00:00:00.000Z|z';

async function setup(t: Teardown) {
  const r = await buildTestApp(t);
  const auth = await basicAuth(r.store, 'default', ['all']);
  // What the pipeline records from statements stored earlier (workers/aggregator does it in
  // production): a corrected English name and a French one for the course, one for the programme.
  await r.store.activitiesOf('default').record([
    {
      activityId: COURSE,
      definition: { name: { 'en-US': 'Safety at work', 'fr-FR': 'Sécurité au travail' } },
      first: LATER,
      last: LATER,
    },
    {
      activityId: PROGRAMME,
      definition: { name: { 'en-US': 'Onboarding' } },
      first: LATER,
      last: LATER,
    },
  ]);
  const statement = {
    id: ID,
    actor: { mbox: 'mailto:ann@example.com', name: 'Ann' },
    verb: {
      id: 'http://adlnet.gov/expapi/verbs/completed',
      display: { 'en-US': 'completed', 'fr-FR': 'a terminé' },
    },
    object: {
      id: COURSE,
      definition: {
        name: { 'en-US': 'safty' },
        type: 'http://adlnet.gov/expapi/activities/course',
      },
    },
    context: {
      contextActivities: {
        parent: [{ id: PROGRAMME }],
        grouping: [{ id: UNKNOWN, definition: { name: { 'en-US': 'Own name', de: 'Eigener' } } }],
      },
    },
  };
  const post = await r.app.inject({
    method: 'POST',
    url: '/xapi/statements',
    headers: { authorization: auth, 'x-experience-api-version': '1.0.3' },
    payload: statement,
  });
  if (post.statusCode !== 200) throw new Error(`POST: ${post.statusCode} ${post.body}`);
  const get = async (query: string, language?: string) => {
    const res = await r.app.inject({
      method: 'GET',
      url: `/xapi/statements?${query}`,
      headers: {
        authorization: auth,
        'x-experience-api-version': '1.0.3',
        ...(language !== undefined ? { 'accept-language': language } : {}),
      },
    });
    if (res.statusCode !== 200) throw new Error(`GET ${query}: ${res.statusCode} ${res.body}`);
    return res.json<Record<string, unknown>>();
  };
  return { get };
}

interface Rendered {
  actor: unknown;
  verb: { display?: Record<string, string> };
  object: { definition?: Record<string, unknown> };
  context: { contextActivities: Record<string, { id: string; definition?: unknown }[]> };
}

t.test('the canonical definition replaces the one the statement carried', async (t) => {
  const { get } = await setup(t);
  const s = (await get(
    `statementId=${ID}&format=canonical`,
    'fr-FR, en-US;q=0.5',
  )) as unknown as Rendered;
  t.same(
    s.object.definition,
    {
      name: { 'fr-FR': 'Sécurité au travail' },
      type: 'http://adlnet.gov/expapi/activities/course',
    },
    "the LRS's name, in the language asked for; the type the statement gave is kept by the merge",
  );
  t.same(s.verb.display, { 'fr-FR': 'a terminé' }, 'verb display filtered by language');
  t.same(s.actor, { mbox: 'mailto:ann@example.com', name: 'Ann' }, 'agents as in exact');
  t.same(s.context.contextActivities['parent']?.[0], {
    id: PROGRAMME,
    definition: { name: { 'en-US': 'Onboarding' } },
  });
  t.same(
    s.context.contextActivities['grouping']?.[0],
    { id: UNKNOWN, definition: { name: { 'en-US': 'Own name' } } },
    'an activity the LRS knows nothing more of keeps its own definition, language-filtered',
  );
});

t.test('in a StatementResult too; exact still returns what was stored', async (t) => {
  const { get } = await setup(t);
  const page = (await get('format=canonical', 'en-US')) as unknown as { statements: Rendered[] };
  t.same(page.statements[0]?.object.definition, {
    name: { 'en-US': 'Safety at work' },
    type: 'http://adlnet.gov/expapi/activities/course',
  });
  const exact = (await get(`statementId=${ID}`)) as unknown as Rendered;
  t.same(exact.object.definition, {
    name: { 'en-US': 'safty' },
    type: 'http://adlnet.gov/expapi/activities/course',
  });
});
