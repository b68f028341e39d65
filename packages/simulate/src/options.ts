/**
 * The kinds of mess the simulator can add, each switchable and each counted in the summary:
 *
 * - `duplicates`: a statement delivered again later with the same id and content.
 * - `retries`: a client that sends statements without ids sent one twice; the two copies are
 *   identical and carry no id, so an LRS gives them two ids and cannot tell them apart.
 * - `late-arrivals`: a statement delivered at least two days after later statements were.
 * - `out-of-order`: a statement delivered after a statement with a later timestamp (same day).
 * - `voiding`: a voiding statement delivered after its target.
 * - `voiding-before-target`: a voiding statement delivered before its target (the target then
 *   arrives late, and is counted under `late-arrivals` too).
 * - `unknown-verbs`: a statement whose verb is in no vocabulary the simulator knows.
 * - `unaligned-activities`: a statement about an activity aligned to no skill in any way.
 * - `invalid`: a statement that breaks the xAPI 1.0.3 rules (an LRS must reject it).
 */
export const MESS_KINDS = [
  'duplicates',
  'retries',
  'late-arrivals',
  'out-of-order',
  'voiding',
  'voiding-before-target',
  'unknown-verbs',
  'unaligned-activities',
  'invalid',
] as const;

/** One of {@link MESS_KINDS}. */
export type MessKind = (typeof MESS_KINDS)[number];

/**
 * How often each kind of mess happens: per eligible statement (per clean statement for the
 * delivery kinds, per formal outcome for voiding, per social statement for unknown verbs), except
 * `unaligned-activities`, which is per person and working day.
 */
export const DEFAULT_MESS_RATES: Readonly<Record<MessKind, number>> = {
  duplicates: 0.01,
  retries: 0.004,
  'late-arrivals': 0.004,
  'out-of-order': 0.01,
  voiding: 0.02,
  'voiding-before-target': 0.01,
  'unknown-verbs': 0.005,
  'unaligned-activities': 0.05,
  invalid: 0.001,
};

/** What to simulate. Every field is fixed before generation starts: no clock, no environment. */
export interface SimulationOptions {
  /** Number of people (>= 1). */
  readonly people: number;
  /** Number of days (>= 1), from `start`. */
  readonly days: number;
  /** Seed of every random choice. */
  readonly seed: number;
  /** The first day, `YYYY-MM-DD` (UTC). */
  readonly start: string;
  /** The kinds of mess to add. */
  readonly mess: ReadonlySet<MessKind>;
  /** Rates of the kinds of mess (defaults: {@link DEFAULT_MESS_RATES}). */
  readonly messRates: Readonly<Record<MessKind, number>>;
}

/** Small enough that a default run takes seconds. */
export const DEFAULT_OPTIONS: SimulationOptions = {
  people: 50,
  days: 30,
  seed: 1,
  start: '2025-01-06',
  mess: new Set(MESS_KINDS),
  messRates: DEFAULT_MESS_RATES,
};

const DATE = /^\d{4}-\d{2}-\d{2}$/u;

/** Whether `name` is one of {@link MESS_KINDS}. */
export function isMessKind(name: string): name is MessKind {
  return (MESS_KINDS as readonly string[]).includes(name);
}

/**
 * `all`, `none` or a comma-separated list of kinds, as a set. Throws a RangeError naming the
 * unknown kinds.
 */
export function parseMessList(text: string): Set<MessKind> {
  const trimmed = text.trim();
  if (trimmed === 'all') return new Set(MESS_KINDS);
  if (trimmed === 'none' || trimmed === '') return new Set();
  const names = trimmed.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isMessKind(name));
  if (unknown.length > 0) {
    throw new RangeError(
      `unknown mess kind ${unknown.join(', ')} (known: ${MESS_KINDS.join(', ')}, all, none)`,
    );
  }
  return new Set(names.filter(isMessKind));
}

/** Defaults completed with `partial`, checked. Throws a RangeError naming the bad option. */
export function simulationOptions(partial: Partial<SimulationOptions> = {}): SimulationOptions {
  const options: SimulationOptions = {
    ...DEFAULT_OPTIONS,
    ...partial,
    messRates: { ...DEFAULT_MESS_RATES, ...partial.messRates },
  };
  if (!Number.isInteger(options.people) || options.people < 1) {
    throw new RangeError(`people must be a positive integer, not ${options.people}`);
  }
  if (!Number.isInteger(options.days) || options.days < 1) {
    throw new RangeError(`days must be a positive integer, not ${options.days}`);
  }
  if (!Number.isInteger(options.seed)) {
    throw new RangeError(`seed must be an integer, not ${options.seed}`);
  }
  if (!DATE.test(options.start) || Number.isNaN(Date.parse(`${options.start}T00:00:00Z`))) {
    throw new RangeError(`start must be a date as YYYY-MM-DD, not ${options.start}`);
  }
  for (const [kind, rate] of Object.entries(options.messRates)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate of ${kind} must be in [0, 1]`);
  }
  return options;
}

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** The start of day `day` of the run, in epoch milliseconds. */
export function dayStart(options: SimulationOptions, day: number): number {
  return Date.parse(`${options.start}T00:00:00.000Z`) + day * DAY_MS;
}

/** `YYYY-MM-DD` of day `day` of the run. */
export function dayDate(options: SimulationOptions, day: number): string {
  return new Date(dayStart(options, day)).toISOString().slice(0, 10);
}
