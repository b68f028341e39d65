import type { Agent, Statement } from '@cairn/xapi';

/**
 * A small, seeded, random-access generator of realistic xAPI statements for the benchmarks: a few
 * hundred learners (mbox and account agents), a dozen ADL verbs, a few thousand activities in
 * courses and programmes, one registration per learner and course, instructors, results. Statement
 * `i` depends only on the seed and `i`, so a load generator in another process can rebuild any
 * statement, its id and its filter values without coordination. (The full simulator with ground
 * truth is issue 5; this one only has to look like real traffic to the store and the indexes.)
 */
export interface DatasetOptions {
  readonly seed: number;
  readonly learners?: number;
  readonly instructors?: number;
  readonly courses?: number;
  readonly activitiesPerCourse?: number;
}

export interface Dataset {
  readonly learners: number;
  readonly activities: number;
  /** Statement `i`, with its id. */
  statement(i: number): Statement;
  /** Statements `first` .. `first + n - 1`. */
  batch(first: number, n: number): Statement[];
  /** The id of statement `i`, without building the rest. */
  statementId(i: number): string;
}

/** mulberry32: a tiny, fast 32-bit PRNG with a good enough distribution; returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (murmur3's finaliser over each part). */
export function mix(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part | 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
    // High bits of parts above 2^32 (statement indexes of the POST runs) count too.
    h ^= Math.floor(part / 4294967296);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A version 4 UUID whose random bits come from `rand`. */
export function uuidFrom(rand: () => number): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = Math.floor(rand() * 256);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ADL = 'http://adlnet.gov/expapi/verbs/';
const VERBS = [
  'launched',
  'initialized',
  'experienced',
  'attempted',
  'answered',
  'progressed',
  'completed',
  'passed',
  'failed',
  'terminated',
  'commented',
  'shared',
] as const;
/** How often each verb occurs (same order as VERBS): reading and answering dominate. */
const VERB_WEIGHTS = [6, 6, 20, 6, 25, 10, 8, 5, 2, 6, 3, 3];
const SCORED = new Set(['answered', 'completed', 'passed', 'failed']);
const ACTIVITY_TYPES = ['lesson', 'module', 'assessment', 'interaction', 'media'] as const;
const HOME_PAGES = [
  'https://lms.example.org',
  'https://chat.example.com',
  'https://forum.example.net',
] as const;
const PLATFORMS = ['Moodle', 'Storyline', 'cmi5 player', 'Slack connector'] as const;
const EPOCH = Date.UTC(2026, 0, 5, 8, 0, 0);
const ID_STREAM = 0x1d;
const BODY_STREAM = 0xb0;

function pick<T>(list: readonly T[], rand: () => number): T {
  const value = list[Math.floor(rand() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

function weighted(weights: readonly number[], rand: () => number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = rand() * total;
  for (const [i, w] of weights.entries()) {
    r -= w;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** The learner `k`: three in five have an email, the others an account in one of the tools. */
export function learner(k: number): Agent {
  if (k % 5 < 3)
    return { objectType: 'Agent', name: `Learner ${k}`, mbox: `mailto:learner${k}@example.org` };
  return {
    objectType: 'Agent',
    name: `Learner ${k}`,
    account: { homePage: HOME_PAGES[k % HOME_PAGES.length] ?? HOME_PAGES[0], name: `u${k}` },
  };
}

/** The instructor `j`. */
export function instructor(j: number): Agent {
  return {
    objectType: 'Agent',
    name: `Instructor ${j}`,
    mbox: `mailto:instructor${j}@example.org`,
  };
}

export function createDataset(options: DatasetOptions): Dataset {
  const seed = options.seed >>> 0;
  const learners = options.learners ?? 400;
  const instructors = options.instructors ?? 20;
  const courses = options.courses ?? 40;
  const perCourse = options.activitiesPerCourse ?? 75;

  const statementId = (i: number): string => uuidFrom(mulberry32(mix(seed, ID_STREAM, i)));
  const registration = (k: number, c: number): string =>
    uuidFrom(mulberry32(mix(seed, 0x7e, k, c)));

  const statement = (i: number): Statement => {
    const rand = mulberry32(mix(seed, BODY_STREAM, i));
    // Mildly skewed: some learners and courses are much busier than others.
    const k = Math.floor(learners * rand() ** 1.3);
    const c = Math.floor(courses * rand() ** 1.2);
    const a = Math.floor(perCourse * rand());
    const verb = VERBS[weighted(VERB_WEIGHTS, rand)] ?? 'experienced';
    const type = ACTIVITY_TYPES[a % ACTIVITY_TYPES.length] ?? 'lesson';
    const course = `https://courses.example.org/c${c}`;
    const s: Statement = {
      id: statementId(i),
      actor: learner(k),
      verb: { id: `${ADL}${verb}`, display: { 'en-US': verb } },
      object: {
        objectType: 'Activity',
        id: `${course}/a${a}`,
        definition: {
          type: `http://adlnet.gov/expapi/activities/${type}`,
          name: { 'en-US': `Course ${c}, ${type} ${a}` },
        },
      },
      context: {
        registration: registration(k, c),
        platform: pick(PLATFORMS, rand),
        language: 'en-US',
        contextActivities: {
          parent: [{ objectType: 'Activity', id: course }],
          grouping: [
            { objectType: 'Activity', id: `https://courses.example.org/programme${c % 6}` },
          ],
        },
      },
      // Spread over a few months, a little out of order, as real deliveries are.
      timestamp: new Date(EPOCH + i * 61_000 + Math.floor(rand() * 3_600_000)).toISOString(),
    };
    if (rand() < 0.3 && s.context)
      s.context.instructor = instructor(Math.floor(rand() * instructors));
    if (SCORED.has(verb)) {
      const scaled = Math.round(rand() * 100) / 100;
      s.result = {
        score: { scaled, raw: Math.round(scaled * 50), min: 0, max: 50 },
        success: verb === 'failed' ? false : scaled >= 0.5,
        completion: verb !== 'answered',
        duration: `PT${1 + Math.floor(rand() * 900)}S`,
      };
    }
    return s;
  };

  return {
    learners,
    activities: courses * perCourse,
    statement,
    batch: (first, n) => Array.from({ length: n }, (_, j) => statement(first + j)),
    statementId,
  };
}
