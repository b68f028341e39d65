import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';
import { isDuplicateKey } from './duplicate-keys.js';
import { StoreErrors } from './errors.js';

/*
 * A store's skill settings: its frameworks, alignment rules (ways D and E, the competency types
 * of ways A and B, the extension of way C) and verb table override. The types mirror
 * @cairn/analytics' (AlignmentRule, TagAlignment, VerbTableOverride, DerivationSettings) without
 * depending on it; the aggregator's assignment of one to the other is where a drift stops
 * compiling.
 */

/** A skill: an IRI with a name, optionally a description and a broader skill of its framework. */
export interface SkillRecord {
  readonly iri: string;
  readonly name: string;
  readonly description?: string;
  /** The broader skill's IRI (SKOS `narrows` seen from below). */
  readonly parent?: string;
}

/** A framework: skills grouped under an id and a name. */
export interface FrameworkRecord {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly SkillRecord[];
}

/** A skill and how strongly something is aligned to it, in (0, 1]. */
export interface SkillWeightRecord {
  readonly skill: string;
  readonly weight: number;
}

/** Way D: a rule; every condition given must hold. */
export interface AlignmentRuleRecord {
  readonly id?: string;
  readonly activityId?: string;
  readonly activityIdPrefix?: string;
  readonly activityType?: string;
  readonly verb?: string;
  readonly tag?: string;
  readonly platform?: string;
  readonly skills: readonly SkillWeightRecord[];
}

/** Way E: a tag activity and the skills it stands for (the name is for people). */
export interface TagAlignmentRecord {
  readonly tag: string;
  readonly name?: string;
  readonly skills: readonly SkillWeightRecord[];
}

/** A verb concept's meaning (analytics' VerbConcept). */
export interface VerbConceptRecord {
  readonly source: 'formal' | 'social';
  readonly kind: 'outcome' | 'practice' | 'recognition' | 'exposure' | 'assertion' | 'none';
  readonly outcome: 'none' | 'score-else-1' | 'score-else-0' | 'score' | 'success' | 'one' | 'zero';
  readonly credit: 'actor' | 'author';
  readonly weight: number;
}

/** A store's override of the default verb table (analytics' VerbTableOverride). */
export interface VerbOverrideRecord {
  readonly aliases?: Readonly<Record<string, string>>;
  readonly concepts?: Readonly<Record<string, Partial<VerbConceptRecord>>>;
  readonly qaActivityTypes?: readonly string[];
  readonly videoActivityTypes?: readonly string[];
}

/** Everything a store says about skills. null: the default of @cairn/analytics applies. */
export interface SkillSettings {
  readonly frameworks: readonly FrameworkRecord[];
  readonly rules: readonly AlignmentRuleRecord[];
  readonly tags: readonly TagAlignmentRecord[];
  readonly competencyTypes: readonly string[] | null;
  readonly alignmentExtension: string | null;
  readonly verbs: VerbOverrideRecord;
}

/** The settings of a store as of one generation. */
export interface SkillSettingsVersion {
  /** 0 for a store that never changed its settings; +1 with every change. */
  readonly generation: number;
  /** When this generation was written; null for generation 0. */
  readonly changedAt: Date | null;
  readonly settings: SkillSettings;
}

/** What the pipeline and the dry run derive evidence with: analytics' DerivationSettings. */
export interface DerivationSettings {
  readonly generation: number;
  readonly rules: readonly AlignmentRuleRecord[];
  readonly tags: readonly TagAlignmentRecord[];
  readonly competencyTypes: readonly string[] | null;
  readonly alignmentExtension: string | null;
  /** Every skill of the store's frameworks; null when it has none. */
  readonly knownSkills: readonly string[] | null;
  readonly verbs: VerbOverrideRecord;
}

/** The settings of a store that has changed nothing. */
export const DEFAULT_SKILL_SETTINGS: SkillSettings = Object.freeze({
  frameworks: [],
  rules: [],
  tags: [],
  competencyTypes: null,
  alignmentExtension: null,
  verbs: {},
});

/**
 * The most a version's JSON may hold: a database document stops at 16 MiB, and the rest of the
 * document is a few small fields. Callers check this before they ask for a change, to answer
 * the client plainly (413); the repository checks it again.
 */
export const MAX_SKILL_SETTINGS_BYTES = 16 * 1024 * 1024 - 64 * 1024;

/** Versions kept per store besides the latest: a re-derivation can compare with earlier ones. */
export const SKILL_SETTINGS_HISTORY = 20;

/** Rounds of read-decide-write before a change gives up on settings that keep changing. */
const MAX_ATTEMPTS = 5;

/**
 * Port: the skill settings of one store, versioned. Each change writes the whole settings as the
 * next generation: one inserted document, so a change is atomic and two writers of the same
 * generation cannot both win (one insert of an `_id` wins, the others get 11000).
 */
