import type { Agent, Statement } from '@cairn/xapi';
import { UNALIGNED } from './framework.js';
import type { MessKind } from './options.js';
import type { Person } from './organisation.js';
import type { Rng } from './random.js';
import {
  accountAgent,
  activity,
  draft,
  emailAgent,
  isoTime,
  pickAccount,
  workingTime,
  type DayContext,
  type Draft,
} from './statement-factory.js';
import type { Tally } from './summary.js';
import { ACTIVITY_TYPES, TOOLS, UNKNOWN_VERBS, VERBS } from './vocabulary.js';

/** A JSON object as it will be written: a statement, or something that fails to be one. */
export type JsonObject = Record<string, unknown>;

/**
 * A statement on its way to statements.ndjson. Only `clean` lines (no mess of their own yet) are
 * chosen for delivery mess, so that each line carries at most one kind of mess and the summary's
 * counts can be recounted from the data.
 */
export interface Line {
  readonly statement: JsonObject;
  /** Epoch ms of the statement's time (the original time when the timestamp was broken). */
  readonly time: number;
  /** Whether `statement.timestamp` is a readable time. */
  readonly timeValid: boolean;
  readonly clean: boolean;
}

/** A line that must not be delivered before `due` (a day of the run). */
export interface Pending {
  readonly due: number;
  readonly line: Line;
}

/** What the content stage made of a day's drafts. */
export interface ContentOutcome {
  readonly lines: Line[];
  /** Targets of voiding statements that are delivered before them: they arrive late. */
  readonly late: Pending[];
  /** Voiding statements to deliver with the next day. */
  readonly tomorrow: Line[];
}

const cleanLine = (d: Draft): Line => ({
  statement: { ...d.statement },
  time: d.time,
  timeValid: true,
  clean: true,
});

const messyLine = (statement: JsonObject, time: number, timeValid = true): Line => ({
  statement,
  time,
  timeValid,
  clean: false,
});

const LMS_ADMIN: Agent = {
  objectType: 'Agent',
  name: 'LMS administrator',
  account: { homePage: TOOLS.lms.homePage, name: 'admin' },
};

/** A voiding statement for `target`, by the LMS (a corrected result). */
function voider(rng: Rng, target: Statement, time: number): Statement {
  return {
    id: rng.uuid(),
    actor: LMS_ADMIN,
    verb: VERBS.voided,
    object: { objectType: 'StatementRef', id: target.id ?? '' },
    timestamp: isoTime(time),
  };
}

type Breakage = (statement: JsonObject, rng: Rng) => boolean;

/** Ways to break a statement, each a rule of xAPI 1.0.3; a breakage may not apply to a statement. */
const BREAKAGES: Readonly<Record<string, Breakage>> = {
  'two-identifiers': (s) => {
    const actor = s['actor'] as JsonObject;
    if (actor['mbox'] === undefined) actor['mbox'] = 'mailto:someone@acme.example';
    else actor['account'] = { homePage: TOOLS.lms.homePage, name: 'someone' };
    return true;
  },
  'unreadable-timestamp': (s) => {
    s['timestamp'] = 'yesterday afternoon';
    return true;
  },
  'bad-language-tag': (s) => {
    const verb = s['verb'] as JsonObject;
    verb['display'] = { en_US: 'did' };
    return true;
  },
  'score-out-of-range': (s) => {
    const score = (s['result'] as JsonObject | undefined)?.['score'] as JsonObject | undefined;
    if (score === undefined) return false;
    score['scaled'] = 1.5;
    return true;
  },
  'not-a-uuid': (s, rng) => {
    s['id'] = `stmt-${rng.int(1, 1_000_000)}`;
    return true;
  },
  'unknown-property': (s) => {
    s['mood'] = 'happy';
    return true;
  },
  'mbox-without-mailto': (s) => {
    const actor = s['actor'] as JsonObject;
    if (typeof actor['mbox'] !== 'string') return false;
    actor['mbox'] = actor['mbox'].slice('mailto:'.length);
    return true;
  },
};

/** `statement`, broken one way; the reason is returned with it. */
function breakStatement(rng: Rng, statement: Statement): { broken: JsonObject; reason: string } {
  const broken: JsonObject = structuredClone({ ...statement });
  const reasons = Object.keys(BREAKAGES);
  for (let tries = 0; ; tries++) {
    const reason = tries < 3 ? rng.pick(reasons) : 'unknown-property';
    if (BREAKAGES[reason]?.(broken, rng) === true) return { broken, reason };
  }
}

