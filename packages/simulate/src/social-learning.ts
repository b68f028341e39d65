import type { Activity, Agent, Context, Verb } from '@cairn/xapi';
import { spaces, TEAMS_SUMMARIES } from './framework.js';
import { masteryOn, sigmoid, thetaOn, type Trajectory } from './latent-skill.js';
import type { Person, ToolAccount } from './organisation.js';
import type { Content } from './social-state.js';
import {
  accountAgent,
  activity,
  draft,
  pickAccount,
  workingTime,
  type StatementParts,
  type DayContext,
  type Draft,
} from './statement-factory.js';
import { ACTIVITY_TYPES, EXTENSIONS, TOOLS, VERBS, type SocialTool } from './vocabulary.js';

/** Mean events per working day for a person of typical social activity. */
const RATES = {
  slackPost: 1.2,
  slackReply: 0.8,
  slackLike: 1.5,
  slackShare: 0.1,
  forumAsk: 0.12,
  forumAnswer: 0.25,
  forumUpvote: 0.4,
  forumDownvote: 0.03,
  forumReply: 0.1,
  forumPost: 0.05,
  wikiEdit: 0.3,
  wikiComment: 0.15,
  wikiLike: 0.2,
  wikiShare: 0.05,
  teamsChats: 12,
  teamsMeetings: 2.5,
} as const;

type Rate = keyof typeof RATES;

/** Everything a social generator needs about the person acting. */
interface Actor {
  readonly person: Person;
  readonly account: ToolAccount;
  readonly agent: Agent;
}

const contentActivity = (content: Content, type: string): Activity =>
  activity(content.id, type, content.name);

function socialContext(tool: SocialTool, parts: Omit<Context, 'platform'>): Context {
  return { platform: TOOLS[tool].platform, ...parts };
}

/** Content quality: how good the author's latent skill makes it. */
function quality(ctx: DayContext, trajectory: Trajectory): number {
  return Math.round(sigmoid(thetaOn(trajectory, ctx.day) + ctx.rng.normal(0, 0.5)) * 1000) / 1000;
}

/** Content by others, earlier than `time`; better content is picked more (by `weight`). */
function pickContent(
  ctx: DayContext,
  candidates: readonly Content[],
  person: Person,
  time: number,
  weight: (c: Content) => number,
): Content | undefined {
  const open = candidates.filter((c) => c.authorId !== person.id && c.time < time);
  return open.length === 0 ? undefined : ctx.rng.weighted(open, weight);
}

function count(ctx: DayContext, person: Person, rate: Rate): number {
  return ctx.rng.poisson(RATES[rate] * ctx.activity * person.socialActivity);
}

function slack(ctx: DayContext, a: Actor, out: Draft[]): void {
  const { rng } = ctx;
  const social = { social: true };
  for (let i = count(ctx, a.person, 'slackPost'); i > 0; i--) {
    const trajectory = rng.pick(a.person.trajectories);
    const channel = spaces.channel(trajectory.skill);
    const time = workingTime(ctx);
    const message: Content = {
      id: `${channel}/p${time}${rng.int(100, 999)}`,
      name: `Message in #${channel.slice(channel.lastIndexOf('/') + 2).toLowerCase()}`,
      author: a.agent,
      authorId: a.person.id,
      skill: trajectory.skill,
      quality: quality(ctx, trajectory),
      time,
      container: channel,
    };
    ctx.social.messages.add(trajectory.skill, message);
    const context = socialContext('slack', {
      contextActivities: { parent: [activity(channel, ACTIVITY_TYPES.channel, message.name)] },
    });
    out.push(
      draft(
        ctx,
        {
          actor: a.agent,
          verb: VERBS.posted,
          object: contentActivity(message, ACTIVITY_TYPES.message),
          time,
          context,
        },
        social,
      ),
    );
  }
  const reactions: [Rate, Verb][] = [
    ['slackReply', VERBS.replied],
    ['slackLike', VERBS.liked],
    ['slackShare', VERBS.sharedAs],
  ];
  for (const [rate, verb] of reactions) {
    for (let i = count(ctx, a.person, rate); i > 0; i--) {
      const skill = rng.pick(a.person.trajectories).skill;
      const time = workingTime(ctx);
      const target = pickContent(ctx, ctx.social.messages.get(skill), a.person, time, (c) =>
        verb === VERBS.liked ? c.quality ** 2 : 1,
      );
      if (target === undefined) continue;
      const channel = activity(target.container, ACTIVITY_TYPES.channel, 'Slack channel');
      if (verb === VERBS.replied) {
        const reply = `${target.container}/p${time}${rng.int(100, 999)}`;
        out.push(
          draft(
            ctx,
            {
              actor: a.agent,
              verb,
              object: activity(reply, ACTIVITY_TYPES.message, 'Reply in a thread'),
              time,
              context: socialContext('slack', {
                contextActivities: {
                  parent: [contentActivity(target, ACTIVITY_TYPES.message)],
                  grouping: [channel],
                },
              }),
            },
            social,
          ),
        );
        continue;
      }
      out.push(
        draft(
          ctx,
          {
            actor: a.agent,
            verb,
            object: contentActivity(target, ACTIVITY_TYPES.message),
            time,
            context: socialContext('slack', {
              contextActivities: { parent: [channel] },
              extensions: { [EXTENSIONS.byWhom]: target.author },
            }),
          },
          social,
        ),
      );
    }
  }
}

