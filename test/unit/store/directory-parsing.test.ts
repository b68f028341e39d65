// Directory files (the simulator's directory.json and directory.csv) read into one checked shape,
// and the RFC 4180 parser under the CSV reader. Pure: no I/O.
import t from 'tap';
import fc from 'fast-check';
import {
  canonicalIdentifierKey,
  directoryFromCsv,
  directoryFromJson,
  homePersonId,
  identifierGroup,
  parseCsv,
  sha1KeyOf,
} from '@cairn/store';
import { mboxSha1 } from '@cairn/xapi';

const SLACK = 'https://slack.example.com';
const ANN_SHA1 = `sha1::${mboxSha1('mailto:ann@example.com')}`;

const errorOf = (f: () => unknown): { code?: unknown; message?: unknown } => {
  try {
    f();
  } catch (error) {
    return error as { code?: unknown; message?: unknown };
  }
  throw new Error('expected an error');
};

t.test('parseCsv: RFC 4180 fields, quotes, line breaks', async (t) => {
  t.same(parseCsv('a,b\r\n1,2\r\n'), [
    { line: 1, fields: ['a', 'b'] },
    { line: 2, fields: ['1', '2'] },
  ]);
  t.same(
    parseCsv('a,b\n1,2'),
    [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ],
    'bare LF and no final line break',
  );
  t.same(parseCsv('"x,y","say ""hi""",\n"multi\nline",""\n'), [
    { line: 1, fields: ['x,y', 'say "hi"', ''] },
    { line: 2, fields: ['multi\nline', ''] },
  ]);
  t.same(
    parseCsv('\uFEFFa\n\n""\n'),
    [
      { line: 1, fields: ['a'] },
      { line: 3, fields: [''] },
    ],
    'a BOM is dropped, a blank line skipped, a quoted empty field kept',
  );
  t.same(parseCsv(''), []);
  t.match(
    errorOf(() => parseCsv('a\n"open,b\n')),
    {
      code: 'DIRECTORY_ERR_INVALID',
      message: 'CSV line 2: a quoted field is not closed',
    },
  );
  t.match(
    errorOf(() => parseCsv('a,b"c\n')),
    {
      message: 'CSV line 1: a quote inside an unquoted field',
    },
  );
  t.match(
    errorOf(() => parseCsv('"a"b\n')),
    { message: 'CSV line 1: text after a closing quote' },
  );
});

