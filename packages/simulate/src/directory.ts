import { dayDate, type SimulationOptions } from './options.js';
import { teamOn, type Organisation, type Person } from './organisation.js';
import { SOCIAL_TOOLS, TOOLS } from './vocabulary.js';

/** One identifier of a person, as a directory import reads it. */
export type DirectoryIdentifier =
  | { readonly kind: 'mbox'; readonly value: string }
  | {
      readonly kind: 'account';
      readonly homePage: string;
      readonly name: string;
      readonly from: string;
      readonly to?: string;
    };

/** A membership with effective dates (`to` exclusive, absent while current). */
export interface DirectoryMembership {
  readonly team: string;
  readonly department: string;
  readonly from: string;
  readonly to?: string;
}

/** A person of directory.json. */
export interface DirectoryPerson {
  readonly id: string;
  readonly name: string;
  readonly manager?: string;
  readonly identifiers: readonly DirectoryIdentifier[];
  readonly memberships: readonly DirectoryMembership[];
}

/** directory.json: the organisation as an HR export would show it. */
export interface Directory {
  readonly organisation: string;
  readonly departments: readonly { readonly id: string; readonly name: string }[];
  readonly teams: readonly {
    readonly id: string;
    readonly name: string;
    readonly department: string;
  }[];
  readonly people: readonly DirectoryPerson[];
}

function departmentOf(organisation: Organisation, team: string): string {
  return organisation.teams.find((t) => t.id === team)?.department ?? '';
}

function directoryPerson(
  organisation: Organisation,
  options: SimulationOptions,
  person: Person,
): DirectoryPerson {
  const date = (day: number): string => dayDate(options, day);
  return {
    id: person.id,
    name: person.name,
    ...(person.manager === undefined ? {} : { manager: person.manager }),
    identifiers: [
      { kind: 'mbox', value: `mailto:${person.email}` },
      ...person.accounts.map((a): DirectoryIdentifier => ({
        kind: 'account',
        homePage: TOOLS[a.tool].homePage,
        name: a.name,
        from: date(a.from),
        ...(a.to === undefined ? {} : { to: date(a.to) }),
      })),
    ],
    memberships: person.memberships.map((m) => ({
      team: m.team,
      department: departmentOf(organisation, m.team),
      from: date(m.from),
      ...(m.to === undefined ? {} : { to: date(m.to) }),
    })),
  };
}

/** The directory of an organisation. */
export function buildDirectory(organisation: Organisation, options: SimulationOptions): Directory {
  return {
    organisation: organisation.name,
    departments: organisation.departments.map((d) => ({ id: d.id, name: d.name })),
    teams: organisation.teams.map((t) => ({ id: t.id, name: t.name, department: t.department })),
    people: organisation.people.map((p) => directoryPerson(organisation, options, p)),
  };
}

/** RFC 4180 quoting, only where needed. */
const csvField = (value: string): string =>
  /[",\r\n]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/**
 * directory.csv: one row per person and membership period, with the accounts active in that
 * period in one column per tool (named `account:<home page>`, several names separated by `;`).
 */
export function directoryCsv(organisation: Organisation, options: SimulationOptions): string {
  const header = [
    'person_id',
    'name',
    'email',
    'department',
    'team',
    'manager_id',
    'valid_from',
    'valid_to',
    ...SOCIAL_TOOLS.map((tool) => `account:${TOOLS[tool].homePage}`),
  ];
  const rows = [header];
  for (const person of organisation.people) {
    for (const m of person.memberships) {
      const to = m.to ?? options.days;
      const accounts = SOCIAL_TOOLS.map((tool) =>
        person.accounts
          .filter((a) => a.tool === tool && a.from < to && (a.to === undefined || a.to > m.from))
          .map((a) => a.name)
          .join(';'),
      );
      rows.push([
        person.id,
        person.name,
        person.email,
        departmentOf(organisation, teamOn(person, m.from)),
        m.team,
        person.manager ?? '',
        dayDate(options, m.from),
        m.to === undefined ? '' : dayDate(options, m.to),
        ...accounts,
      ]);
    }
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}
