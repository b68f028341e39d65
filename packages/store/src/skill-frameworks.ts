import { isDeepStrictEqual } from 'node:util';
import type {
  AlignmentRuleRecord,
  FrameworkRecord,
  SkillSettings,
  SkillWeightRecord,
  TagAlignmentRecord,
} from './derivation-settings.js';

/*
 * A store's skill frameworks. They live in the store's skill settings (derivation-settings.ts),
 * so that a change to a framework and the generation it bumps are one document write; these are
 * the pure edits of those settings that the API applies through `SkillSettingsRepository.change`.
 */

/**
 * The simulator's `framework.json` (packages/simulate/src/framework.ts): skills named by `id`,
 * the rules and tags an analyst would load, and the simulator's own catalogue, which is ignored.
 */
export interface FrameworkFile {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly {
    readonly id: string;
    readonly name: string;
    readonly description?: string;
    readonly parent?: string;
  }[];
  readonly rules?: readonly AlignmentRuleRecord[];
  readonly tags?: readonly TagAlignmentRecord[];
}

/**
 * What an import does with the file's rules and tags:
 * - `merge`: adds the rules the store does not have yet (equal rules are not repeated, so an
 *   import can be repeated), and replaces the store's tag alignments of the same tags;
 * - `replace`: the store's rules and tags become the file's;
 * - `keep`: only the framework is imported.
 */
export type ImportMode = 'merge' | 'replace' | 'keep';

export const IMPORT_MODES: readonly ImportMode[] = ['merge', 'replace', 'keep'];

/** The framework with this id, or undefined. */
export function frameworkIn(settings: SkillSettings, id: string): FrameworkRecord | undefined {
  return settings.frameworks.find((f) => f.id === id);
}

/** The settings with `framework` added, or replacing the one with its id (in its place). */
export function withFramework(settings: SkillSettings, framework: FrameworkRecord): SkillSettings {
  const at = settings.frameworks.findIndex((f) => f.id === framework.id);
  const frameworks =
    at < 0
      ? [...settings.frameworks, framework]
      : settings.frameworks.map((f, i) => (i === at ? framework : f));
  return { ...settings, frameworks };
}

/** The settings without the framework with this id. */
export function withoutFramework(settings: SkillSettings, id: string): SkillSettings {
  return { ...settings, frameworks: settings.frameworks.filter((f) => f.id !== id) };
}

/** The file's framework in Cairn's shape (`id` of a skill becomes `iri`). */
export function frameworkOfFile(file: FrameworkFile): FrameworkRecord {
  return {
    id: file.id,
    name: file.name,
    skills: file.skills.map((s) => ({
      iri: s.id,
      name: s.name,
      ...(s.description === undefined ? {} : { description: s.description }),
      ...(s.parent === undefined ? {} : { parent: s.parent }),
    })),
  };
}

const copyWeights = (skills: readonly SkillWeightRecord[]): SkillWeightRecord[] =>
  skills.map(({ skill, weight }) => ({ skill, weight }));

/**
 * The settings after importing `file`: its framework added or replaced, and its rules and tags
 * applied as `mode` says.
 */
export function importFrameworkFile(
  settings: SkillSettings,
  file: FrameworkFile,
  mode: ImportMode,
): SkillSettings {
  const next = withFramework(settings, frameworkOfFile(file));
  const rules = (file.rules ?? []).map((r) => ({ ...r, skills: copyWeights(r.skills) }));
  const tags = (file.tags ?? []).map((t) => ({ ...t, skills: copyWeights(t.skills) }));
  switch (mode) {
    case 'keep':
      return next;
    case 'replace':
      return { ...next, rules, tags };
    case 'merge': {
      const added = rules.filter((r) => !next.rules.some((old) => isDeepStrictEqual(old, r)));
      const retagged = new Set(tags.map((t) => t.tag));
      return {
        ...next,
        rules: [...next.rules, ...added],
        tags: [...next.tags.filter((t) => !retagged.has(t.tag)), ...tags],
      };
    }
  }
}
