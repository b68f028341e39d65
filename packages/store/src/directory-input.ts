import type { IdentifierPeriod, MembershipPeriod } from './memberships.js';
import { PeopleErrors } from './people-errors.js';
import { accountKey, canonicalIdentifierKey, identifierGroup, mboxKey } from './person-keys.js';

/*
 * A directory (the simulator's directory.json or directory.csv, packages/simulate/src/directory.ts)
 * read into one shape and checked. Pure: no I/O. Every error names the place.
 */

/** One directory person, checked: canonical identifier keys in the order listed. */
export interface DirectoryEntry {
  readonly id: string;
  readonly name: string;
  readonly manager?: string;
  readonly identifiers: readonly string[];
  readonly identifierPeriods: readonly IdentifierPeriod[];
  readonly periods: readonly MembershipPeriod[];
}

export interface DirectoryInput {
  readonly people: readonly DirectoryEntry[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/u;

function invalid(message: string): Error {
  return new PeopleErrors.directoryInvalid(message);
}

/** Checks a YYYY-MM-DD date; returns it. */
export function checkDay(value: unknown, where: string): string {
  if (typeof value !== 'string' || !DAY.test(value)) {
    throw invalid(`${where} must be a date YYYY-MM-DD`);
  }
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw invalid(`${where} is not a calendar date: ${value}`);
  }
  return value;
}

/** Checks that `to`, when present, comes after `from`. */
export function checkSpan(from: string, to: string | undefined, where: string): void {
  if (to !== undefined && to <= from) {
    throw invalid(`${where}: to (${to}) must come after from (${from})`);
  }
}

/** An mbox IRI (a `mailto:` prefix added when missing) as a canonical key. */
export function mboxIdentifier(value: string, where: string): string {
  const iri = value.startsWith('mailto:') ? value : `mailto:${value}`;
  const key = canonicalIdentifierKey(mboxKey(iri));
  if (key === undefined) throw invalid(`${where} is not an email address: ${value}`);
  return key;
}

/** An account as a canonical key. */
export function accountIdentifier(homePage: string, name: string, where: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/iu.test(homePage)) {
    throw invalid(`${where}: homePage must be an IRI, got ${JSON.stringify(homePage)}`);
  }
  if (name === '') throw invalid(`${where}: name must not be empty`);
  return accountKey(homePage, name);
}

/**
 * The checks that span people: ids unique, and no identifier (an mbox with its SHA-1) listed by two
 * people, which would merge them.
 */
export function checkDirectory(people: readonly DirectoryEntry[]): DirectoryInput {
  const ids = new Set<string>();
  const owner = new Map<string, string>();
  for (const p of people) {
    if (ids.has(p.id)) throw invalid(`person id ${p.id} appears more than once`);
    ids.add(p.id);
    if (p.identifiers.length === 0) throw invalid(`person ${p.id} has no identifier`);
    for (const key of p.identifiers.flatMap(identifierGroup)) {
      const other = owner.get(key);
      if (other !== undefined && other !== p.id) {
        throw invalid(`identifier ${key} is listed by two directory people: ${other} and ${p.id}`);
      }
      owner.set(key, p.id);
    }
  }
  return { people };
}

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function string(o: Json, field: string, where: string): string {
  const value = o[field];
  if (typeof value !== 'string' || value === '') {
    throw invalid(`${where}.${field} must be a non-empty string`);
  }
  return value;
}

function optionalString(o: Json, field: string, where: string): string | undefined {
  return o[field] === undefined ? undefined : string(o, field, where);
}

function array(o: Json, field: string, where: string): readonly unknown[] {
  const value = o[field];
  if (!Array.isArray(value)) throw invalid(`${where}.${field} must be an array`);
  return value;
}

function identifierOf(value: unknown, where: string): { key: string; period?: IdentifierPeriod } {
  if (!isObject(value)) throw invalid(`${where} must be an object`);
  const kind = value['kind'];
  if (kind === 'mbox') return { key: mboxIdentifier(string(value, 'value', where), where) };
  if (kind === 'account') {
    const key = accountIdentifier(
      string(value, 'homePage', where),
      string(value, 'name', where),
      where,
    );
    if (value['from'] === undefined) return { key };
    const from = checkDay(value['from'], `${where}.from`);
    const to = value['to'] === undefined ? undefined : checkDay(value['to'], `${where}.to`);
    checkSpan(from, to, where);
    return { key, period: { key, from, ...(to === undefined ? {} : { to }) } };
  }
  if (kind === 'mbox_sha1sum' || kind === 'openid') {
    const raw = string(value, 'value', where);
    const key = canonicalIdentifierKey(`${kind === 'openid' ? 'openid' : 'sha1'}::${raw}`);
    if (key === undefined) throw invalid(`${where}.value is not a valid ${kind}: ${raw}`);
    return { key };
  }
  throw invalid(`${where}.kind must be one of mbox, account, mbox_sha1sum, openid`);
}

function periodOf(value: unknown, where: string): MembershipPeriod {
  if (!isObject(value)) throw invalid(`${where} must be an object`);
  const from = checkDay(value['from'], `${where}.from`);
  const to = value['to'] === undefined ? undefined : checkDay(value['to'], `${where}.to`);
  checkSpan(from, to, where);
  return {
    team: string(value, 'team', where),
    department: string(value, 'department', where),
    from,
    ...(to === undefined ? {} : { to }),
  };
}

/** directory.json (already parsed as JSON) as a checked directory. */
export function directoryFromJson(value: unknown): DirectoryInput {
  if (!isObject(value)) throw invalid('the directory must be a JSON object with a people array');
  const people = array(value, 'people', 'directory').map((p, i): DirectoryEntry => {
    const where = `people[${i}]`;
    if (!isObject(p)) throw invalid(`${where} must be an object`);
    const identifiers = array(p, 'identifiers', where).map((v, j) =>
      identifierOf(v, `${where}.identifiers[${j}]`),
    );
    const manager = optionalString(p, 'manager', where);
    return {
      id: string(p, 'id', where),
      name: string(p, 'name', where),
      ...(manager === undefined ? {} : { manager }),
      identifiers: [...new Set(identifiers.map((x) => x.key))],
      identifierPeriods: identifiers.flatMap((x) => (x.period === undefined ? [] : [x.period])),
      periods:
        p['memberships'] === undefined
          ? []
          : array(p, 'memberships', where).map((m, j) => periodOf(m, `${where}.memberships[${j}]`)),
    };
  });
  return checkDirectory(people);
}
