import type { Activity, Context } from '@cairn/xapi';
import { spaces, type CatalogueActivity } from './framework.js';
import { masteryOn, sigmoid, thetaOn, type Trajectory } from './latent-skill.js';
import type { Person } from './organisation.js';
import {
  activity,
  draft,
  emailAgent,
  hashedAgent,
  isoDuration,
  withinDay,
  workingTime,
  type DayContext,
  type Draft,
} from './statement-factory.js';
import { ACTIVITY_TYPES, CMI5_CATEGORIES, EXTENSIONS, TOOLS, VERBS } from './vocabulary.js';

const MASTERY_SCORE = 0.7;
const COURSE_ITEMS = 10;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Chances per working day, before the person's own activity level. */
const RATES = { course: 0.18, assessment: 0.06, video: 0.25 } as const;

/** The alignment extension value: bare IRIs for single skills, weighted entries otherwise. */
function alignmentValue(course: CatalogueActivity): unknown[] {
  return course.skills.length === 1
    ? course.skills.map((s) => s.skill)
    : course.skills.map((s) => ({ skill: s.skill, weight: s.weight }));
}

/** The AU as the statements show it: way C puts the alignment in its definition. */
function courseObject(course: CatalogueActivity): Activity {
  return activity(
    course.id,
    course.type,
    course.name,
    course.alignedBy === 'C' ? { [EXTENSIONS.alignment]: alignmentValue(course) } : undefined,
  );
}

function cmi5Context(
  ctx: DayContext,
  course: CatalogueActivity,
  registration: string,
  session: string,
  moveOn: boolean,
): Context {
  const categories = [activity(CMI5_CATEGORIES.cmi5, ACTIVITY_TYPES.tag, 'cmi5')];
  if (moveOn) categories.push(activity(CMI5_CATEGORIES.moveOn, ACTIVITY_TYPES.tag, 'moveOn'));
  if (course.alignedBy === 'E') {
    for (const { skill } of course.skills) {
      const name = ctx.catalogue.skillNames.get(skill) ?? skill;
      categories.push(activity(spaces.lmsTag(skill), ACTIVITY_TYPES.tag, name));
    }
  }
  const grouping = [
    activity(course.parent ?? course.id, ACTIVITY_TYPES.cmi5Course, `${course.name} (course)`),
  ];
  return {
    registration,
    platform: TOOLS.lms.platform,
    contextActivities: {
      grouping,
      category: categories,
      ...(course.alignedBy === 'B'
        ? {
            other: course.skills.map(({ skill }) =>
              activity(
                skill,
                ACTIVITY_TYPES.competency,
                ctx.catalogue.skillNames.get(skill) ?? skill,
              ),
            ),
          }
        : {}),
    },
    extensions: {
      [EXTENSIONS.cmi5SessionId]: session,
      [EXTENSIONS.cmi5MasteryScore]: MASTERY_SCORE,
    },
  };
}

/** Items answered right out of `count` of difficulty near `difficulty`. */
function itemsRight(ctx: DayContext, theta: number, difficulty: number, count: number): number {
  let right = 0;
  for (let i = 0; i < count; i++) {
    if (ctx.rng.chance(sigmoid(theta - difficulty - ctx.rng.normal(0, 0.5)))) right++;
  }
  return right;
}

/**
 * A cmi5 session: launched, initialized, then (most of the time) completed and passed or failed
 * with a score drawn from the person's latent skill and the course's difficulty, terminated.
 */
