// How reports place people in cohorts and skills: a parent skill covers its children, cohorts
// follow directory periods by day, and the people index finds who a wider cell adds.
import t from 'tap';
import { directoryIndex, NO_COHORT, ORGANISATION, PeopleIndex, skillColumns } from '@cairn/reports';

const frameworks = [
  {
    id: 'acme',
    name: 'Acme',
    skills: [
      { iri: 'data', name: 'Data' },
      { iri: 'sql', name: 'SQL', parent: 'data' },
      { iri: 'etl', name: 'ETL', parent: 'data' },
    ],
  },
];

t.test('a parent skill covers its children; an unknown skill or framework is a 404', async (t) => {
  const all = skillColumns(frameworks, {});
  t.same(
    all.columns.map((c) => [c.skill, [...c.covers].sort()]),
    [
      ['data', ['data', 'etl', 'sql']],
      ['sql', ['sql']],
      ['etl', ['etl']],
    ],
  );
  t.same(
    all.columnsOf('sql').map((c) => c.skill),
    ['data', 'sql'],
  );
  t.same(skillColumns(frameworks, { skill: 'sql' }).columns[0]?.ancestors, ['data']);
  t.throws(() => skillColumns(frameworks, { skill: 'nope' }), {
    code: 'REPORTS_ERR_NOT_FOUND',
    statusCode: 404,
  });
  t.throws(() => skillColumns(frameworks, { framework: 'other' }), {
    code: 'REPORTS_ERR_NOT_FOUND',
    statusCode: 404,
  });
});

t.test(
  'cohorts follow directory periods by day; people without an entry are in none',
  async (t) => {
    const directory = directoryIndex(
      [
        { personId: 'p1', identifiers: ['mbox::mailto:a@x.org'], ifis: [], names: [] },
        { personId: 'p2', identifiers: ['mbox::mailto:b@x.org'], ifis: [], names: [] },
      ],
      [
        {
          directoryId: 'd1',
          name: 'A',
          manager: 'd9',
          identifiers: ['mbox::mailto:a@x.org'],
          identifierPeriods: [],
          periods: [
            { team: 'red', department: 'eng', from: '2026-01-01', to: '2026-06-01' },
            {
              team: 'blue',
              department: 'eng',
              from: '2026-06-01',
              attributes: [{ name: 'location', value: 'Oslo' }],
            },
          ],
        },
      ],
    );
    t.equal(directory.personOf('mbox::mailto:a@x.org'), 'p1');
    t.equal(directory.cohortOn('p1', 'team', '2026-05-31'), 'red');
    t.equal(directory.cohortOn('p1', 'team', '2026-06-01'), 'blue');
    t.equal(directory.cohortOn('p1', 'location', '2026-07-01'), 'Oslo');
    t.equal(directory.cohortOn('p1', 'manager', '2026-07-01'), 'd9');
    t.equal(directory.cohortOn('p2', 'team', '2026-07-01'), NO_COHORT);
    t.same(directory.attributes, ['team', 'department', 'manager', 'location']);
  },
);

t.test('the people index: who is behind a cell, and whom a wider cell adds', async (t) => {
  const index = new PeopleIndex(['team', 'department'], 1);
  const both = new Set(['formal', 'social'] as const);
  index.add('a', ['red', 'eng'], 'sql', 'formal', 2);
  index.add('b', ['red', 'eng'], 'sql', 'social', 0.5);
  index.add('c', ['blue', 'eng'], 'sql', 'formal', 3);
  index.add('a', ['blue', 'eng'], 'etl', 'formal', 1);
  const red = { attribute: 'team', cohort: 'red', covers: new Set(['sql']), sources: both };
  const people = index.people(red);
  t.same([...people.contributors].sort(), ['a', 'b']);
  t.same([...people.sufficient], ['a'], 'b has less than nMin');
  t.same(index.widerCohorts(red), [{ attribute: 'department', cohort: 'eng' }]);
  const org = { ...red, attribute: ORGANISATION, cohort: ORGANISATION };
  const relaxed = index.relaxation(red, org);
  t.same([...relaxed.contributors].sort(), ['a', 'b', 'c']);
  t.same(
    [...(relaxed.changed?.contributors ?? [])],
    [],
    'nobody of red has sql evidence elsewhere',
  );
  const broader = index.relaxation(red, { ...red, covers: new Set(['sql', 'etl']) });
  t.same(
    [...(broader.changed?.contributors ?? [])],
    [],
    "a's etl evidence is in blue, outside the red cell either way",
  );
  const formalOnly = { ...red, sources: new Set(['formal'] as const) };
  const dropped = index.relaxation(formalOnly, red);
  t.same([...(dropped.changed?.contributors ?? [])], [], 'a has no social evidence');
  t.same([...dropped.contributors].sort(), ['a', 'b'], 'dropping the filter adds b');
});
