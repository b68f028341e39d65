import type { Rng } from './random.js';
import { ACTIVITY_TYPES, TOOLS } from './vocabulary.js';

const FRAMEWORK_IRI = 'https://skills.acme.example/frameworks/acme';
const SKILL_BASE = `${FRAMEWORK_IRI}/skills/`;

/** A skill of the framework. `parent` is the broader skill (SKOS `narrows` seen from below). */
export interface Skill {
  readonly id: string;
  readonly name: string;
  readonly parent?: string;
  readonly description: string;
}

/** A skill and how strongly something is aligned to it, in (0, 1]. */
export interface SkillWeight {
  readonly skill: string;
  readonly weight: number;
}

/** Way D: a rule of Cairn's rule table. Every condition given must hold. */
export interface AlignmentRule {
  readonly activityId?: string;
  readonly activityIdPrefix?: string;
  readonly activityType?: string;
  readonly platform?: string;
  readonly skills: readonly SkillWeight[];
}

/** Way E: a tag activity and the skills it stands for. */
export interface TagAlignment {
  readonly tag: string;
  readonly name: string;
  readonly skills: readonly SkillWeight[];
}

/** The ways of docs/analytics-core.md, section 1 an activity can be aligned to skills. */
export type AlignmentWay = 'A' | 'B' | 'C' | 'D' | 'E';

/** What an activity of the catalogue is. */
export type ActivityKind =
  | 'course'
  | 'assessment'
  | 'item'
  | 'video'
  | 'channel'
  | 'wiki-space'
  | 'forum-tag'
  | 'chat-summary';

/**
 * An activity of the simulated catalogue, with the truth about it: the skills it trains, the way
 * statements about it carry that alignment, and its difficulty (logit scale: 0 is an average
 * item; a person with latent skill equal to the difficulty succeeds half the time).
 */
export interface CatalogueActivity {
  readonly id: string;
  readonly kind: ActivityKind;
  readonly type: string;
  readonly name: string;
  readonly skills: readonly SkillWeight[];
  readonly alignedBy: AlignmentWay;
  readonly difficulty: number;
  /** For items: the assessment they belong to. */
  readonly parent?: string;
}

/**
 * The skills framework. `skills`, `rules` and `tags` are what an analyst would load into Cairn;
 * `activities` is the simulator's own record of what it aligned and how.
 */
export interface Framework {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly Skill[];
  readonly rules: readonly AlignmentRule[];
  readonly tags: readonly TagAlignment[];
  readonly activities: readonly CatalogueActivity[];
}

/** The broad skills and their narrower ones (slugs). */
const TREE: Readonly<Record<string, readonly string[]>> = {
  data: ['sql', 'statistics', 'data-visualisation', 'machine-learning'],
  engineering: ['typescript', 'testing', 'code-review', 'cloud-operations'],
  collaboration: ['written-communication', 'mentoring', 'facilitation'],
  leadership: ['feedback', 'planning', 'coaching'],
  product: ['user-research', 'roadmapping'],
};

/** The broad skills, in a fixed order. */
export const DOMAINS = Object.keys(TREE);

const title = (slug: string): string =>
  slug
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

/** The IRI of the skill with slug `slug`. */
export const skillIri = (slug: string): string => `${SKILL_BASE}${slug}`;

/** The narrower skills of the broad skill `domain`, as IRIs. */
export function leafSkills(domain: string): string[] {
  return (TREE[domain] ?? []).map(skillIri);
}

function skillsOf(): Skill[] {
  const skills: Skill[] = [];
  for (const [domain, leaves] of Object.entries(TREE)) {
    skills.push({ id: skillIri(domain), name: title(domain), description: `${title(domain)}.` });
    for (const leaf of leaves) {
      skills.push({
        id: skillIri(leaf),
        name: title(leaf),
        parent: skillIri(domain),
        description: `${title(leaf)}, part of ${title(domain)}.`,
      });
    }
  }
  return skills;
}

const slugOf = (skill: string): string => skill.slice(SKILL_BASE.length);

/** The home of the social spaces of a skill in each tool. */
export const spaces = {
  channel: (skill: string): string =>
    `${TOOLS.slack.homePage}/archives/C${slugOf(skill).toUpperCase().replace(/-/gu, '')}`,
  wikiSpace: (skill: string): string =>
    `${TOOLS.wiki.homePage}/spaces/${slugOf(skill).toUpperCase().replace(/-/gu, '')}`,
  forumTag: (skill: string): string => `${TOOLS.forum.homePage}/tag/${slugOf(skill)}`,
  lmsTag: (skill: string): string => `${TOOLS.lms.homePage}/tags/${slugOf(skill)}`,
  videoLibrary: (skill: string): string => `${TOOLS.video.homePage}/library/${slugOf(skill)}/`,
} as const;

/** Social spaces and courses aligned to nothing, for the `unaligned-activities` mess. */
export const UNALIGNED = {
  channel: `${TOOLS.slack.homePage}/archives/CRANDOM`,
  wikiSpace: `${TOOLS.wiki.homePage}/spaces/SOCIAL`,
  courses: [
    `${TOOLS.lms.homePage}/courses/fire-safety-2025`,
    `${TOOLS.lms.homePage}/courses/expense-policy`,
    `${TOOLS.lms.homePage}/courses/office-move-briefing`,
  ],
} as const;

/** The activities of the Teams connector's daily summaries. */
export const TEAMS_SUMMARIES = {
  chats: `${TOOLS.teams.homePage}/l/acme/chats`,
  meetings: `${TOOLS.teams.homePage}/l/acme/meetings`,
} as const;