/**
 * Turns a day's drafts into lines and adds the mess that changes content: unknown verbs (social
 * statements), invalid statements, voiding statements (after or before their target).
 * `unaligned-activities` drafts arrive already made (see {@link unalignedActivity}).
 */
export function contentMess(
  ctx: DayContext,
  drafts: readonly Draft[],
  tally: Tally,
): ContentOutcome {
  const { rng, options } = ctx;
  const on = (kind: MessKind): boolean =>
    options.mess.has(kind) && rng.chance(options.messRates[kind]);
  const lines: Line[] = [];
  const late: Pending[] = [];
  const tomorrow: Line[] = [];
  for (const d of drafts) {
    if (d.messy) {
      lines.push(messyLine({ ...d.statement }, d.time));
      tally.mess('unaligned-activities');
    } else if (d.social && on('unknown-verbs')) {
      lines.push(messyLine({ ...d.statement, verb: rng.pick(UNKNOWN_VERBS) }, d.time));
      tally.mess('unknown-verbs');
    } else if (on('invalid')) {
      const { broken, reason } = breakStatement(rng, d.statement);
      lines.push(messyLine(broken, d.time, reason !== 'unreadable-timestamp'));
      tally.invalid(reason);
    } else if (d.outcome && on('voiding')) {
      const at = d.time + rng.int(1, Math.max(1, ctx.dayStart + 86_399_999 - d.time));
      const time = Math.min(at, ctx.dayStart + 86_399_999);
      lines.push(messyLine({ ...d.statement }, d.time));
      lines.push(messyLine({ ...voider(rng, d.statement, time) }, time));
      tally.mess('voiding');
    } else if (d.outcome && ctx.day + 1 < options.days && on('voiding-before-target')) {
      // The voiding statement comes the next day; the target only days later.
      const time = workingTime({ ...ctx, dayStart: ctx.dayStart + 86_400_000 });
      tomorrow.push(messyLine({ ...voider(rng, d.statement, time) }, time));
      late.push({ due: ctx.day + rng.int(3, 7), line: messyLine({ ...d.statement }, d.time) });
      tally.mess('voiding-before-target');
    } else {
      lines.push(cleanLine(d));
    }
  }
  return { lines, late, tomorrow };
}

/**
 * The `unaligned-activities` mess: a statement about something aligned to no skill (a Slack
 * channel, a wiki space or a course that no rule, extension, tag or competency names).
 */
export function unalignedActivity(ctx: DayContext, person: Person): Draft | undefined {
  const { rng, options } = ctx;
  if (!options.mess.has('unaligned-activities')) return undefined;
  if (!rng.chance(options.messRates['unaligned-activities'] * ctx.activity)) return undefined;
  const time = workingTime(ctx);
  const messy = { messy: true } as const;
  const slack = pickAccount(ctx, person, 'slack');
  const wiki = pickAccount(ctx, person, 'wiki');
  const choice = rng.int(0, 2);
  if (choice === 0 && slack !== undefined) {
    const id = `${UNALIGNED.channel}/p${time}${rng.int(100, 999)}`;
    return draft(
      ctx,
      {
        actor: accountAgent(person, slack),
        verb: VERBS.posted,
        object: activity(id, ACTIVITY_TYPES.message, 'Message in #random'),
        time,
        context: {
          platform: TOOLS.slack.platform,
          contextActivities: {
            parent: [activity(UNALIGNED.channel, ACTIVITY_TYPES.channel, '#random')],
          },
        },
      },
      messy,
    );
  }
  if (choice === 1 && wiki !== undefined) {
    return draft(
      ctx,
      {
        actor: accountAgent(person, wiki),
        verb: VERBS.updated,
        object: activity(`${UNALIGNED.wikiSpace}/pages/${rng.int(1, 40)}`, ACTIVITY_TYPES.page, 'Team lunch'),
        time,
        context: { platform: TOOLS.wiki.platform },
      },
      messy,
    ); // prettier-ignore
  }
  return draft(
    ctx,
    {
      actor: emailAgent(person),
      verb: VERBS.completed,
      object: activity(`${rng.pick(UNALIGNED.courses)}/au/1`, ACTIVITY_TYPES.lesson, 'Mandatory training'),
      time,
      context: { platform: TOOLS.lms.platform },
      result: { completion: true },
    },
    messy,
  ); // prettier-ignore
}
