import t from 'tap';
import {
  definitionRecordsOf,
  identifierSightingsOf,
  orderStamp,
  type StoredStatement,
} from '@cairn/store';
import { mboxSha1 } from '@cairn/xapi';

const id = '0b6f7f0e-0000-4000-8000-000000000001';
const stored = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));

function statement(mayDefine: boolean): StoredStatement {
  return {
    statementId: id,
    stored,
    voided: false,
    authorityKey: 'account::https://cairn-lrs.org/credentials::k',
    mayDefine,
    json: JSON.stringify({
      id,
      actor: { name: 'Ann', mbox: 'mailto:ann@example.com' },
      verb: { id: 'http://adlnet.gov/expapi/verbs/completed' },
      object: { id: 'https://example.com/course', definition: { name: { en: 'Course' } } },
      authority: {
        objectType: 'Agent',
        account: { homePage: 'https://cairn-lrs.org/credentials', name: 'k' },
      },
    }),
  };
}

t.test('a statement stamps what it carries with its storage order', async (t) => {
  const stamp = `${stored.toISOString()}|${id}`;
  t.equal(orderStamp(statement(true)), stamp);
  t.same(definitionRecordsOf([statement(true)]), [
    {
      activityId: 'https://example.com/course',
      definition: { name: { en: 'Course' } },
      first: stamp,
      last: stamp,
    },
  ]);
  t.match(identifierSightingsOf([statement(true)]), [
    { key: 'mbox::mailto:ann@example.com', names: ['Ann'] },
  ]);
  t.equal(identifierSightingsOf([statement(true)]).length, 1, 'not the authority');
});

t.test('without define, identifiers are recorded but no definition and no name', async (t) => {
  t.same(definitionRecordsOf([statement(false)]), []);
  t.same(identifierSightingsOf([statement(false)]), [
    {
      key: 'mbox::mailto:ann@example.com',
      lookupKeys: ['mbox::mailto:ann@example.com', `sha1::${mboxSha1('mailto:ann@example.com')}`],
      ifi: { mbox: 'mailto:ann@example.com' },
      names: [],
    },
  ]);
});
