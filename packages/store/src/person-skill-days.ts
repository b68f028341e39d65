import type { EvidenceRecordKind, EvidenceRecordSource } from './evidence.js';
import { TOTAL_FIELDS, type SkillDay, type SkillDayTotals } from './skill-days.js';

/** Which buckets a person-level read covers: days `from`..`to` inclusive (UTC, YYYY-MM-DD). */
export interface SkillDayRange {
  readonly from?: string;
  readonly to?: string;
  readonly skill?: string;
}

/** One person's bucket: the sum of the buckets of the person's identifiers with this key. */
export interface PersonSkillDay {
  readonly skill: string;
  readonly day: string;
  readonly source: EvidenceRecordSource;
  readonly kind: EvidenceRecordKind;
  readonly totals: SkillDayTotals;
}

function addTotals(a: SkillDayTotals, b: SkillDayTotals): SkillDayTotals {
  const sum = { ...a };
  for (const f of TOTAL_FIELDS) sum[f] = a[f] + b[f];
  return sum;
}

/**
 * Sums identifier-keyed buckets into person-level ones (docs/identity.md): buckets are pure sums,
 * so adding those of a person's identifiers at read time equals re-keying them to the person.
 * Sorted by skill, day, source, kind.
 */
export function sumPersonSkillDays(days: readonly SkillDay[]): PersonSkillDay[] {
  const byKey = new Map<string, PersonSkillDay>();
  for (const { key, totals } of days) {
    const id = JSON.stringify([key.skill, key.day, key.source, key.kind]);
    const seen = byKey.get(id);
    byKey.set(id, {
      skill: key.skill,
      day: key.day,
      source: key.source,
      kind: key.kind,
      totals: seen === undefined ? totals : addTotals(seen.totals, totals),
    });
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, day]) => day);
}

/** The totals of person-level buckets per skill, sorted by skill. */
export function totalsPerSkill(days: readonly PersonSkillDay[]): Map<string, SkillDayTotals> {
  const bySkill = new Map<string, SkillDayTotals>();
  for (const d of [...days].sort((a, b) => (a.skill < b.skill ? -1 : a.skill > b.skill ? 1 : 0))) {
    const seen = bySkill.get(d.skill);
    bySkill.set(d.skill, seen === undefined ? d.totals : addTotals(seen, d.totals));
  }
  return bySkill;
}
