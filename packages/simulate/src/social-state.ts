import type { Agent } from '@cairn/xapi';

/**
 * A piece of social content others can react to: a Slack message, a forum answer, a wiki page.
 * `quality` (0 to 1) comes from the author's latent skill: people like and up-vote good content
 * more often, so that recognition is evidence of skill.
 */
export interface Content {
  readonly id: string;
  readonly name: string;
  readonly author: Agent;
  readonly authorId: string;
  readonly skill: string;
  readonly quality: number;
  readonly time: number;
  /** The forum topic or Slack channel the content is in. */
  readonly container: string;
}

/** An open forum question. */
export interface Question {
  readonly id: string;
  readonly name: string;
  readonly askerId: string;
  readonly skill: string;
  readonly difficulty: number;
  readonly time: number;
  accepted: boolean;
  answers: number;
}

/** Keeps the last `size` items of a list per key, so that memory stays flat over long runs. */
export class Recent<T> {
  readonly #size: number;
  readonly #lists = new Map<string, T[]>();

  constructor(size: number) {
    this.#size = size;
  }

  add(key: string, item: T): void {
    const list = this.#lists.get(key);
    if (list === undefined) {
      this.#lists.set(key, [item]);
      return;
    }
    list.push(item);
    if (list.length > this.#size) list.shift();
  }

  get(key: string): readonly T[] {
    return this.#lists.get(key) ?? [];
  }
}

/** What the social tools remember from one day to the next. */
export interface SocialState {
  readonly messages: Recent<Content>;
  readonly answers: Recent<Content>;
  readonly pages: Recent<Content>;
  readonly questions: Recent<Question>;
  /** Person and skill pairs already asserted as mastered. */
  readonly asserted: Set<string>;
  /** Counters that make forum topic and wiki page numbers. */
  next: { topic: number; page: number };
}

/** A fresh state. */
export function socialState(): SocialState {
  return {
    messages: new Recent(40),
    answers: new Recent(40),
    pages: new Recent(30),
    questions: new Recent(20),
    asserted: new Set(),
    next: { topic: 1000, page: 1 },
  };
}