export interface SkillSettingsRepository {
  /** The latest version, or generation 0 with {@link DEFAULT_SKILL_SETTINGS}. */
  current(): Promise<SkillSettingsVersion>;
  /** An earlier version while it is kept ({@link SKILL_SETTINGS_HISTORY}); null otherwise. */
  at(generation: number): Promise<SkillSettingsVersion | null>;
  /**
   * Reads the current version, asks `decide` for the new settings, and writes them as the next
   * generation unless another writer got there first; then `decide` is asked again about the
   * newer version. `decide` may throw to refuse (a failed precondition, an unknown framework),
   * or return null to change nothing. Returns the version written (or the current one).
   */
  change(
    decide: (current: SkillSettingsVersion) => SkillSettings | null,
    now: Date,
  ): Promise<SkillSettingsVersion>;
  /** The one read the pipeline and the API derive evidence with: the current settings, plain. */
  derivationSettings(): Promise<DerivationSettings>;
}

interface SkillSettingsDoc {
  /** JSON [storeId, generation]. */
  _id: string;
  storeId: string;
  generation: number;
  changedAt: Date;
  /** The {@link SkillSettings} as JSON: verb IRIs are keys, and keys with dots cannot be stored. */
  json: string;
}

const versionOf = (doc: SkillSettingsDoc): SkillSettingsVersion => ({
  generation: doc.generation,
  changedAt: doc.changedAt,
  settings: JSON.parse(doc.json) as SkillSettings,
});

/** Every skill IRI of the frameworks, once each, sorted; null when there is no framework. */
export function knownSkillsOf(frameworks: readonly FrameworkRecord[]): string[] | null {
  if (frameworks.length === 0) return null;
  return [...new Set(frameworks.flatMap((f) => f.skills.map((s) => s.iri)))].sort();
}

/** The plain data evidence is derived with, from one version. */
export function derivationSettingsOf(version: SkillSettingsVersion): DerivationSettings {
  const { settings } = version;
  return {
    generation: version.generation,
    rules: settings.rules,
    tags: settings.tags,
    competencyTypes: settings.competencyTypes,
    alignmentExtension: settings.alignmentExtension,
    knownSkills: knownSkillsOf(settings.frameworks),
    verbs: settings.verbs,
  };
}

export function mongoSkillSettingsRepository(db: Db, storeId: string): SkillSettingsRepository {
  const col = db.collection<SkillSettingsDoc>(COLLECTIONS.skillSettings);
  const idOf = (generation: number): string => JSON.stringify([storeId, generation]);

  async function current(): Promise<SkillSettingsVersion> {
    try {
      // Served by store_generation (indexes.ts).
      const doc = await col.find({ storeId }).sort({ generation: -1 }).limit(1).next();
      return doc === null
        ? { generation: 0, changedAt: null, settings: DEFAULT_SKILL_SETTINGS }
        : versionOf(doc);
    } catch (error) {
      throw StoreErrors.wrap(error);
    }
  }

  /** Inserts the version; false when that generation was written by someone else first. */
  async function insert(generation: number, json: string, now: Date): Promise<boolean> {
    try {
      await col.insertOne({ _id: idOf(generation), storeId, generation, changedAt: now, json });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw StoreErrors.wrap(error);
    }
  }

  return {
    current,

    async at(generation) {
      if (generation === 0) {
        return { generation: 0, changedAt: null, settings: DEFAULT_SKILL_SETTINGS };
      }
      try {
        const doc = await col.findOne({ _id: idOf(generation) });
        return doc === null ? null : versionOf(doc);
      } catch (error) {
        throw StoreErrors.wrap(error);
      }
    },

    async change(decide, now) {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const version = await current();
        // `decide` runs outside any try: its errors (412, 404, 400) reach the caller as they are.
        const next = decide(version);
        if (next === null) return version;
        const json = JSON.stringify(next);
        if (Buffer.byteLength(json, 'utf8') > MAX_SKILL_SETTINGS_BYTES) {
          throw new StoreErrors.failed(
            `skill settings of ${Buffer.byteLength(json, 'utf8')} bytes are more than one database document holds`,
          );
        }
        const generation = version.generation + 1;
        if (!(await insert(generation, json, now))) continue;
        try {
          // Served by store_generation. Only old versions go; if this fails, the next change
          // deletes them, so a failure here must not fail a change that was made.
          await col.deleteMany({
            storeId,
            generation: { $lte: generation - SKILL_SETTINGS_HISTORY - 1 },
          });
        } catch {
          // Nothing to do: see above.
        }
        return { generation, changedAt: now, settings: next };
      }
      throw new StoreErrors.conflict(
        `the skill settings changed ${MAX_ATTEMPTS} times while this request was applied; retry`,
      );
    },

    async derivationSettings() {
      return derivationSettingsOf(await current());
    },
  };
}
