import t from 'tap';
import { statementIndexFields, validateStatement, type Statement } from '@cairn/xapi';

function valid(value: unknown): Statement {
  const result = validateStatement(value, '2.0.0');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

t.test('an activity statement with everything related', async (t) => {
  const s = valid({
    actor: {
      objectType: 'Group',
      mbox: 'mailto:team@Example.com',
      member: [{ mbox: 'mailto:a@example.com' }, { openid: 'https://o.example.com/b' }],
    },
    verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
    object: { id: 'urn:act:meeting' },
    context: {
      registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
      instructor: { account: { homePage: 'https://lms', name: 'teacher' } },
      team: { objectType: 'Group', member: [{ mbox: 'mailto:c@example.com' }] },
      contextActivities: {
        parent: { id: 'urn:act:series' },
        other: [{ id: 'urn:act:x' }, { id: 'urn:act:meeting' }],
      },
      contextAgents: [{ objectType: 'contextAgent', agent: { mbox: 'mailto:coach@example.com' } }],
      contextGroups: [
        { objectType: 'contextGroup', group: { objectType: 'Group', openid: 'https://g' } },
      ],
    },
    authority: { account: { homePage: 'https://lrs', name: 'client' } },
  });
  t.same(statementIndexFields(s), {
    actorKeys: [
      'mbox::mailto:team@example.com',
      'mbox::mailto:a@example.com',
      'openid::https://o.example.com/b',
    ],
    verbId: 'http://adlnet.gov/expapi/verbs/attended',
    objectActivityId: 'urn:act:meeting',
    objectAgentKeys: [],
    registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7',
    relatedActivityIds: ['urn:act:meeting', 'urn:act:series', 'urn:act:x'],
    relatedAgentKeys: [
      'mbox::mailto:team@example.com',
      'mbox::mailto:a@example.com',
      'openid::https://o.example.com/b',
      'account::https://lms::teacher',
      'mbox::mailto:c@example.com',
      'mbox::mailto:coach@example.com',
      'openid::https://g',
      'account::https://lrs::client',
    ],
  });
});

t.test('voiding, agent objects and SubStatements', async (t) => {
  const voiding = valid({
    actor: { mbox: 'mailto:admin@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/voided' },
    object: { objectType: 'StatementRef', id: 'e05aa883-acaf-40ad-bf54-02c8ce485fb0' },
  });
  const fields = statementIndexFields(voiding);
  t.equal(fields.voidsStatementId, 'e05aa883-acaf-40ad-bf54-02c8ce485fb0');
  t.equal(fields.objectStatementRefId, 'e05aa883-acaf-40ad-bf54-02c8ce485fb0');
  t.equal(fields.objectActivityId, undefined);

  const agentObject = valid({
    actor: { mbox: 'mailto:a@example.com' },
    verb: { id: 'urn:v:mentored' },
    object: { objectType: 'Agent', mbox: 'mailto:b@example.com' },
  });
  t.same(statementIndexFields(agentObject).objectAgentKeys, ['mbox::mailto:b@example.com']);
  t.equal(statementIndexFields(agentObject).voidsStatementId, undefined);

  const sub = valid({
    actor: { mbox: 'mailto:a@example.com' },
    verb: { id: 'urn:v:planned' },
    object: {
      objectType: 'SubStatement',
      actor: { mbox: 'mailto:s@example.com' },
      verb: { id: 'urn:v:visit' },
      object: { id: 'urn:act:site' },
      context: { contextActivities: { category: [{ id: 'urn:act:profile' }] } },
    },
  });
  const subFields = statementIndexFields(sub);
  t.same(subFields.relatedActivityIds, ['urn:act:site', 'urn:act:profile']);
  t.same(subFields.relatedAgentKeys, ['mbox::mailto:a@example.com', 'mbox::mailto:s@example.com']);
  t.equal(subFields.objectActivityId, undefined, 'a SubStatement is not an Activity object');
});