t.test('parseCsv: what the simulator quotes comes back as written', async (t) => {
  const field = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n', ' ', 'é') });
  const quote = (v: string): string => (/[",\r\n]/u.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  fc.assert(
    fc.property(
      fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      (rows) => {
        const text = rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
        t.same(
          parseCsv(text).map((r) => r.fields),
          rows,
        );
      },
    ),
  );
});

t.test('identifier keys: canonical forms, groups and home persons', async (t) => {
  t.equal(canonicalIdentifierKey('mbox::mailto:Ann@Example.COM'), 'mbox::mailto:Ann@example.com');
  t.equal(canonicalIdentifierKey(`sha1::${'A'.repeat(40)}`), `sha1::${'a'.repeat(40)}`);
  t.equal(canonicalIdentifierKey(`account::${SLACK}::U1`), `account::${SLACK}::U1`);
  t.equal(canonicalIdentifierKey('openid::https://id.example/x'), 'openid::https://id.example/x');
  for (const bad of ['mailto:a@b', 'mbox::a@b', 'sha1::xyz', 'account::x', 'account::::n', '']) {
    t.equal(canonicalIdentifierKey(bad), undefined, bad);
  }
  t.same(identifierGroup('mbox::mailto:ann@example.com'), [
    'mbox::mailto:ann@example.com',
    ANN_SHA1,
  ]);
  t.equal(sha1KeyOf(ANN_SHA1), undefined);
  t.equal(
    homePersonId(identifierGroup('mbox::mailto:ann@example.com')),
    homePersonId([ANN_SHA1]),
    'an address and its hash seen apart start in one person',
  );
});

const json = {
  organisation: 'Acme',
  departments: [{ id: 'd1', name: 'Ops' }],
  teams: [{ id: 't1', name: 'Red', department: 'd1' }],
  people: [
    {
      id: 'p1',
      name: 'Ann',
      identifiers: [
        { kind: 'mbox', value: 'mailto:ann@Example.com' },
        { kind: 'account', homePage: SLACK, name: 'U1', from: '2024-01-01', to: '2024-06-01' },
      ],
      memberships: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
    },
    {
      id: 'p2',
      name: 'Bob',
      manager: 'p1',
      identifiers: [{ kind: 'mbox', value: 'mailto:bob@example.com' }],
      memberships: [],
    },
  ],
};

t.test('directory.json: read into keys, periods and memberships', async (t) => {
  t.same(directoryFromJson(json), {
    people: [
      {
        id: 'p1',
        name: 'Ann',
        identifiers: ['mbox::mailto:ann@example.com', `account::${SLACK}::U1`],
        identifierPeriods: [{ key: `account::${SLACK}::U1`, from: '2024-01-01', to: '2024-06-01' }],
        periods: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
      },
      {
        id: 'p2',
        name: 'Bob',
        manager: 'p1',
        identifiers: ['mbox::mailto:bob@example.com'],
        identifierPeriods: [],
        periods: [],
      },
    ],
  });
});

t.test('directory.json: every bad value is named', async (t) => {
  const withPerson = (p: Record<string, unknown>) => ({ people: [...json.people, p] });
  const cases: [unknown, string][] = [
    [[], 'the directory must be a JSON object with a people array'],
    [{}, 'directory.people must be an array'],
    [withPerson({ id: 'p3', name: 'Cy', identifiers: [] }), 'person p3 has no identifier'],
    [
      withPerson({ id: 'p1', name: 'Cy', identifiers: [{ kind: 'mbox', value: 'cy@x.org' }] }),
      'person id p1 appears more than once',
    ],
    [
      withPerson({
        id: 'p3',
        name: 'Cy',
        identifiers: [{ kind: 'mbox', value: 'ann@EXAMPLE.com' }],
      }),
      'identifier mbox::mailto:ann@example.com is listed by two directory people: p1 and p3',
    ],
    [
      withPerson({ id: 'p3', name: 'Cy', identifiers: [{ kind: 'fax', value: '1' }] }),
      'people[2].identifiers[0].kind must be one of mbox, account, mbox_sha1sum, openid',
    ],
    [
      withPerson({
        id: 'p3',
        name: 'Cy',
        identifiers: [{ kind: 'mbox', value: 'not-an-address' }],
      }),
      'people[2].identifiers[0] is not an email address: not-an-address',
    ],
    [
      withPerson({
        id: 'p3',
        name: 'Cy',
        identifiers: [{ kind: 'account', homePage: 'slack', name: 'U9' }],
      }),
      'people[2].identifiers[0]: homePage must be an IRI, got "slack"',
    ],
    [
      withPerson({
        id: 'p3',
        name: 'Cy',
        identifiers: [{ kind: 'mbox', value: 'cy@x.org' }],
        memberships: [{ team: 't1', department: 'd1', from: '2024-02-30' }],
      }),
      'people[2].memberships[0].from is not a calendar date: 2024-02-30',
    ],
    [
      withPerson({
        id: 'p3',
        name: 'Cy',
        identifiers: [{ kind: 'mbox', value: 'cy@x.org' }],
        memberships: [{ team: 't1', department: 'd1', from: '2024-02-03', to: '2024-02-03' }],
      }),
      'people[2].memberships[0]: to (2024-02-03) must come after from (2024-02-03)',
    ],
    [withPerson({ id: 'p3', identifiers: [] }), 'people[2].name must be a non-empty string'],
  ];
  for (const [input, message] of cases) {
    const error = errorOf(() => directoryFromJson(input));
    t.equal(error.code, 'DIRECTORY_ERR_INVALID', message);
    t.equal(error.message, message);
  }
});

const HEADER =
  `person_id,name,email,department,team,manager_id,valid_from,valid_to,account:${SLACK},` +
  'account:https://teams.example.com,grade';

t.test('directory.csv: rows per period grouped into people', async (t) => {
  const csv = [
    HEADER,
    'p1,"Ann, A.",ann@example.com,d1,t1,,2024-01-01,2024-03-01,U1,,',
    'p1,"Ann, A.",ann@example.com,d2,t2,,2024-03-01,,U1;U7,T1,senior',
    'p2,Bob,bob@example.com,d1,t1,p1,2024-01-01,,,,',
  ].join('\r\n');
  t.same(directoryFromCsv(csv), {
    people: [
      {
        id: 'p1',
        name: 'Ann, A.',
        identifiers: [
          'mbox::mailto:ann@example.com',
          `account::${SLACK}::U1`,
          `account::${SLACK}::U7`,
          'account::https://teams.example.com::T1',
        ],
        identifierPeriods: [],
        periods: [
          { team: 't1', department: 'd1', from: '2024-01-01', to: '2024-03-01' },
          {
            team: 't2',
            department: 'd2',
            from: '2024-03-01',
            attributes: [{ name: 'grade', value: 'senior' }],
          },
        ],
      },
      {
        id: 'p2',
        name: 'Bob',
        manager: 'p1',
        identifiers: ['mbox::mailto:bob@example.com'],
        identifierPeriods: [],
        periods: [{ team: 't1', department: 'd1', from: '2024-01-01' }],
      },
    ],
  });
});

t.test('directory.csv: every bad row is named by its line', async (t) => {
  const row = (cells: string) => `${HEADER}\n${cells}\n`;
  const cases: [string, string][] = [
    ['', 'the CSV directory is empty'],
    ['person_id,name,email\n', 'the CSV header lacks the column department'],
    [`${HEADER},grade\n`, 'the CSV header names grade twice'],
    [row('p1,Ann,ann@example.com,d1,t1'), 'CSV line 2 has 5 fields, the header 11'],
    [row(',Ann,ann@example.com,d1,t1,,2024-01-01,,,,'), 'CSV line 2: person_id is empty'],
    [
      row('p1,Ann,ann@example.com,d1,t1,,01/02/2024,,,,'),
      'CSV line 2 valid_from must be a date YYYY-MM-DD',
    ],
    [row('p1,Ann,ann@example.com,,t1,,2024-01-01,,,,'), 'CSV line 2: department is empty'],
    [
      `${HEADER}\np1,Ann,ann@example.com,d1,t1,,2024-01-01,,,,\np1,Ann,ann@x.org,d1,t1,,2024-02-01,,,,\n`,
      'CSV line 3: person p1 has email "ann@x.org" here and "ann@example.com" on line 2',
    ],
    [
      `${HEADER}\np1,Ann,ann@example.com,d1,t1,,2024-01-01,,U1,,\np2,Bob,bob@example.com,d1,t1,,2024-01-01,,U1,,\n`,
      `identifier account::${SLACK}::U1 is listed by two directory people: p1 and p2`,
    ],
    [row('p1,Ann,,d1,t1,,2024-01-01,,,,'), 'person p1 has no identifier'],
  ];
  for (const [csv, message] of cases) {
    const error = errorOf(() => directoryFromCsv(csv));
    t.equal(error.code, 'DIRECTORY_ERR_INVALID', message);
    t.equal(error.message, message);
  }
});