const COURSE_WAYS: readonly AlignmentWay[] = ['B', 'C', 'D', 'E'];
const COURSES_PER_SKILL = 3;
const VIDEOS_PER_SKILL = 3;
const ITEMS_PER_ASSESSMENT = 6;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The framework and catalogue: per narrower skill, courses (each aligned in one of ways B to E,
 * in turn), an assessment with items (way C), videos (way D, by library prefix), a Slack channel
 * and a wiki space (way D, by prefix), a forum tag (way E); a few courses train two skills; Teams'
 * daily chat summaries count for written communication (way D, by platform and type); competency
 * assertions (way A) name the skill itself.
 */
export function buildFramework(rng: Rng): Framework {
  const skills = skillsOf();
  const activities: CatalogueActivity[] = [];
  const rules: AlignmentRule[] = [];
  const tags: TagAlignment[] = [];
  const leaves = skills.filter((s) => s.parent !== undefined);
  let courseIndex = 0;
  const addCourse = (slug: string, name: string, aligned: SkillWeight[]): void => {
    const way = COURSE_WAYS[courseIndex++ % COURSE_WAYS.length] ?? 'D';
    const course = `${TOOLS.lms.homePage}/courses/${slug}`;
    activities.push({
      id: `${course}/au/1`,
      kind: 'course',
      type: ACTIVITY_TYPES.lesson,
      name,
      skills: aligned,
      alignedBy: way,
      difficulty: round3(rng.normal(0, 0.9)),
      parent: course,
    });
    if (way === 'D') rules.push({ activityIdPrefix: `${course}/`, skills: aligned });
  };
  for (const skill of leaves) {
    const one = [{ skill: skill.id, weight: 1 }];
    const slug = slugOf(skill.id);
    for (let i = 1; i <= COURSES_PER_SKILL; i++) {
      addCourse(
        `${slug}-${i}`,
        `${skill.name} ${['basics', 'in practice', 'advanced'][i - 1]}`,
        one,
      );
    }
    const assessment = `${TOOLS.lms.homePage}/assessments/${slug}`;
    activities.push({
      id: assessment,
      kind: 'assessment',
      type: ACTIVITY_TYPES.assessment,
      name: `${skill.name} check`,
      skills: one,
      alignedBy: 'C',
      difficulty: 0,
    });
    for (let i = 1; i <= ITEMS_PER_ASSESSMENT; i++) {
      activities.push({
        id: `${assessment}/items/${i}`,
        kind: 'item',
        type: ACTIVITY_TYPES.interaction,
        name: `${skill.name} question ${i}`,
        skills: one,
        alignedBy: 'C',
        difficulty: round3(rng.normal(0, 1)),
        parent: assessment,
      });
    }
    for (let i = 1; i <= VIDEOS_PER_SKILL; i++) {
      activities.push({
        id: `${spaces.videoLibrary(skill.id)}${i}`,
        kind: 'video',
        type: ACTIVITY_TYPES.video,
        name: `${skill.name} explained, part ${i}`,
        skills: one,
        alignedBy: 'D',
        difficulty: 0,
      });
    }
    rules.push({ activityIdPrefix: spaces.videoLibrary(skill.id), skills: one });
    const half = [{ skill: skill.id, weight: 0.5 }];
    activities.push({
      id: spaces.channel(skill.id),
      kind: 'channel',
      type: ACTIVITY_TYPES.channel,
      name: `#${slug}`,
      skills: half,
      alignedBy: 'D',
      difficulty: 0,
    });
    rules.push({ activityIdPrefix: `${spaces.channel(skill.id)}/`, skills: half });
    activities.push({
      id: spaces.wikiSpace(skill.id),
      kind: 'wiki-space',
      type: ACTIVITY_TYPES.space,
      name: `${skill.name} space`,
      skills: half,
      alignedBy: 'D',
      difficulty: 0,
    });
    rules.push({ activityIdPrefix: `${spaces.wikiSpace(skill.id)}/`, skills: half });
    activities.push({
      id: spaces.forumTag(skill.id),
      kind: 'forum-tag',
      type: ACTIVITY_TYPES.tag,
      name: slug,
      skills: one,
      alignedBy: 'E',
      difficulty: 0,
    });
    tags.push({ tag: spaces.forumTag(skill.id), name: slug, skills: one });
    tags.push({ tag: spaces.lmsTag(skill.id), name: slug, skills: one });
  }
  // Courses that train two skills at once, with unequal weights.
  for (let i = 0; i < 4; i++) {
    const [a, b] = rng.sample(leaves, 2);
    if (a === undefined || b === undefined) break;
    addCourse(`${slugOf(a.id)}-and-${slugOf(b.id)}`, `${a.name} meets ${b.name}`, [
      { skill: a.id, weight: 0.7 },
      { skill: b.id, weight: 0.3 },
    ]);
  }
  const chat = [{ skill: skillIri('written-communication'), weight: 0.3 }];
  const meetings = [{ skill: skillIri('facilitation'), weight: 0.3 }];
  for (const [id, type, name, aligned] of [
    [TEAMS_SUMMARIES.chats, ACTIVITY_TYPES.chatSummary, 'Teams chats', chat],
    [TEAMS_SUMMARIES.meetings, ACTIVITY_TYPES.meetingSummary, 'Teams meetings', meetings],
  ] as const) {
    rules.push({ platform: TOOLS.teams.platform, activityType: type, skills: aligned });
    activities.push({
      id,
      kind: 'chat-summary',
      type,
      name,
      skills: aligned,
      alignedBy: 'D',
      difficulty: 0,
    });
  }
  return {
    id: FRAMEWORK_IRI,
    name: 'Acme skills framework',
    skills,
    rules,
    tags,
    activities,
  };
}
