import type { Verb } from '@cairn/xapi';

/**
 * The tools that send statements: how each names itself (`context.platform`) and the home page of
 * its accounts. The LMS and the video platform identify people by email (the video platform only
 * by its SHA-1); the social tools by an account of their own.
 */
export const TOOLS = {
  lms: { platform: 'Acme LMS', homePage: 'https://lms.acme.example' },
  video: { platform: 'Acme Video', homePage: 'https://video.acme.example' },
  review: { platform: 'Acme Skills Review', homePage: 'https://review.acme.example' },
  slack: { platform: 'Slack', homePage: 'https://acme.slack.com' },
  teams: { platform: 'Microsoft Teams', homePage: 'https://teams.microsoft.com' },
  forum: { platform: 'Discourse', homePage: 'https://forum.acme.example' },
  wiki: { platform: 'Confluence', homePage: 'https://acme.atlassian.net/wiki' },
} as const;

/** One of the tools in {@link TOOLS}. */
export type ToolName = keyof typeof TOOLS;

/** The social tools, where people have accounts. */
export const SOCIAL_TOOLS = ['slack', 'teams', 'forum', 'wiki'] as const;

/** One of {@link SOCIAL_TOOLS}. */
export type SocialTool = (typeof SOCIAL_TOOLS)[number];

function verb(id: string, display: string): Verb {
  return { id, display: { 'en-US': display } };
}

/**
 * The verbs the simulated tools use. Several IRIs mean one concept (ADL, Activity Streams, Tin Can
 * registry, AcrossX), and different tools pick different ones, as real connectors do: Slack's
 * connector says `posted`, `replied`, `liked` and `sharedAs`; the forum `postedAs`, `responded`,
 * `upvoted`; the wiki `updated`, `likedAs`, `shared`.
 */
export const VERBS = {
  launched: verb('http://adlnet.gov/expapi/verbs/launched', 'launched'),
  initialized: verb('http://adlnet.gov/expapi/verbs/initialized', 'initialized'),
  completed: verb('http://adlnet.gov/expapi/verbs/completed', 'completed'),
  passed: verb('http://adlnet.gov/expapi/verbs/passed', 'passed'),
  failed: verb('http://adlnet.gov/expapi/verbs/failed', 'failed'),
  terminated: verb('http://adlnet.gov/expapi/verbs/terminated', 'terminated'),
  answered: verb('http://adlnet.gov/expapi/verbs/answered', 'answered'),
  scored: verb('http://adlnet.gov/expapi/verbs/scored', 'scored'),
  experienced: verb('http://adlnet.gov/expapi/verbs/experienced', 'experienced'),
  voided: verb('http://adlnet.gov/expapi/verbs/voided', 'voided'),
  mastered: verb('http://adlnet.gov/expapi/verbs/mastered', 'mastered'),
  videoPlayed: verb('https://w3id.org/xapi/video/verbs/played', 'played'),
  videoPaused: verb('https://w3id.org/xapi/video/verbs/paused', 'paused'),
  posted: verb('https://w3id.org/xapi/acrossx/verbs/posted', 'posted'),
  postedAs: verb('http://activitystrea.ms/schema/1.0/post', 'posted'),
  replied: verb('http://id.tincanapi.com/verb/replied', 'replied'),
  responded: verb('http://adlnet.gov/expapi/verbs/responded', 'responded'),
  commented: verb('http://adlnet.gov/expapi/verbs/commented', 'commented'),
  sharedAs: verb('http://activitystrea.ms/share', 'shared'),
  shared: verb('http://adlnet.gov/expapi/verbs/shared', 'shared'),
  liked: verb('https://w3id.org/xapi/acrossx/verbs/liked', 'liked'),
  likedAs: verb('http://activitystrea.ms/schema/1.0/like', 'liked'),
  upvoted: verb('http://id.tincanapi.com/verb/voted-up', 'up-voted'),
  downvoted: verb('http://id.tincanapi.com/verb/voted-down', 'down-voted'),
  asked: verb('http://adlnet.gov/expapi/verbs/asked', 'asked'),
  updated: verb('http://activitystrea.ms/schema/1.0/update', 'edited'),
  attended: verb('http://adlnet.gov/expapi/verbs/attended', 'attended'),
} as const;

/** Every verb IRI of {@link VERBS}: a statement with any other verb has an unknown verb. */
export const KNOWN_VERB_IDS: ReadonlySet<string> = new Set(Object.values(VERBS).map((v) => v.id));

