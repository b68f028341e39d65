/**
 * Verb concepts (docs/analytics-core.md, section 2): several IRIs mean one verb, so an alias
 * table maps each IRI to one concept, and the concept says what kind of evidence the statement
 * is.
 */

/** Where evidence comes from: formal learning (LMS, assessments) or social tools. */
export type EvidenceSource = 'formal' | 'social';

/** What a verb says about a skill. `none`: a known verb that carries no evidence. */
export type ConceptKind =
  'outcome' | 'practice' | 'recognition' | 'exposure' | 'assertion' | 'none';

/**
 * How the outcome y of a row is read:
 * - `none`: no outcome (practice, exposure);
 * - `score-else-1` / `score-else-0`: score.scaled clamped to [0, 1], else 1 / 0 (passed / failed);
 * - `score`: score.scaled clamped to [0, 1], else none;
 * - `success`: result.success as 1 / 0, else score.scaled, else none;
 * - `one` / `zero`: always 1 / 0 (an up-vote, a down-vote, a revoked competency).
 */
export type OutcomeRule =
  'none' | 'score-else-1' | 'score-else-0' | 'score' | 'success' | 'one' | 'zero';

/** Who the evidence is about: the actor, or the author of the content (likes, votes). */
export type Credit = 'actor' | 'author';

/** A verb concept: the meaning shared by its aliases. */
export interface VerbConcept {
  readonly source: EvidenceSource;
  readonly kind: ConceptKind;
  readonly outcome: OutcomeRule;
  readonly credit: Credit;
  /** The default weight of its evidence, before alignment weight and event-count damping. */
  readonly weight: number;
}

/**
 * A verb table: aliases (verb IRI -> concept name), concepts (name -> meaning), and the activity
 * types that change a concept by context (see {@link resolveVerb}). A store's override is a
 * {@link VerbTableOverride} merged over {@link DEFAULT_VERB_TABLE} by {@link mergeVerbTables}.
 */
export interface VerbTable {
  readonly aliases: Readonly<Record<string, string>>;
  readonly concepts: Readonly<Record<string, VerbConcept>>;
  /** Object (or parent) types of peer Q&A content: `answered` there is social, not a test item. */
  readonly qaActivityTypes: readonly string[];
  /** Object types of videos: `completed` on a video is exposure, not practice. */
  readonly videoActivityTypes: readonly string[];
}

/** A per-store table: every part optional, concepts may be partial (e.g. only a new weight). */
export interface VerbTableOverride {
  readonly aliases?: Readonly<Record<string, string>>;
  readonly concepts?: Readonly<Record<string, Partial<VerbConcept>>>;
  readonly qaActivityTypes?: readonly string[];
  readonly videoActivityTypes?: readonly string[];
}

const ADL = 'http://adlnet.gov/expapi/verbs/';
const ADL_W3ID = 'https://w3id.org/xapi/adl/verbs/';
const AS = 'http://activitystrea.ms/schema/1.0/';
const ACROSSX = 'https://w3id.org/xapi/acrossx/verbs/';
const TINCAN = 'http://id.tincanapi.com/verb/';
const VIDEO = 'https://w3id.org/xapi/video/verbs/';

const concept = (
  source: EvidenceSource,
  kind: ConceptKind,
  weight: number,
  outcome: OutcomeRule = 'none',
  credit: Credit = 'actor',
): VerbConcept => ({ source, kind, weight, outcome, credit });

const NONE = concept('formal', 'none', 0);
const SOCIAL_PRACTICE = concept('social', 'practice', 0.2);
const EXPOSURE = concept('formal', 'exposure', 0.1);

/**
 * The concepts of docs/analytics-core.md, section 2, plus those the table implies but does not
 * name: `peer-answered` and `accepted-answer` (answered on Q&A content), `video-completed`
 * (completed on a video), `asked`, `attended` and `experienced` (verbs real tools and the
 * simulator send), and the assertions of way A (`asserted`, `revoked`).
 */
