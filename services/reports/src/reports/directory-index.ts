import type { MembershipRecord, PersonRecord } from '@cairn/store';

/** How a report places evidence in cohorts: by membership on the evidence's day, or as of now. */
export type MembershipMode = 'event' | 'current';

/** The cohort of people without a directory entry (or without the attribute on that day). */
export const NO_COHORT = '(none)';

/** The cohort attributes every directory has; any other attribute is a directory column. */
export const BUILT_IN_ATTRIBUTES = ['team', 'department', 'manager'] as const;

/**
 * A store's people and directory, read once per report: which person an identifier key is, and
 * which cohort a person was in on a day. Evidence is keyed by identifier; people group identifiers
 * (docs/identity.md); directory records name identifiers too, so both meet at the person.
 */
export interface DirectoryIndex {
  /** The person of an identifier key; the key itself when no person has it (not yet recorded). */
  personOf(subject: string): string;
  /** The directory record of a person, when the directory names one of their identifiers. */
  recordOf(person: string): MembershipRecord | undefined;
  /** The value of `attribute` for the person on `day` (YYYY-MM-DD); NO_COHORT when none. */
  cohortOn(person: string, attribute: string, day: string): string;
  /** Every person with at least one identifier recorded. */
  readonly people: ReadonlySet<string>;
  /** The identifier keys of a person. */
  identifiersOf(person: string): readonly string[];
  /** Every attribute some directory record has (built-in ones first). */
  readonly attributes: readonly string[];
}

function valueOn(record: MembershipRecord, attribute: string, day: string): string {
  if (attribute === 'manager') return record.manager ?? NO_COHORT;
  const period = record.periods.find((p) => p.from <= day && (p.to === undefined || day < p.to));
  if (period === undefined) return NO_COHORT;
  if (attribute === 'team') return period.team;
  if (attribute === 'department') return period.department;
  return period.attributes?.find((a) => a.name === attribute)?.value ?? NO_COHORT;
}

export function directoryIndex(
  people: readonly PersonRecord[],
  records: readonly MembershipRecord[],
): DirectoryIndex {
  const personByKey = new Map<string, string>();
  const keysOf = new Map<string, readonly string[]>();
  for (const p of people) {
    keysOf.set(p.personId, p.identifiers);
    for (const key of p.identifiers) personByKey.set(key, p.personId);
  }
  const personOf = (key: string): string => personByKey.get(key) ?? key;
  const recordByPerson = new Map<string, MembershipRecord>();
  const extra = new Set<string>();
  for (const record of records) {
    // A record's identifiers all belong to one person unless people were split since the import:
    // the first identifier a person has decides, as the identity page documents.
    const person = record.identifiers.map((k) => personByKey.get(k)).find((p) => p !== undefined);
    if (person !== undefined && !recordByPerson.has(person)) recordByPerson.set(person, record);
    for (const period of record.periods) for (const a of period.attributes ?? []) extra.add(a.name);
  }
  return {
    personOf,
    recordOf: (person) => recordByPerson.get(person),
    cohortOn(person, attribute, day) {
      const record = recordByPerson.get(person);
      return record === undefined ? NO_COHORT : valueOn(record, attribute, day);
    },
    people: new Set(keysOf.keys()),
    identifiersOf: (person) => keysOf.get(person) ?? [],
    attributes: [
      ...BUILT_IN_ATTRIBUTES,
      ...[...extra].filter((a) => !BUILT_IN_ATTRIBUTES.includes(a as 'team')).sort(),
    ],
  };
}
