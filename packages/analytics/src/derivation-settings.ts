import {
  EMPTY_RULE_SET,
  type AlignmentRule,
  type AlignmentRuleSet,
  type TagAlignment,
} from './alignment-rules.js';
import {
  DEFAULT_VERB_TABLE,
  mergeVerbTables,
  type VerbTable,
  type VerbTableOverride,
} from './verb-concepts.js';

/**
 * A store's skill settings as plain data, as storage keeps them (packages/store's
 * `DerivationSettings` has this shape): what a store changed, with `null` where it keeps the
 * default, so that the defaults stay owned by this package.
 */
export interface DerivationSettings {
  /** Rises with every change of the store's frameworks, rules or verbs. */
  readonly generation: number;
  readonly rules: readonly AlignmentRule[];
  readonly tags: readonly TagAlignment[];
  /** null: {@link EMPTY_RULE_SET}'s competency types. */
  readonly competencyTypes: readonly string[] | null;
  /** null: {@link EMPTY_RULE_SET}'s alignment extension. */
  readonly alignmentExtension: string | null;
  /** Every skill of the store's frameworks; null when the store has no framework. */
  readonly knownSkills: readonly string[] | null;
  /** The store's override of {@link DEFAULT_VERB_TABLE}. */
  readonly verbs: VerbTableOverride;
}

/** What {@link statementEvidence} needs of a store, and the generation it was made from. */
export interface Derivation {
  readonly generation: number;
  readonly verbs: VerbTable;
  readonly rules: AlignmentRuleSet;
}

/**
 * A store's settings as the tables evidence is derived with: the verb override merged over the
 * default table, the rules with the default competency types and extension where the store
 * keeps them. With no framework, knownSkills stays undefined: a store that has not described
 * its skills accepts every skill its statements name (ways A-C), rather than none.
 */
export function derivationOf(settings: DerivationSettings): Derivation {
  const rules: AlignmentRuleSet = {
    rules: settings.rules,
    tags: settings.tags,
    competencyTypes: settings.competencyTypes ?? EMPTY_RULE_SET.competencyTypes,
    alignmentExtension: settings.alignmentExtension ?? EMPTY_RULE_SET.alignmentExtension,
    ...(settings.knownSkills === null ? {} : { knownSkills: new Set(settings.knownSkills) }),
  };
  return {
    generation: settings.generation,
    verbs: mergeVerbTables(DEFAULT_VERB_TABLE, settings.verbs),
    rules,
  };
}
