/**
 * A store's alignment rule set (docs/analytics-core.md, section 1, ways D and E, and the activity
 * types of ways A and B). Analysts edit it; the resolver in skill-alignment.ts reads it.
 */

/** A skill and how strongly something is aligned to it, in (0, 1]. */
export interface SkillWeight {
  readonly skill: string;
  readonly weight: number;
}

/**
 * Way D: a rule of the store's table. Every condition given must hold; a rule with no condition
 * matches nothing (an empty rule is a mistake, not a wildcard).
 */
export interface AlignmentRule {
  /** A name for the rule, shown in dry-run reasons. */
  readonly id?: string;
  /** The object activity's id, exactly. */
  readonly activityId?: string;
  /** A prefix of the object activity's id. */
  readonly activityIdPrefix?: string;
  /** The object activity's definition type. */
  readonly activityType?: string;
  /** The verb IRI, exactly (not the concept: a rule may single out one tool's verb). */
  readonly verb?: string;
  /** A tag activity id that must be among the statement's category activities. */
  readonly tag?: string;
  /** `context.platform`, exactly. */
  readonly platform?: string;
  readonly skills: readonly SkillWeight[];
}

/** Way E: a tag activity (in `contextActivities.category`) and the skills it stands for. */
export interface TagAlignment {
  readonly tag: string;
  readonly skills: readonly SkillWeight[];
}

/** Everything a store says about alignment. */
export interface AlignmentRuleSet {
  readonly rules: readonly AlignmentRule[];
  readonly tags: readonly TagAlignment[];
  /**
   * The skill IRIs the store knows. When given, skills that statements name themselves (ways A,
   * B, C) must be among them; others are reported as unknown skills, not turned into evidence.
   */
  readonly knownSkills?: ReadonlySet<string>;
  /** Activity types that mark a competency (ways A and B). */
  readonly competencyTypes: readonly string[];
  /** The extension key of way C, in the object activity's definition. */
  readonly alignmentExtension: string;
}

/** The TLA competency type: the one ways A and B recognise unless a store adds others. */
export const COMPETENCY_ACTIVITY_TYPE = 'https://w3id.org/xapi/tla/activity-types/competency';

/** The tag activity type of way E (informational: tags are matched by id, see docs). */
export const TAG_ACTIVITY_TYPE = 'http://id.tincanapi.com/activitytype/tag';

/** The alignment extension (way C): a list of skill IRIs or `{ skill, weight }`. */
export const SKILL_ALIGNMENT_EXTENSION = 'https://cairn-lrs.org/xapi/extensions/skill-alignment';

/** A rule set with no rules or tags: only the statements' own conventions (A, B, C) apply. */
export const EMPTY_RULE_SET: AlignmentRuleSet = Object.freeze({
  rules: [],
  tags: [],
  competencyTypes: [COMPETENCY_ACTIVITY_TYPE],
  alignmentExtension: SKILL_ALIGNMENT_EXTENSION,
});
