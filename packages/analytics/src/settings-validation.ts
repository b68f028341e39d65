import { formatPath, isIri, type ValidationProblem } from '@cairn/xapi';
import type { AlignmentRule, SkillWeight, TagAlignment } from './alignment-rules.js';
import { W_MAX } from './fixed-point.js';
import {
  DEFAULT_VERB_TABLE,
  type VerbConcept,
  type VerbTable,
  type VerbTableOverride,
} from './verb-concepts.js';

/*
 * The rules on values of a store's skill settings that a JSON Schema cannot say: IRIs, weight
 * ranges, references between parts (aliases to concepts, parents to skills), cycles. Shapes
 * (types, required properties) are the caller's schema's; these functions are defensive about
 * them anyway, since a problem list is cheaper than a crash. Each returns every problem found,
 * with the path of the value at fault (`rules[0].skills[1].weight`), empty when all is well.
 */

type Segment = string | number;

/** A skill of a framework, as {@link validateFramework} reads it. */
export interface FrameworkSkill {
  readonly iri: string;
  readonly name: string;
  readonly description?: string;
  /** The broader skill (SKOS `narrows` seen from below), in the same framework. */
  readonly parent?: string;
}

/** A framework, as {@link validateFramework} reads it. */
export interface SkillFramework {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly FrameworkSkill[];
}

/** A store's rule set as an analyst writes it; null or absent keeps a default. */
export interface RuleSettings {
  readonly rules: readonly AlignmentRule[];
  readonly tags: readonly TagAlignment[];
  readonly competencyTypes?: readonly string[] | null;
  readonly alignmentExtension?: string | null;
}

class Problems {
  readonly list: ValidationProblem[] = [];

  add(path: readonly Segment[], message: string): void {
    this.list.push({ path: formatPath(path), message });
  }

  iri(path: readonly Segment[], value: unknown): void {
    if (typeof value !== 'string' || !isIri(value)) {
      this.add(path, 'must be an absolute IRI (with a scheme, such as https:)');
    }
  }

  text(path: readonly Segment[], value: unknown): void {
    if (typeof value !== 'string' || value.trim() === '') this.add(path, 'must not be empty');
  }
}

const CONDITIONS = [
  'activityId',
  'activityIdPrefix',
  'activityType',
  'verb',
  'tag',
  'platform',
] as const;

function checkSkillWeights(
  p: Problems,
  path: readonly Segment[],
  skills: readonly SkillWeight[],
): void {
  if (skills.length === 0) p.add(path, 'must name at least one skill');
  const seen = new Set<string>();
  skills.forEach(({ skill, weight }, i) => {
    p.iri([...path, i, 'skill'], skill);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 1) {
      p.add([...path, i, 'weight'], 'must be a number in (0, 1]');
    }
    if (seen.has(skill)) p.add([...path, i, 'skill'], `names ${skill} a second time`);
    seen.add(skill);
  });
}

function checkRule(p: Problems, rule: AlignmentRule, path: readonly Segment[]): void {
  const given = CONDITIONS.filter((c) => rule[c] !== undefined);
  if (given.length === 0) {
    // The resolver would ignore it (skill-alignment.ts): say so rather than store a dead rule.
    p.add(path, `must have a condition (one of ${CONDITIONS.join(', ')}); it matches nothing`);
  }
  for (const c of given) {
    if (c === 'platform') p.text([...path, c], rule.platform);
    else p.iri([...path, c], rule[c]);
  }
  if (rule.id !== undefined) p.text([...path, 'id'], rule.id);
  checkSkillWeights(p, [...path, 'skills'], rule.skills);
}

/**
 * Problems of a rule set: each rule has a condition, IRIs are absolute, weights are in (0, 1],
 * rule ids and tags are not repeated.
 */
export function validateRuleSettings(settings: RuleSettings): ValidationProblem[] {
  const p = new Problems();
  const ruleIds = new Map<string, number>();
  settings.rules.forEach((rule, i) => {
    checkRule(p, rule, ['rules', i]);
    if (rule.id === undefined) return;
    const first = ruleIds.get(rule.id);
    if (first !== undefined) p.add(['rules', i, 'id'], `repeats the id of rules[${first}]`);
    else ruleIds.set(rule.id, i);
  });
  const tags = new Map<string, number>();
  settings.tags.forEach((tag, i) => {
    p.iri(['tags', i, 'tag'], tag.tag);
    checkSkillWeights(p, ['tags', i, 'skills'], tag.skills);
    const first = tags.get(tag.tag);
    if (first !== undefined) p.add(['tags', i, 'tag'], `repeats the tag of tags[${first}]`);
    else tags.set(tag.tag, i);
  });
  settings.competencyTypes?.forEach((type, i) => p.iri(['competencyTypes', i], type));
  if (settings.alignmentExtension !== undefined && settings.alignmentExtension !== null) {
    p.iri(['alignmentExtension'], settings.alignmentExtension);
  }
  return p.list;
}

