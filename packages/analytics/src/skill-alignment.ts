import { contextActivityList, isActivity, type Activity, type Statement } from '@cairn/xapi';
import type { AlignmentRule, AlignmentRuleSet, SkillWeight } from './alignment-rules.js';

/** The ways of docs/analytics-core.md, section 1 a statement can name a skill. */
export type AlignmentWay = 'A' | 'B' | 'C' | 'D' | 'E';

/** Why a skill was resolved: one way, its weight, and a human-readable detail for dry runs. */
export interface AlignmentReason {
  readonly way: AlignmentWay;
  readonly weight: number;
  readonly detail: string;
}

/** A skill a statement is aligned to, with the alignment weight used and every reason. */
export interface AlignedSkill {
  readonly skill: string;
  /** The largest weight among the reasons (see docs/analytics-core.md: ways do not add up). */
  readonly weight: number;
  readonly reasons: readonly AlignmentReason[];
}

/** What the resolver found. */
export interface AlignmentResult {
  /** Sorted by skill IRI, so that the same statement always gives the same list. */
  readonly skills: readonly AlignedSkill[];
  /** Skills a statement named itself (ways A, B, C) that the store does not know. */
  readonly unknownSkills: readonly string[];
}

/** A weight as the model allows it: finite, in (0, 1]; anything else is no alignment. */
function sanitiseWeight(weight: unknown): number | undefined {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) return undefined;
  return Math.min(weight, 1);
}

/** Way C's value: one IRI, or a list of IRIs and `{ skill, weight }` (weight defaults to 1). */
function extensionSkills(value: unknown): SkillWeight[] {
  const entries: unknown[] = Array.isArray(value) ? value : [value];
  const skills: SkillWeight[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') skills.push({ skill: entry, weight: 1 });
    else if (typeof entry === 'object' && entry !== null && 'skill' in entry) {
      const { skill } = entry;
      const weight = 'weight' in entry ? entry.weight : 1;
      const w = sanitiseWeight(weight);
      if (typeof skill === 'string' && w !== undefined) skills.push({ skill, weight: w });
    }
  }
  return skills;
}

function describeRule(rule: AlignmentRule, index: number): string {
  const conditions = (
    ['activityId', 'activityIdPrefix', 'activityType', 'verb', 'tag', 'platform'] as const
  ).flatMap((k) => (rule[k] === undefined ? [] : [`${k}=${rule[k]}`]));
  return `rule ${rule.id ?? `#${index}`} (${conditions.join(', ')})`;
}

function ruleMatches(
  rule: AlignmentRule,
  object: Activity,
  statement: Statement,
  categories: ReadonlySet<string>,
): boolean {
  const conditions = [
    rule.activityId === undefined || rule.activityId === object.id,
    rule.activityIdPrefix === undefined || object.id.startsWith(rule.activityIdPrefix),
    rule.activityType === undefined || rule.activityType === object.definition?.type,
    rule.verb === undefined || rule.verb === statement.verb.id,
    rule.tag === undefined || categories.has(rule.tag),
    rule.platform === undefined || rule.platform === statement.context?.platform,
  ];
  const hasCondition =
    rule.activityId !== undefined ||
    rule.activityIdPrefix !== undefined ||
    rule.activityType !== undefined ||
    rule.verb !== undefined ||
    rule.tag !== undefined ||
    rule.platform !== undefined;
  return hasCondition && conditions.every(Boolean);
}

/**
 * The skills a statement is aligned to and why, in all of section 1's ways: A, its object is a
 * competency; B, a competency among its grouping, category or other context activities; C, the
 * alignment extension of its object's definition; D, a rule of the store matches its object
 * (with verb, tag and platform conditions); E, a tag in its category that the store maps to
 * skills. A statement whose object is not an Activity is aligned to nothing.
 */
export function resolveAlignment(statement: Statement, ruleSet: AlignmentRuleSet): AlignmentResult {
  const object = statement.object;
  if (!isActivity(object)) return { skills: [], unknownSkills: [] };
  const found = new Map<string, AlignmentReason[]>();
  const unknown = new Set<string>();
  const add = (skill: string, reason: AlignmentReason, own: boolean): void => {
    if (own && ruleSet.knownSkills !== undefined && !ruleSet.knownSkills.has(skill)) {
      unknown.add(skill);
      return;
    }
    found.set(skill, [...(found.get(skill) ?? []), reason]);
  };
  const isCompetency = (a: Activity): boolean =>
    a.definition?.type !== undefined && ruleSet.competencyTypes.includes(a.definition.type);

  if (isCompetency(object)) {
    add(object.id, { way: 'A', weight: 1, detail: 'the object is a competency' }, true);
  }
  const context = statement.context?.contextActivities;
  for (const list of ['grouping', 'category', 'other'] as const) {
    for (const activity of contextActivityList(context?.[list])) {
      if (isCompetency(activity)) {
        const detail = `a competency in contextActivities.${list}`;
        add(activity.id, { way: 'B', weight: 1, detail }, true);
      }
    }
  }
  const extension = object.definition?.extensions?.[ruleSet.alignmentExtension];
  if (extension !== undefined) {
    for (const { skill, weight } of extensionSkills(extension)) {
      add(skill, { way: 'C', weight, detail: 'the alignment extension of the object' }, true);
    }
  }
  const categories = new Set(contextActivityList(context?.category).map((a) => a.id));
  ruleSet.rules.forEach((rule, index) => {
    if (!ruleMatches(rule, object, statement, categories)) return;
    for (const { skill, weight } of rule.skills) {
      const w = sanitiseWeight(weight);
      if (w !== undefined)
        add(skill, { way: 'D', weight: w, detail: describeRule(rule, index) }, false);
    }
  });
  for (const tag of ruleSet.tags) {
    if (!categories.has(tag.tag)) continue;
    for (const { skill, weight } of tag.skills) {
      const w = sanitiseWeight(weight);
      if (w !== undefined)
        add(skill, { way: 'E', weight: w, detail: `tag ${tag.tag} in category` }, false);
    }
  }
  const skills = [...found.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([skill, reasons]) => ({
      skill,
      weight: Math.max(...reasons.map((r) => r.weight)),
      reasons,
    }));
  return { skills, unknownSkills: [...unknown].sort() };
}