/** The Teams connector: one statement per person and day with counts, not one per chat. */
function teams(ctx: DayContext, a: Actor, out: Draft[]): void {
  const summaries = [
    ['teamsChats', VERBS.posted, TEAMS_SUMMARIES.chats, ACTIVITY_TYPES.chatSummary, 'chats'],
    ['teamsMeetings', VERBS.attended, TEAMS_SUMMARIES.meetings, ACTIVITY_TYPES.meetingSummary, 'meetings'],
  ] as const; // prettier-ignore
  for (const [rate, verb, id, type, what] of summaries) {
    const n = count(ctx, a.person, rate);
    if (n === 0) continue;
    const time = ctx.dayStart + 23 * 3_600_000 + ctx.rng.int(0, 59 * 60_000);
    out.push(
      draft(
        ctx,
        {
          actor: a.agent,
          verb,
          object: activity(id, type, `Teams ${what}`),
          time,
          context: socialContext('teams', {}),
          result: { response: `${n} ${what} today`, extensions: { [EXTENSIONS.eventCount]: n } },
        },
        { social: true },
      ),
    );
  }
}

function forumTag(ctx: DayContext, skill: string): Activity {
  return activity(spaces.forumTag(skill), ACTIVITY_TYPES.tag, ctx.catalogue.skillNames.get(skill) ?? skill);
} // prettier-ignore

function forum(ctx: DayContext, a: Actor, out: Draft[]): void {
  const { rng } = ctx;
  const social = { social: true };
  const say = (
    verb: Verb,
    object: Activity,
    time: number,
    context: Context,
    extra: Pick<StatementParts, 'result'> = {},
  ) => out.push(draft(ctx, { actor: a.agent, verb, object, time, context, ...extra }, social));
  // People ask about what they know least.
  for (let i = count(ctx, a.person, 'forumAsk'); i > 0; i--) {
    const trajectory = rng.weighted(a.person.trajectories, (t) => 1 - masteryOn(t, ctx.day));
    const topic = `${TOOLS.forum.homePage}/t/${ctx.social.next.topic++}`;
    const time = workingTime(ctx);
    const name = `Question about ${ctx.catalogue.skillNames.get(trajectory.skill) ?? ''}`;
    ctx.social.questions.add(trajectory.skill, {
      id: topic,
      name,
      askerId: a.person.id,
      skill: trajectory.skill,
      difficulty: rng.normal(0.3, 0.8),
      time,
      accepted: false,
      answers: 0,
    });
    say(
      VERBS.asked,
      activity(topic, ACTIVITY_TYPES.discussion, name),
      time,
      socialContext('forum', {
        contextActivities: { category: [forumTag(ctx, trajectory.skill)] },
      }),
    );
  }
  // Skilled people answer more, and their answers are accepted more often.
  const answering = a.person.trajectories;
  for (let i = count(ctx, a.person, 'forumAnswer'); i > 0; i--) {
    const trajectory = rng.weighted(answering, (t) => masteryOn(t, ctx.day));
    const time = workingTime(ctx);
    const open = ctx.social.questions
      .get(trajectory.skill)
      .filter((q) => q.askerId !== a.person.id && q.time < time && !q.accepted);
    if (open.length === 0) continue;
    const question = rng.pick(open);
    question.answers++;
    const chance = sigmoid(thetaOn(trajectory, ctx.day) - question.difficulty);
    const accepted = rng.chance(0.6 * chance);
    question.accepted = accepted;
    const answer: Content = {
      id: `${question.id}/${question.answers + 1}`,
      name: `Answer to ${question.name.toLowerCase()}`,
      author: a.agent,
      authorId: a.person.id,
      skill: question.skill,
      quality: Math.round(chance * 1000) / 1000,
      time,
      container: question.id,
    };
    ctx.social.answers.add(question.skill, answer);
    say(
      VERBS.answered,
      activity(answer.id, ACTIVITY_TYPES.forumReply, answer.name),
      time,
      socialContext('forum', {
        contextActivities: {
          parent: [activity(question.id, ACTIVITY_TYPES.discussion, question.name)],
          category: [forumTag(ctx, question.skill)],
        },
      }),
      accepted ? { result: { success: true } } : {},
    );
  }
  const votes: [Rate, Verb, (c: Content) => number][] = [
    ['forumUpvote', VERBS.upvoted, (c) => c.quality],
    ['forumDownvote', VERBS.downvoted, (c) => 1 - c.quality],
  ];
  for (const [rate, verb, weight] of votes) {
    for (let i = count(ctx, a.person, rate); i > 0; i--) {
      const skill = rng.pick(a.person.trajectories).skill;
      const time = workingTime(ctx);
      const answer = pickContent(ctx, ctx.social.answers.get(skill), a.person, time, weight);
      if (answer === undefined) continue;
      say(
        verb,
        contentActivity(answer, ACTIVITY_TYPES.forumReply),
        time,
        socialContext('forum', {
          contextActivities: {
            parent: [activity(answer.container, ACTIVITY_TYPES.discussion, 'Forum topic')],
            category: [forumTag(ctx, answer.skill)],
          },
          extensions: { [EXTENSIONS.byWhom]: answer.author },
        }),
      );
    }
  }
  for (let i = count(ctx, a.person, 'forumReply'); i > 0; i--) {
    const skill = rng.pick(a.person.trajectories).skill;
    const time = workingTime(ctx);
    const questions = ctx.social.questions.get(skill).filter((q) => q.time < time);
    if (questions.length === 0) continue;
    const question = rng.pick(questions);
    say(
      VERBS.responded,
      activity(question.id, ACTIVITY_TYPES.discussion, question.name),
      time,
      socialContext('forum', { contextActivities: { category: [forumTag(ctx, skill)] } }),
    );
  }
  for (let i = count(ctx, a.person, 'forumPost'); i > 0; i--) {
    const skill = rng.pick(a.person.trajectories).skill;
    const topic = `${TOOLS.forum.homePage}/t/${ctx.social.next.topic++}`;
    say(
      VERBS.postedAs,
      activity(topic, ACTIVITY_TYPES.discussion, 'Tip of the day'),
      workingTime(ctx),
      socialContext('forum', { contextActivities: { category: [forumTag(ctx, skill)] } }),
    );
  }
}