const DEFAULT_CONCEPTS: Readonly<Record<string, VerbConcept>> = {
  passed: concept('formal', 'outcome', 1, 'score-else-1'),
  failed: concept('formal', 'outcome', 1, 'score-else-0'),
  scored: concept('formal', 'outcome', 0.8, 'score'),
  answered: concept('formal', 'outcome', 0.5, 'success'),
  completed: concept('formal', 'practice', 0.3),
  launched: NONE,
  initialized: NONE,
  terminated: NONE,
  waived: NONE,
  satisfied: NONE,
  abandoned: NONE,
  experienced: EXPOSURE,
  'video-played': EXPOSURE,
  'video-completed': EXPOSURE,
  // Pausing and seeking are part of watching, which `played` already counts.
  'video-navigated': NONE,
  posted: SOCIAL_PRACTICE,
  replied: SOCIAL_PRACTICE,
  commented: SOCIAL_PRACTICE,
  shared: SOCIAL_PRACTICE,
  edited: SOCIAL_PRACTICE,
  asked: SOCIAL_PRACTICE,
  attended: SOCIAL_PRACTICE,
  'peer-answered': SOCIAL_PRACTICE,
  liked: concept('social', 'recognition', 0.1, 'one', 'author'),
  upvoted: concept('social', 'recognition', 0.1, 'one', 'author'),
  downvoted: concept('social', 'recognition', 0.1, 'zero', 'author'),
  'accepted-answer': concept('social', 'recognition', 0.5, 'one'),
  asserted: concept('formal', 'assertion', 1, 'score-else-1'),
  revoked: concept('formal', 'assertion', 1, 'zero'),
};

const DEFAULT_ALIASES: Readonly<Record<string, string>> = {
  [`${ADL}passed`]: 'passed',
  [`${ADL}failed`]: 'failed',
  [`${ADL}scored`]: 'scored',
  [`${ADL}answered`]: 'answered',
  [`${ADL}completed`]: 'completed',
  [`${AS}complete`]: 'completed',
  [`${ADL}launched`]: 'launched',
  [`${ADL}initialized`]: 'initialized',
  [`${ADL}terminated`]: 'terminated',
  [`${ADL_W3ID}waived`]: 'waived',
  [`${ADL_W3ID}satisfied`]: 'satisfied',
  [`${ADL_W3ID}abandoned`]: 'abandoned',
  [`${ADL}experienced`]: 'experienced',
  [`${VIDEO}played`]: 'video-played',
  [`${VIDEO}paused`]: 'video-navigated',
  [`${VIDEO}seeked`]: 'video-navigated',
  [`${ACROSSX}posted`]: 'posted',
  [`${AS}post`]: 'posted',
  [`${TINCAN}replied`]: 'replied',
  [`${ADL}responded`]: 'replied',
  [`${ADL}commented`]: 'commented',
  [`${ADL}shared`]: 'shared',
  ['http://activitystrea.ms/share']: 'shared',
  [`${AS}share`]: 'shared',
  [`${AS}update`]: 'edited',
  [`${ACROSSX}edited`]: 'edited',
  [`${ADL}asked`]: 'asked',
  [`${ADL}attended`]: 'attended',
  [`${ACROSSX}liked`]: 'liked',
  [`${AS}like`]: 'liked',
  [`${TINCAN}voted-up`]: 'upvoted',
  [`${TINCAN}voted-down`]: 'downvoted',
  [`${ADL}mastered`]: 'asserted',
};

/** The default table: section 2's concepts and the aliases real tools (and the simulator) use. */
export const DEFAULT_VERB_TABLE: VerbTable = Object.freeze({
  aliases: DEFAULT_ALIASES,
  concepts: DEFAULT_CONCEPTS,
  qaActivityTypes: [
    'http://id.tincanapi.com/activitytype/forum-reply',
    'http://id.tincanapi.com/activitytype/discussion',
    'http://id.tincanapi.com/activitytype/question',
  ],
  videoActivityTypes: ['https://w3id.org/xapi/video/activity-type/video'],
});

/**
 * `override` merged over `base`: aliases and concepts by key (a partial concept keeps the base's
 * other fields; a new concept must be complete, else it is ignored rather than half-defined),
 * activity type lists replaced when given.
 */
export function mergeVerbTables(base: VerbTable, override: VerbTableOverride): VerbTable {
  const concepts: Record<string, VerbConcept> = { ...base.concepts };
  for (const [name, part] of Object.entries(override.concepts ?? {})) {
    // Own keys only: a concept named like an Object.prototype property is new, not inherited.
    const merged = { ...(Object.hasOwn(base.concepts, name) ? base.concepts[name] : {}), ...part };
    if (isCompleteConcept(merged)) concepts[name] = merged;
  }
  return {
    aliases: { ...base.aliases, ...override.aliases },
    concepts,
    qaActivityTypes: override.qaActivityTypes ?? base.qaActivityTypes,
    videoActivityTypes: override.videoActivityTypes ?? base.videoActivityTypes,
  };
}

function isCompleteConcept(c: Partial<VerbConcept>): c is VerbConcept {
  return (
    c.source !== undefined &&
    c.kind !== undefined &&
    c.outcome !== undefined &&
    c.credit !== undefined &&
    typeof c.weight === 'number' &&
    Number.isFinite(c.weight) &&
    c.weight >= 0
  );
}