const CONCEPT_VALUES: { readonly [K in Exclude<keyof VerbConcept, 'weight'>]: readonly string[] } =
  {
    source: ['formal', 'social'],
    kind: ['outcome', 'practice', 'recognition', 'exposure', 'assertion', 'none'],
    outcome: ['none', 'score-else-1', 'score-else-0', 'score', 'success', 'one', 'zero'],
    credit: ['actor', 'author'],
  };

const CONCEPT_FIELDS = ['source', 'kind', 'outcome', 'credit', 'weight'] as const;

/**
 * Problems of a store's verb override, against the table it is merged over (default: the
 * default table): every alias names a concept that exists after the merge, a new concept is
 * complete (mergeVerbTables would drop a partial one silently), values are in range, and activity
 * types are IRIs.
 */
export function validateVerbOverride(
  override: VerbTableOverride,
  base: VerbTable = DEFAULT_VERB_TABLE,
): ValidationProblem[] {
  const p = new Problems();
  const concepts = new Set(Object.keys(base.concepts));
  for (const [name, part] of Object.entries(override.concepts ?? {})) {
    const path = ['concepts', name];
    if (name.trim() === '') p.add(path, 'a concept needs a name');
    for (const [field, allowed] of Object.entries(CONCEPT_VALUES)) {
      const value: unknown = part[field as keyof typeof CONCEPT_VALUES];
      if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
        p.add([...path, field], `must be one of ${allowed.join(', ')}`);
      }
    }
    const weight = part.weight;
    if (weight !== undefined && !(Number.isFinite(weight) && weight >= 0 && weight <= W_MAX)) {
      p.add([...path, 'weight'], `must be a number in [0, ${W_MAX}]`);
    }
    if (!Object.hasOwn(base.concepts, name)) {
      const missing = CONCEPT_FIELDS.filter((f) => part[f] === undefined);
      if (missing.length > 0) {
        p.add(path, `is a new concept and needs every field; missing: ${missing.join(', ')}`);
      }
    }
    concepts.add(name);
  }
  for (const [iri, concept] of Object.entries(override.aliases ?? {})) {
    if (!isIri(iri)) p.add(['aliases', iri], 'the verb must be an absolute IRI');
    if (!concepts.has(concept)) {
      p.add(['aliases', iri], `names the unknown concept ${JSON.stringify(concept)}`);
    }
  }
  override.qaActivityTypes?.forEach((t, i) => p.iri(['qaActivityTypes', i], t));
  override.videoActivityTypes?.forEach((t, i) => p.iri(['videoActivityTypes', i], t));
  return p.list;
}

/** The indices of skills that sit on a cycle of parents, each cycle reported once. */
function parentCycles(skills: readonly FrameworkSkill[]): { at: number; cycle: string[] }[] {
  const index = new Map(skills.map((s, i) => [s.iri, i]));
  const reported = new Set<number>();
  const cycles: { at: number; cycle: string[] }[] = [];
  skills.forEach((start, i) => {
    if (reported.has(i)) return;
    const path: number[] = [i];
    let next = start.parent === undefined ? undefined : index.get(start.parent);
    // A chain longer than the framework must repeat a skill; stop there in any case.
    while (next !== undefined && path.length <= skills.length) {
      if (next === i) {
        path.forEach((j) => reported.add(j));
        cycles.push({ at: i, cycle: [...path, i].map((j) => skills[j]?.iri ?? '') });
        return;
      }
      if (path.includes(next)) return; // A cycle further up: reported from one of its skills.
      path.push(next);
      const parent = skills[next]?.parent;
      next = parent === undefined ? undefined : index.get(parent);
    }
  });
  return cycles;
}

/**
 * Problems of a framework: an id and a name, skills with absolute and unique IRIs and names,
 * parents that are skills of the same framework, and no cycle of parents.
 */
export function validateFramework(framework: SkillFramework): ValidationProblem[] {
  const p = new Problems();
  p.text(['id'], framework.id);
  p.text(['name'], framework.name);
  const first = new Map<string, number>();
  framework.skills.forEach((skill, i) => {
    p.iri(['skills', i, 'iri'], skill.iri);
    p.text(['skills', i, 'name'], skill.name);
    const seen = first.get(skill.iri);
    if (seen !== undefined) p.add(['skills', i, 'iri'], `repeats the skill of skills[${seen}]`);
    else first.set(skill.iri, i);
  });
  framework.skills.forEach((skill, i) => {
    if (skill.parent === undefined) return;
    if (skill.parent === skill.iri) p.add(['skills', i, 'parent'], 'is the skill itself');
    else if (!first.has(skill.parent)) {
      p.add(['skills', i, 'parent'], `is not a skill of this framework: ${skill.parent}`);
    }
  });
  for (const { at, cycle } of parentCycles(framework.skills)) {
    if (cycle.length > 2) {
      p.add(['skills', at, 'parent'], `makes a cycle of parents: ${cycle.join(' -> ')}`);
    }
  }
  return p.list;
}