function wiki(ctx: DayContext, a: Actor, out: Draft[]): void {
  const { rng } = ctx;
  const social = { social: true };
  for (let i = count(ctx, a.person, 'wikiEdit'); i > 0; i--) {
    const trajectory = rng.weighted(a.person.trajectories, (t) => 0.5 + masteryOn(t, ctx.day));
    const space = spaces.wikiSpace(trajectory.skill);
    const time = workingTime(ctx);
    const existing = ctx.social.pages.get(trajectory.skill).filter((p) => p.time < time);
    const reuse = existing.length > 0 && rng.chance(0.5) ? rng.pick(existing) : undefined;
    const id = reuse?.id ?? `${space}/pages/${ctx.social.next.page++}`;
    const page: Content = {
      id,
      name: reuse?.name ?? `How we do ${ctx.catalogue.skillNames.get(trajectory.skill) ?? ''}`,
      author: a.agent,
      authorId: a.person.id,
      skill: trajectory.skill,
      quality: quality(ctx, trajectory),
      time,
      container: space,
    };
    ctx.social.pages.add(trajectory.skill, page);
    out.push(
      draft(
        ctx,
        {
          actor: a.agent,
          verb: VERBS.updated,
          object: contentActivity(page, ACTIVITY_TYPES.page),
          time,
          context: socialContext('wiki', {
            contextActivities: { parent: [activity(space, ACTIVITY_TYPES.space, 'Wiki space')] },
          }),
        },
        social,
      ),
    );
  }
  const reactions: [Rate, Verb][] = [
    ['wikiComment', VERBS.commented],
    ['wikiLike', VERBS.likedAs],
    ['wikiShare', VERBS.shared],
  ];
  for (const [rate, verb] of reactions) {
    for (let i = count(ctx, a.person, rate); i > 0; i--) {
      const skill = rng.pick(a.person.trajectories).skill;
      const time = workingTime(ctx);
      const page = pickContent(ctx, ctx.social.pages.get(skill), a.person, time, (c) =>
        verb === VERBS.likedAs ? c.quality ** 2 : 1,
      );
      if (page === undefined) continue;
      out.push(
        draft(
          ctx,
          {
            actor: a.agent,
            verb,
            object: contentActivity(page, ACTIVITY_TYPES.page),
            time,
            context: socialContext('wiki', {
              contextActivities: {
                parent: [activity(page.container, ACTIVITY_TYPES.space, 'Wiki space')],
              },
              ...(verb === VERBS.likedAs
                ? { extensions: { [EXTENSIONS.byWhom]: page.author } }
                : {}),
            }),
          },
          social,
        ),
      );
    }
  }
}

const GENERATORS: Readonly<Record<SocialTool, (ctx: DayContext, a: Actor, out: Draft[]) => void>> =
  { slack, teams, forum, wiki };

/** One person's social learning on the context's day, in each tool they have an account in. */
export function socialLearning(ctx: DayContext, person: Person, out: Draft[]): void {
  for (const tool of ['slack', 'teams', 'forum', 'wiki'] as const) {
    const account = pickAccount(ctx, person, tool);
    if (account === undefined) continue;
    GENERATORS[tool](ctx, { person, account, agent: accountAgent(person, account) }, out);
  }
}