function courseSession(ctx: DayContext, person: Person, trajectory: Trajectory): Draft[] {
  const { rng } = ctx;
  const courses = ctx.catalogue.courses.get(trajectory.skill) ?? [];
  if (courses.length === 0) return [];
  const course = rng.pick(courses);
  const registration = rng.uuid();
  const session = rng.uuid();
  const actor = emailAgent(person);
  const object = courseObject(course);
  const start = workingTime(ctx);
  const plain = cmi5Context(ctx, course, registration, session, false);
  const out: Draft[] = [
    draft(ctx, { actor, verb: VERBS.launched, object, time: start, context: plain }),
  ];
  const initialized = start + rng.int(2 * SECOND, 20 * SECOND);
  out.push(
    draft(ctx, { actor, verb: VERBS.initialized, object, time: initialized, context: plain }),
  );
  const spent = rng.int(5 * MINUTE, 90 * MINUTE);
  const end = withinDay(ctx, initialized + spent);
  if (rng.chance(0.85)) {
    const moveOn = cmi5Context(ctx, course, registration, session, true);
    const duration = isoDuration(end - initialized);
    out.push(
      draft(ctx, {
        actor,
        verb: VERBS.completed,
        object,
        time: end,
        context: moveOn,
        result: { completion: true, duration },
      }),
    );
    const right = itemsRight(ctx, thetaOn(trajectory, ctx.day), course.difficulty, COURSE_ITEMS);
    const scaled = right / COURSE_ITEMS;
    const passed = scaled >= MASTERY_SCORE;
    out.push(
      draft(
        ctx,
        {
          actor,
          verb: passed ? VERBS.passed : VERBS.failed,
          object,
          time: withinDay(ctx, end + SECOND),
          context: moveOn,
          result: {
            score: { scaled, raw: right, min: 0, max: COURSE_ITEMS },
            success: passed,
            duration,
          },
        },
        { outcome: true },
      ),
    );
  }
  const terminated = withinDay(ctx, end + rng.int(2 * SECOND, 10 * SECOND));
  out.push(
    draft(ctx, {
      actor,
      verb: VERBS.terminated,
      object,
      time: terminated,
      context: plain,
      result: { duration: isoDuration(terminated - start) },
    }),
  );
  return out;
}

/** An assessment attempt: each item answered (right with the latent chance), then scored. */
function assessmentAttempt(ctx: DayContext, person: Person, trajectory: Trajectory): Draft[] {
  const { rng } = ctx;
  const assessment = ctx.catalogue.assessments.get(trajectory.skill);
  if (assessment === undefined) return [];
  const items = ctx.catalogue.items.get(assessment.id) ?? [];
  const actor = emailAgent(person);
  const registration = rng.uuid();
  const alignment = { [EXTENSIONS.alignment]: [trajectory.skill] };
  const parent = activity(assessment.id, assessment.type, assessment.name, alignment);
  const context: Context = {
    registration,
    platform: TOOLS.lms.platform,
    contextActivities: { parent: [parent] },
  };
  let time = workingTime(ctx);
  let right = 0;
  const out: Draft[] = [];
  for (const item of items) {
    const took = rng.int(15 * SECOND, 3 * MINUTE);
    time = withinDay(ctx, time + took);
    const success = rng.chance(sigmoid(thetaOn(trajectory, ctx.day) - item.difficulty));
    if (success) right++;
    const object: Activity = {
      objectType: 'Activity',
      id: item.id,
      definition: {
        name: { 'en-US': item.name },
        type: ACTIVITY_TYPES.interaction,
        interactionType: 'choice',
        correctResponsesPattern: ['b'],
        choices: ['a', 'b', 'c', 'd'].map((id) => ({ id, description: { 'en-US': id } })),
        extensions: alignment,
      },
    };
    out.push(
      draft(
        ctx,
        {
          actor,
          verb: VERBS.answered,
          object,
          time,
          context,
          result: {
            success,
            response: success ? 'b' : rng.pick(['a', 'c', 'd']),
            duration: isoDuration(took),
          },
        },
        { outcome: true },
      ),
    );
  }
  const scaled = items.length === 0 ? 0 : Math.round((right / items.length) * 1000) / 1000;
  out.push(
    draft(
      ctx,
      {
        actor,
        verb: VERBS.scored,
        object: parent,
        time: withinDay(ctx, time + SECOND),
        context: { registration, platform: TOOLS.lms.platform },
        result: {
          score: { scaled, raw: right, min: 0, max: items.length },
          success: scaled >= MASTERY_SCORE,
          completion: true,
        },
      },
      { outcome: true },
    ),
  );
  return out;
}

