import type { Activity, Agent, Context, Result, Statement, Verb } from '@cairn/xapi';
import type { CatalogueActivity, Framework } from './framework.js';
import type { Organisation, Person, ToolAccount } from './organisation.js';
import { DAY_MS, type SimulationOptions } from './options.js';
import type { Rng } from './random.js';
import type { SocialState } from './social-state.js';
import { TOOLS, type SocialTool } from './vocabulary.js';

/**
 * A statement as generated, before any delivery mess: its time (epoch ms, equal to its
 * `timestamp`) and what kinds of mess it may receive.
 */
export interface Draft {
  readonly statement: Statement;
  readonly time: number;
  /** A formal outcome (passed, failed, scored), which a voiding statement may retract. */
  readonly outcome: boolean;
  /** From a social tool, where home-made verbs turn up. */
  readonly social: boolean;
  /** Already carries a kind of mess (an unaligned activity): no other mess is added to it. */
  readonly messy?: true;
}

/** The catalogue, indexed the ways the generators look it up. */
export interface Catalogue {
  readonly courses: ReadonlyMap<string, readonly CatalogueActivity[]>;
  readonly assessments: ReadonlyMap<string, CatalogueActivity>;
  readonly items: ReadonlyMap<string, readonly CatalogueActivity[]>;
  readonly videos: ReadonlyMap<string, readonly CatalogueActivity[]>;
  readonly skillNames: ReadonlyMap<string, string>;
}

/** Everything the generators of one day need. */
export interface DayContext {
  readonly rng: Rng;
  readonly day: number;
  readonly dayStart: number;
  /** 1 on working days, less at weekends. */
  readonly activity: number;
  readonly options: SimulationOptions;
  readonly framework: Framework;
  readonly catalogue: Catalogue;
  readonly organisation: Organisation;
  readonly people: ReadonlyMap<string, Person>;
  readonly social: SocialState;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** The catalogue of `framework`, indexed by skill (the first skill of each activity). */
export function indexCatalogue(framework: Framework): Catalogue {
  const courses = new Map<string, CatalogueActivity[]>();
  const assessments = new Map<string, CatalogueActivity>();
  const items = new Map<string, CatalogueActivity[]>();
  const videos = new Map<string, CatalogueActivity[]>();
  for (const activity of framework.activities) {
    for (const { skill } of activity.skills) {
      if (activity.kind === 'course') push(courses, skill, activity);
      if (activity.kind === 'video') push(videos, skill, activity);
      if (activity.kind === 'assessment') assessments.set(skill, activity);
    }
    if (activity.kind === 'item' && activity.parent !== undefined) {
      push(items, activity.parent, activity);
    }
  }
  const skillNames = new Map(framework.skills.map((s) => [s.id, s.name]));
  return { courses, assessments, items, videos, skillNames };
}

/** `ms` as an xAPI timestamp (UTC, milliseconds). */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** `ms` as an ISO 8601 duration in seconds. */
export const isoDuration = (ms: number): string => `PT${Math.round(ms / 10) / 100}S`;

/** A time in working hours (08:00 to 19:00 UTC) of the context's day. */
export function workingTime(ctx: DayContext): number {
  return ctx.dayStart + ctx.rng.int(8 * 3_600_000, 19 * 3_600_000);
}

/** `time`, kept inside the context's day (statements of a day are delivered with that day). */
export function withinDay(ctx: DayContext, time: number): number {
  return Math.min(time, ctx.dayStart + DAY_MS - 1);
}

/** The person as the LMS knows them: by email. */
export const emailAgent = (person: Person): Agent => ({
  objectType: 'Agent',
  name: person.name,
  mbox: `mailto:${person.email}`,
});

/** The person as the video platform knows them: by the SHA-1 of their email only. */
export const hashedAgent = (person: Person): Agent => ({
  objectType: 'Agent',
  mbox_sha1sum: person.emailSha1,
});

/** The person as a social tool knows them: by its account (the forum shows no real names). */
export function accountAgent(person: Person, account: ToolAccount): Agent {
  return {
    objectType: 'Agent',
    ...(account.tool === 'forum' ? {} : { name: person.name }),
    account: { homePage: TOOLS[account.tool].homePage, name: account.name },
  };
}

/** An activity with a definition of type `type`, named `name`. */
export function activity(
  id: string,
  type: string,
  name: string,
  extensions?: Record<string, unknown>,
): Activity {
  return {
    objectType: 'Activity',
    id,
    definition: {
      name: { 'en-US': name },
      type,
      ...(extensions === undefined ? {} : { extensions }),
    },
  };
}

/** The parts of a statement a generator chooses. */
export interface StatementParts {
  readonly actor: Agent;
  readonly verb: Verb;
  readonly object: Activity;
  readonly time: number;
  readonly context?: Context;
  readonly result?: Result;
}

/** A draft with a fresh id, from its parts. */
export function draft(
  ctx: DayContext,
  parts: StatementParts,
  kind: { outcome?: boolean; social?: boolean; messy?: true } = {},
): Draft {
  const statement: Statement = {
    id: ctx.rng.uuid(),
    actor: parts.actor,
    verb: parts.verb,
    object: parts.object,
    ...(parts.result === undefined ? {} : { result: parts.result }),
    ...(parts.context === undefined ? {} : { context: parts.context }),
    timestamp: isoTime(parts.time),
  };
  return {
    statement,
    time: parts.time,
    outcome: kind.outcome ?? false,
    social: kind.social ?? false,
    ...(kind.messy === undefined ? {} : { messy: kind.messy }),
  };
}

/** The account of `person` in `tool` to use today (a second account takes its share), if any. */
export function pickAccount(
  ctx: DayContext,
  person: Person,
  tool: SocialTool,
): ToolAccount | undefined {
  const active = person.accounts.filter(
    (a) => a.tool === tool && a.from <= ctx.day && (a.to === undefined || ctx.day < a.to),
  );
  const second = active.find((a) => a.share !== undefined);
  if (second?.share !== undefined && ctx.rng.chance(second.share)) return second;
  return active.find((a) => a.share === undefined);
}
