// Exports: a CSV cell never runs as a spreadsheet formula, and the format is chosen by format=
// first, then by Accept, with a 406 that names what is served.
import fc from 'fast-check';
import t from 'tap';
import { negotiateFormat, neutraliseCell } from '@cairn/reports';

t.test(
  'a cell that starts like a formula gets a leading apostrophe, others are unchanged',
  async (t) => {
    for (const cell of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1'])
      t.equal(neutraliseCell(cell), `'${cell}`, JSON.stringify(cell));
    for (const cell of ['team a', '', '1=1', "'quoted", 'a-b']) t.equal(neutraliseCell(cell), cell);
  },
);

t.test('property: a neutralised cell never starts with a formula character', async (t) => {
  fc.assert(fc.property(fc.string(), (s) => !/^[=+\-@\t\r]/u.test(neutraliseCell(s))));
  t.pass('held for every generated string');
});

t.test('format= wins over Accept; Accept is read by quality; JSON by default', async (t) => {
  t.equal(negotiateFormat('csv', 'application/json'), 'csv');
  t.equal(negotiateFormat(undefined, undefined), 'json');
  t.equal(negotiateFormat(undefined, 'text/csv'), 'csv');
  t.equal(negotiateFormat(undefined, 'application/x-ndjson'), 'ndjson');
  t.equal(negotiateFormat(undefined, 'text/csv;q=0.5, application/x-ndjson'), 'ndjson');
  t.equal(negotiateFormat(undefined, 'text/html, */*;q=0.1'), 'json');
});

t.test(
  'an Accept of only other types is a 406 naming the served ones; a bad format= a 400',
  async (t) => {
    t.throws(() => negotiateFormat(undefined, 'text/html'), {
      code: 'REPORTS_ERR_NOT_ACCEPTABLE',
      statusCode: 406,
    });
    t.throws(() => negotiateFormat('xml', undefined), {
      code: 'REPORTS_ERR_INVALID',
      statusCode: 400,
    });
  },
);
