import { contextActivityList, isActivity, type Activity, type Statement } from '@cairn/xapi';
import type { AlignmentRule, AlignmentWay, Framework, SkillWeight } from './framework.js';
import { ACTIVITY_TYPES, EXTENSIONS } from './vocabulary.js';

/** A skill a statement names, its weight, and the way the statement names it. */
export interface ResolvedSkill extends SkillWeight {
  readonly way: AlignmentWay;
}

function alignmentExtension(activity: Activity): SkillWeight[] {
  const value = activity.definition?.extensions?.[EXTENSIONS.alignment];
  if (!Array.isArray(value)) return [];
  const skills: SkillWeight[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry === 'string') skills.push({ skill: entry, weight: 1 });
    else if (typeof entry === 'object' && entry !== null) {
      const { skill, weight } = entry as { skill?: unknown; weight?: unknown };
      if (typeof skill === 'string') {
        skills.push({ skill, weight: typeof weight === 'number' ? weight : 1 });
      }
    }
  }
  return skills;
}

function ruleMatches(rule: AlignmentRule, activity: Activity, platform: string | undefined) {
  return (
    (rule.activityId === undefined || rule.activityId === activity.id) &&
    (rule.activityIdPrefix === undefined || activity.id.startsWith(rule.activityIdPrefix)) &&
    (rule.activityType === undefined || rule.activityType === activity.definition?.type) &&
    (rule.platform === undefined || rule.platform === platform)
  );
}

/**
 * The skills a (valid) statement names, in each of the ways of docs/analytics-core.md, section 1:
 * A, its object is a competency; B, a competency among its context activities (grouping,
 * category, other); C, an alignment extension in its object's definition; D, a rule of the
 * framework matches its object; E, a tag in its category that the framework maps to skills.
 * The simulator uses it to check its own alignments; it is not the pipeline's resolver.
 */
export function resolveSkills(statement: Statement, framework: Framework): ResolvedSkill[] {
  const found: ResolvedSkill[] = [];
  const object = statement.object;
  if (!isActivity(object)) return found;
  const known = new Set(framework.skills.map((s) => s.id));
  if (object.definition?.type === ACTIVITY_TYPES.competency && known.has(object.id)) {
    found.push({ skill: object.id, weight: 1, way: 'A' });
  }
  const context = statement.context?.contextActivities;
  for (const list of ['grouping', 'category', 'other'] as const) {
    for (const activity of contextActivityList(context?.[list])) {
      if (activity.definition?.type === ACTIVITY_TYPES.competency && known.has(activity.id)) {
        found.push({ skill: activity.id, weight: 1, way: 'B' });
      }
    }
  }
  for (const aligned of alignmentExtension(object)) found.push({ ...aligned, way: 'C' });
  for (const rule of framework.rules) {
    if (ruleMatches(rule, object, statement.context?.platform)) {
      for (const aligned of rule.skills) found.push({ ...aligned, way: 'D' });
    }
  }
  const tags = new Map(framework.tags.map((t) => [t.tag, t.skills]));
  for (const activity of contextActivityList(context?.category)) {
    for (const aligned of tags.get(activity.id) ?? []) found.push({ ...aligned, way: 'E' });
  }
  return found;
}
