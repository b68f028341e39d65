/**
 * The sums a skill-day bucket holds (analytics-model.md section 4). Every field is a sum, so
 * buckets form a commutative group: arrival order does not matter, retraction is subtraction and
 * merging two people or two shards is addition.
 */
export interface SkillDaySums {
  /** Number of evidence rows. */
  readonly statements: number;
  /** Sum of event counts n. */
  readonly events: number;
  /** Sum of weights w. */
  readonly w: number;
  /** Sum of w * y over outcome rows. */
  readonly wy: number;
  /** Sum of w * y^2 over outcome rows. */
  readonly wy2: number;
  /** Sum of w over outcome rows. */
  readonly wout: number;
}

export const ZERO_SUMS: SkillDaySums = Object.freeze({
  statements: 0,
  events: 0,
  w: 0,
  wy: 0,
  wy2: 0,
  wout: 0,
});

/** a + b, field by field. */
export function addSums(a: SkillDaySums, b: SkillDaySums): SkillDaySums {
  return {
    statements: a.statements + b.statements,
    events: a.events + b.events,
    w: a.w + b.w,
    wy: a.wy + b.wy,
    wy2: a.wy2 + b.wy2,
    wout: a.wout + b.wout,
  };
}

/** -a, field by field: adding it retracts a. */
export function negateSums(a: SkillDaySums): SkillDaySums {
  return {
    statements: -a.statements,
    events: -a.events,
    w: -a.w,
    wy: -a.wy,
    wy2: -a.wy2,
    wout: -a.wout,
  };
}
