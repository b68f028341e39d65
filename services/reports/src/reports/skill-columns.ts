import type { FrameworkRecord } from '@cairn/store';
import { ReportErrors } from './report-errors.js';

/** A skill a report shows, and every skill whose evidence counts for it (itself and below). */
export interface SkillColumn {
  readonly skill: string;
  readonly name: string;
  readonly framework: string;
  /** The skill and its descendants: a parent skill includes its children. */
  readonly covers: ReadonlySet<string>;
  /** Its broader skills, nearest first. */
  readonly ancestors: readonly string[];
}

export interface SkillColumns {
  readonly columns: readonly SkillColumn[];
  /** Every skill whose buckets a report must read. */
  readonly skills: readonly string[];
  /** The columns a bucket of this skill counts for. */
  columnsOf(skill: string): readonly SkillColumn[];
}

/**
 * The skills a report is about: every skill of the store's frameworks (or of `framework`), or the
 * one `skill`. An unknown framework or skill is a 404 that names it, rather than an empty report
 * that looks like "no evidence".
 */
export function skillColumns(
  frameworks: readonly FrameworkRecord[],
  filter: { readonly framework?: string | undefined; readonly skill?: string | undefined },
): SkillColumns {
  const chosen =
    filter.framework === undefined
      ? frameworks
      : frameworks.filter((f) => f.id === filter.framework);
  if (filter.framework !== undefined && chosen.length === 0)
    throw new ReportErrors.notFound(`no framework ${filter.framework} in this store`);
  const parentOf = new Map<string, string | undefined>();
  const info = new Map<string, { name: string; framework: string }>();
  for (const f of chosen)
    for (const s of f.skills) {
      parentOf.set(s.iri, s.parent);
      info.set(s.iri, { name: s.name, framework: f.id });
    }
  const ancestorsOf = (iri: string): string[] => {
    const out: string[] = [];
    for (let p = parentOf.get(iri); p !== undefined && !out.includes(p); p = parentOf.get(p))
      out.push(p);
    return out;
  };
  const covers = new Map<string, Set<string>>();
  for (const iri of parentOf.keys()) {
    for (const owner of [iri, ...ancestorsOf(iri)]) {
      const set = covers.get(owner) ?? new Set<string>();
      set.add(iri);
      covers.set(owner, set);
    }
  }
  if (filter.skill !== undefined && !parentOf.has(filter.skill))
    throw new ReportErrors.notFound(
      `no skill ${filter.skill} in ${filter.framework === undefined ? "this store's frameworks" : `framework ${filter.framework}`}`,
    );
  const shown = filter.skill === undefined ? [...parentOf.keys()] : [filter.skill];
  const columns = shown.map((skill): SkillColumn => ({
    skill,
    name: info.get(skill)?.name ?? skill,
    framework: info.get(skill)?.framework ?? '',
    covers: covers.get(skill) ?? new Set([skill]),
    ancestors: ancestorsOf(skill),
  }));
  const byBucketSkill = new Map<string, SkillColumn[]>();
  for (const c of columns)
    for (const s of c.covers) byBucketSkill.set(s, [...(byBucketSkill.get(s) ?? []), c]);
  return {
    columns,
    skills: [...byBucketSkill.keys()].sort(),
    columnsOf: (skill) => byBucketSkill.get(skill) ?? [],
  };
}
