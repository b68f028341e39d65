import type { Line, Pending } from './content-mess.js';
import { DAY_MS, type MessKind, type SimulationOptions } from './options.js';
import type { Rng } from './random.js';
import type { Tally } from './summary.js';

/** How far behind later statements a late arrival is: more than anything a day's batch holds. */
export const LATE_MS = 2 * DAY_MS;

/** A line without its id: what a client that sets no ids sends, and sends again on a retry. */
function withoutId(line: Line): Line {
  const { id: _id, ...statement } = line.statement;
  return { ...line, statement, clean: false };
}

/**
 * The delivery order of statements.ndjson and the mess that lives in it: duplicates, retries,
 * late arrivals, out-of-order statements. Each day's lines are delivered in timestamp order,
 * then rearranged; duplicates and late arrivals wait in queues for a later day. The rules are
 * exact, so that tests can recount every kind from the file alone:
 *
 * - a line is late when its timestamp is more than {@link LATE_MS} before the latest timestamp
 *   delivered before it: a late line is released only then;
 * - a line is out of order when it is earlier than that latest timestamp, but not late: a moved
 *   line is placed right after a line of the same day with a later timestamp;
 * - a duplicate repeats an earlier line exactly (same id); a retry repeats the line just before
 *   it, and neither carries an id.
 */
export class Delivery {
  readonly #options: SimulationOptions;
  readonly #tally: Tally;
  readonly #duplicates = new Map<number, Line[]>();
  #late: Pending[] = [];
  #latest = -Infinity;

  constructor(options: SimulationOptions, tally: Tally) {
    this.#options = options;
    this.#tally = tally;
  }

  #on(rng: Rng, kind: MessKind): boolean {
    return this.#options.mess.has(kind) && rng.chance(this.#options.messRates[kind]);
  }

  /** Late lines (targets of voiding statements) to deliver on or after their due day. */
  holdLate(pending: readonly Pending[]): void {
    this.#late.push(...pending);
  }

  /** The lines to write for day `day`, from its lines in timestamp order. */
  *deliver(rng: Rng, day: number, lines: readonly Line[]): Generator<Line> {
    const batch: Line[] = [];
    const lastDay = this.#options.days - 1;
    for (const line of lines) {
      if (line.clean && day + 3 <= lastDay && this.#on(rng, 'late-arrivals')) {
        this.#late.push({ due: day + rng.int(3, Math.min(7, lastDay - day)), line });
      } else {
        batch.push(line);
      }
    }
    for (const line of this.#arrange(rng, batch)) yield* this.#emit(rng, day, line);
    const duplicates = this.#duplicates.get(day) ?? [];
    this.#duplicates.delete(day);
    for (const line of duplicates) {
      this.#tally.mess('duplicates');
      yield this.#counted(line);
    }
    yield* this.#releaseLate(day);
  }

  /** Whatever is still waiting when the run ends. */
  *finish(): Generator<Line> {
    for (const day of [...this.#duplicates.keys()].sort((a, b) => a - b)) {
      for (const line of this.#duplicates.get(day) ?? []) {
        this.#tally.mess('duplicates');
        yield this.#counted(line);
      }
    }
    this.#duplicates.clear();
    yield* this.#releaseLate(Infinity);
    // What still waits cannot be late now; classify it as the data will show it.
    const rest = this.#late;
    this.#late = [];
    for (const { line } of rest) {
      if (line.time < this.#latest - LATE_MS) this.#tally.mess('late-arrivals');
      else if (line.time < this.#latest) this.#tally.mess('out-of-order');
      yield this.#counted(line);
    }
  }

  /** Out-of-order moves and retries within one day's batch (in timestamp order). */
  #arrange(rng: Rng, batch: readonly Line[]): Line[] {
    const moved = new Map<number, Line[]>();
    const isMoved = new Set<number>();
    for (let i = 0; i < batch.length - 1; i++) {
      const line = batch[i] as Line;
      // A line that hosts moved lines stays where it is, or they would move with it.
      if (!line.clean || moved.has(i) || !this.#on(rng, 'out-of-order')) continue;
      const hosts: number[] = [];
      for (let j = i + 1; j < batch.length && hosts.length < 20; j++) {
        const host = batch[j] as Line;
        // The host's timestamp must be readable: the data shows the move only through it.
        if (!isMoved.has(j) && host.timeValid && host.time > line.time) hosts.push(j);
      }
      if (hosts.length === 0) continue;
      const host = rng.pick(hosts);
      isMoved.add(i);
      const list = moved.get(host) ?? [];
      list.push({ ...line, clean: false });
      moved.set(host, list);
      this.#tally.mess('out-of-order');
    }
    const arranged: Line[] = [];
    batch.forEach((line, i) => {
      if (isMoved.has(i)) return;
      const hosted = moved.get(i) ?? [];
      if (line.clean && hosted.length === 0 && this.#on(rng, 'retries')) {
        const copy = withoutId(line);
        arranged.push(copy, copy);
        this.#tally.mess('retries');
      } else {
        arranged.push(line);
      }
      arranged.push(...hosted);
    });
    return arranged;
  }

  *#emit(rng: Rng, day: number, line: Line): Generator<Line> {
    if (line.clean && this.#on(rng, 'duplicates')) {
      const due = day + rng.int(0, 3);
      const list = this.#duplicates.get(due) ?? [];
      list.push({ ...line, clean: false });
      this.#duplicates.set(due, list);
    }
    yield this.#counted(line);
  }

  *#releaseLate(day: number): Generator<Line> {
    const waiting: Pending[] = [];
    for (const pending of this.#late) {
      if (pending.due <= day && pending.line.time < this.#latest - LATE_MS) {
        this.#tally.mess('late-arrivals');
        yield this.#counted(pending.line);
      } else {
        waiting.push(pending);
      }
    }
    this.#late = waiting;
  }

  #counted(line: Line): Line {
    if (line.timeValid && line.time > this.#latest) this.#latest = line.time;
    this.#tally.line(line.statement);
    return line;
  }
}
