import { MESS_KINDS, type MessKind, type SimulationOptions } from './options.js';

/** What a run generated, written as summary.json. Every count can be recounted from the data. */
export interface Summary {
  readonly seed: number;
  readonly start: string;
  readonly days: number;
  readonly people: number;
  readonly departments: number;
  readonly teams: number;
  readonly skills: number;
  readonly activities: number;
  readonly growingPeople: number;
  readonly messEnabled: readonly MessKind[];
  /** Lines of statements.ndjson (every delivery, duplicates included). */
  readonly lines: number;
  /** Lines per verb IRI (`(none)` when a statement has no verb id). */
  readonly byVerb: Readonly<Record<string, number>>;
  /** Lines per `context.platform` (`(none)` when absent). */
  readonly byPlatform: Readonly<Record<string, number>>;
  /** How many of each kind of mess the lines hold. */
  readonly mess: Readonly<Record<MessKind, number>>;
  /** Invalid statements by what is wrong with them. */
  readonly invalidReasons: Readonly<Record<string, number>>;
}

/** The keys a line is counted under: its verb IRI and its platform. */
export function countKeys(statement: Readonly<Record<string, unknown>>): {
  verb: string;
  platform: string;
} {
  const verb = statement['verb'];
  const context = statement['context'];
  const verbId =
    typeof verb === 'object' && verb !== null ? (verb as Record<string, unknown>)['id'] : undefined;
  const platform =
    typeof context === 'object' && context !== null
      ? (context as Record<string, unknown>)['platform']
      : undefined;
  return {
    verb: typeof verbId === 'string' ? verbId : '(none)',
    platform: typeof platform === 'string' ? platform : '(none)',
  };
}

const increment = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Sorted keys, so that summary.json does not depend on the order things happened in. */
const sorted = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Counts lines and mess while a run is generated. */
export class Tally {
  lines = 0;
  readonly #byVerb: Record<string, number> = {};
  readonly #byPlatform: Record<string, number> = {};
  readonly #mess = Object.fromEntries(MESS_KINDS.map((k) => [k, 0])) as Record<MessKind, number>;
  readonly #invalid: Record<string, number> = {};

  /** One delivered line. */
  line(statement: Readonly<Record<string, unknown>>): void {
    this.lines++;
    const keys = countKeys(statement);
    increment(this.#byVerb, keys.verb);
    increment(this.#byPlatform, keys.platform);
  }

  /** One occurrence of a kind of mess. */
  mess(kind: MessKind): void {
    this.#mess[kind]++;
  }

  /** One invalid statement, and why. */
  invalid(reason: string): void {
    this.#mess.invalid++;
    increment(this.#invalid, reason);
  }

  /** The summary, with the run's description. */
  summary(
    options: SimulationOptions,
    world: Pick<Summary, 'departments' | 'teams' | 'skills' | 'activities' | 'growingPeople'>,
  ): Summary {
    return {
      seed: options.seed,
      start: options.start,
      days: options.days,
      people: options.people,
      ...world,
      messEnabled: MESS_KINDS.filter((k) => options.mess.has(k)),
      lines: this.lines,
      byVerb: sorted(this.#byVerb),
      byPlatform: sorted(this.#byPlatform),
      mess: { ...this.#mess },
      invalidReasons: sorted(this.#invalid),
    };
  }
}
