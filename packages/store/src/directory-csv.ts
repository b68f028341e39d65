import {
  accountIdentifier,
  checkDay,
  checkDirectory,
  checkSpan,
  mboxIdentifier,
  type DirectoryEntry,
  type DirectoryInput,
} from './directory-input.js';
import type { MembershipAttribute, MembershipPeriod } from './memberships.js';
import { PeopleErrors } from './people-errors.js';

/** One CSV record and the line it starts on (1-based), for error messages. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

function invalid(message: string): Error {
  return new PeopleErrors.directoryInvalid(message);
}

/**
 * RFC 4180: fields separated by commas, records by CRLF (a bare LF is accepted too); a field in
 * double quotes may hold commas, line breaks and `""` for a quote. A final line break is optional;
 * empty lines are skipped. A quote inside an unquoted field, text after a closing quote, or an
 * unclosed quote is an error naming the line.
 */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  // Whether the current field was quoted: `""` alone on a line is a record with one empty field.
  let quoted = false;
  let line = 1;
  let start = 1;
  const endField = (): void => {
    fields.push(field);
    field = '';
    quoted = false;
  };
  const endRecord = (): void => {
    const blank = fields.length === 0 && field === '' && !quoted;
    endField();
    if (!blank) records.push({ line: start, fields });
    fields = [];
  };
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '"' && field === '' && !quoted) {
      // A quoted field: up to the closing quote; "" inside is one quote.
      const opened = line;
      quoted = true;
      i++;
      for (;;) {
        const q = body[i];
        if (q === undefined) throw invalid(`CSV line ${opened}: a quoted field is not closed`);
        i++;
        if (q === '"') {
          if (body[i] !== '"') break;
          field += '"';
          i++;
          continue;
        }
        if (q === '\n') line++;
        field += q;
      }
      const next = body[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw invalid(`CSV line ${line}: text after a closing quote`);
      }
    } else if (c === ',') {
      endField();
      i++;
    } else if (c === '\n' || (c === '\r' && body[i + 1] === '\n')) {
      endRecord();
      i += c === '\n' ? 1 : 2;
      start = ++line;
    } else if (c === '"') {
      throw invalid(`CSV line ${line}: a quote inside an unquoted field`);
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || quoted || fields.length > 0) endRecord();
  return records;
}

const REQUIRED = ['person_id', 'name', 'email', 'department', 'team', 'valid_from'] as const;
const OPTIONAL = ['manager_id', 'valid_to'] as const;
const ACCOUNT_PREFIX = 'account:';

interface Draft {
  readonly first: number;
  readonly name: string;
  readonly email: string;
  readonly manager: string;
  readonly identifiers: string[];
  readonly periods: MembershipPeriod[];
}

/**
 * directory.csv as a checked directory: one row per person and membership period, accounts in
 * `account:<home page>` columns (several names separated by `;`), any other column an attribute
 * of the period. A person's name, email and manager must be the same on each of its rows.
 */
export function directoryFromCsv(text: string): DirectoryInput {
  const [header, ...rows] = parseCsv(text);
  if (header === undefined) throw invalid('the CSV directory is empty');
  const columns = header.fields.map((f) => f.trim());
  for (const name of REQUIRED) {
    if (!columns.includes(name)) throw invalid(`the CSV header lacks the column ${name}`);
  }
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) throw invalid(`the CSV header names ${name} twice`);
    seen.add(name);
  }
  const known = new Set<string>([...REQUIRED, ...OPTIONAL]);
  const accounts = columns.filter((c) => c.startsWith(ACCOUNT_PREFIX));
  const attributes = columns.filter((c) => !known.has(c) && !c.startsWith(ACCOUNT_PREFIX));

  const drafts = new Map<string, Draft>();
  for (const row of rows) {
    const where = `CSV line ${row.line}`;
    if (row.fields.length !== columns.length) {
      throw invalid(`${where} has ${row.fields.length} fields, the header ${columns.length}`);
    }
    const cell = (name: string): string => (row.fields[columns.indexOf(name)] ?? '').trim();
    const id = cell('person_id');
    if (id === '') throw invalid(`${where}: person_id is empty`);
    const from = checkDay(cell('valid_from'), `${where} valid_from`);
    const toCell = columns.includes('valid_to') ? cell('valid_to') : '';
    const to = toCell === '' ? undefined : checkDay(toCell, `${where} valid_to`);
    checkSpan(from, to, where);
    for (const name of ['name', 'team', 'department'] as const) {
      if (cell(name) === '') throw invalid(`${where}: ${name} is empty`);
    }
    const manager = columns.includes('manager_id') ? cell('manager_id') : '';
    const draft: Draft = drafts.get(id) ?? {
      first: row.line,
      name: cell('name'),
      email: cell('email'),
      manager,
      identifiers: [],
      periods: [],
    };
    for (const name of ['name', 'email', 'manager'] as const) {
      const value = name === 'manager' ? manager : cell(name);
      if (draft[name] !== value) {
        throw invalid(
          `${where}: person ${id} has ${name} ${JSON.stringify(value)} here and ` +
            `${JSON.stringify(draft[name])} on line ${draft.first}`,
        );
      }
    }
    if (draft.identifiers.length === 0 && draft.email !== '') {
      draft.identifiers.push(mboxIdentifier(draft.email, `${where} email`));
    }
    for (const column of accounts) {
      const homePage = column.slice(ACCOUNT_PREFIX.length);
      for (const name of cell(column)
        .split(';')
        .map((n) => n.trim())) {
        if (name === '') continue;
        const key = accountIdentifier(homePage, name, `${where} ${column}`);
        if (!draft.identifiers.includes(key)) draft.identifiers.push(key);
      }
    }
    const values: MembershipAttribute[] = attributes
      .map((name) => ({ name, value: cell(name) }))
      .filter((a) => a.value !== '');
    draft.periods.push({
      team: cell('team'),
      department: cell('department'),
      from,
      ...(to === undefined ? {} : { to }),
      ...(values.length === 0 ? {} : { attributes: values }),
    });
    drafts.set(id, draft);
  }
  return checkDirectory(
    [...drafts.entries()].map(([id, d]): DirectoryEntry => ({
      id,
      name: d.name,
      ...(d.manager === '' ? {} : { manager: d.manager }),
      identifiers: d.identifiers,
      identifierPeriods: [],
      periods: d.periods,
    })),
  );
}