/**
 * The concept each known verb IRI stands for: the alias table an analytics pipeline needs to
 * read the simulated statements.
 */
export const VERB_CONCEPTS: Readonly<Record<string, string>> = {
  [VERBS.launched.id]: 'launched',
  [VERBS.initialized.id]: 'initialized',
  [VERBS.completed.id]: 'completed',
  [VERBS.passed.id]: 'passed',
  [VERBS.failed.id]: 'failed',
  [VERBS.terminated.id]: 'terminated',
  [VERBS.answered.id]: 'answered',
  [VERBS.scored.id]: 'scored',
  [VERBS.experienced.id]: 'experienced',
  [VERBS.voided.id]: 'voided',
  [VERBS.mastered.id]: 'mastered',
  [VERBS.videoPlayed.id]: 'played',
  [VERBS.videoPaused.id]: 'paused',
  [VERBS.posted.id]: 'posted',
  [VERBS.postedAs.id]: 'posted',
  [VERBS.replied.id]: 'replied',
  [VERBS.responded.id]: 'replied',
  [VERBS.commented.id]: 'commented',
  [VERBS.sharedAs.id]: 'shared',
  [VERBS.shared.id]: 'shared',
  [VERBS.liked.id]: 'liked',
  [VERBS.likedAs.id]: 'liked',
  [VERBS.upvoted.id]: 'upvoted',
  [VERBS.downvoted.id]: 'downvoted',
  [VERBS.asked.id]: 'asked',
  [VERBS.updated.id]: 'edited',
  [VERBS.attended.id]: 'attended',
};

/** Verbs no vocabulary defines: tools' home-made verbs, for the `unknown-verbs` mess. */
export const UNKNOWN_VERBS: readonly Verb[] = [
  verb('https://acme.slack.com/xapi/verbs/reacted-with-emoji', 'reacted'),
  verb('https://forum.acme.example/verbs/bookmarked', 'bookmarked'),
  verb('https://tools.acme.example/xapi/verbs/pinned', 'pinned'),
];

/** Activity types. */
export const ACTIVITY_TYPES = {
  competency: 'https://w3id.org/xapi/tla/activity-types/competency',
  tag: 'http://id.tincanapi.com/activitytype/tag',
  cmi5Course: 'https://w3id.org/xapi/cmi5/activitytype/course',
  lesson: 'http://adlnet.gov/expapi/activities/lesson',
  assessment: 'http://adlnet.gov/expapi/activities/assessment',
  interaction: 'http://adlnet.gov/expapi/activities/cmi.interaction',
  video: 'https://w3id.org/xapi/video/activity-type/video',
  message: 'https://w3id.org/xapi/acrossx/activities/message',
  channel: 'http://id.tincanapi.com/activitytype/chat-channel',
  discussion: 'http://id.tincanapi.com/activitytype/discussion',
  forumReply: 'http://id.tincanapi.com/activitytype/forum-reply',
  page: 'http://activitystrea.ms/schema/1.0/page',
  space: 'http://activitystrea.ms/schema/1.0/collection',
  chatSummary: 'https://w3id.org/xapi/acrossx/activities/chat',
  meetingSummary: 'http://adlnet.gov/expapi/activities/meeting',
} as const;

/** Extension IRIs. */
export const EXTENSIONS = {
  /** Alignment of an activity to skills (way C): a list of skill IRIs or `{ skill, weight }`. */
  alignment: 'https://cairn-lrs.org/xapi/extensions/skill-alignment',
  /** Number of events a connector's daily aggregate statement stands for. */
  eventCount: 'https://cairn-lrs.org/xapi/extensions/event-count',
  /** The author of liked or up-voted content (AcrossX). */
  byWhom: 'https://w3id.org/xapi/acrossx/extensions/by-whom',
  cmi5SessionId: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
  cmi5MasteryScore: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
  videoSessionId: 'https://w3id.org/xapi/video/extensions/session-id',
  videoTime: 'https://w3id.org/xapi/video/extensions/time',
  videoLength: 'https://w3id.org/xapi/video/extensions/length',
  videoProgress: 'https://w3id.org/xapi/video/extensions/progress',
} as const;

/** cmi5 context categories. */
export const CMI5_CATEGORIES = {
  cmi5: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
  moveOn: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
} as const;