/** A video watched: played, then completed or paused part way (the video profile's verbs). */
function videoSession(ctx: DayContext, person: Person, trajectory: Trajectory): Draft[] {
  const { rng } = ctx;
  const videos = ctx.catalogue.videos.get(trajectory.skill) ?? [];
  if (videos.length === 0) return [];
  const video = rng.pick(videos);
  const actor = hashedAgent(person);
  const object = activity(video.id, video.type, video.name);
  const length = 180 + (video.id.length % 7) * 60;
  const context: Context = {
    registration: rng.uuid(),
    platform: TOOLS.video.platform,
    extensions: { [EXTENSIONS.videoSessionId]: rng.uuid(), [EXTENSIONS.videoLength]: length },
  };
  const start = workingTime(ctx);
  const out = [
    draft(ctx, {
      actor,
      verb: VERBS.videoPlayed,
      object,
      time: start,
      context,
      result: { extensions: { [EXTENSIONS.videoTime]: 0 } },
    }),
  ];
  // Skilled people skip more often: they already know the material.
  const watched = rng.chance(0.75 - 0.25 * masteryOn(trajectory, ctx.day))
    ? length
    : rng.int(10, length - 1);
  const end = withinDay(ctx, start + watched * SECOND);
  const progress = Math.round((watched / length) * 1000) / 1000;
  const extensions = { [EXTENSIONS.videoTime]: watched, [EXTENSIONS.videoProgress]: progress };
  out.push(
    draft(ctx, {
      actor,
      verb: watched === length ? VERBS.completed : VERBS.videoPaused,
      object,
      time: end,
      context,
      result:
        watched === length
          ? { completion: true, duration: isoDuration(watched * SECOND), extensions }
          : { extensions },
    }),
  );
  return out;
}

/**
 * Way A: on Mondays the skills review asserts mastery of a skill whose latent mastery has passed
 * 0.8, once per person and skill, with the manager as instructor.
 */
function assertions(ctx: DayContext, person: Person): Draft[] {
  if (new Date(ctx.dayStart).getUTCDay() !== 1) return [];
  const out: Draft[] = [];
  for (const trajectory of person.trajectories) {
    const key = `${person.id} ${trajectory.skill}`;
    if (ctx.social.asserted.has(key) || masteryOn(trajectory, ctx.day) < 0.8) continue;
    if (!ctx.rng.chance(0.7)) continue;
    ctx.social.asserted.add(key);
    const manager = person.manager === undefined ? undefined : ctx.people.get(person.manager);
    out.push(
      draft(ctx, {
        actor: emailAgent(person),
        verb: VERBS.mastered,
        object: activity(
          trajectory.skill,
          ACTIVITY_TYPES.competency,
          ctx.catalogue.skillNames.get(trajectory.skill) ?? trajectory.skill,
        ),
        time: workingTime(ctx),
        context: {
          platform: TOOLS.review.platform,
          ...(manager === undefined ? {} : { instructor: emailAgent(manager) }),
        },
      }),
    );
  }
  return out;
}

/** One person's formal learning on the context's day. */
export function formalLearning(ctx: DayContext, person: Person, out: Draft[]): void {
  const { rng } = ctx;
  const level = ctx.activity * person.formalActivity;
  const generators = [
    [RATES.course, courseSession],
    [RATES.assessment, assessmentAttempt],
    [RATES.video, videoSession],
  ] as const;
  for (const [rate, generate] of generators) {
    if (rng.chance(rate * level)) out.push(...generate(ctx, person, rng.pick(person.trajectories)));
  }
  out.push(...assertions(ctx, person));
}
