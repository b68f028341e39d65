/**
 * Scores for estimators checked against known truth (the simulator's): rank correlation of
 * estimates with true values, and precision and recall of a yes/no call such as "growing".
 */

/** Ranks 1..n, ties given the mean of the ranks they span. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(values.length).fill(0);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]?.[0] === order[i]?.[0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k]?.[1] ?? 0] = rank;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation; null when either side has no spread or there are fewer than 2 pairs. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError('pearson: the two series differ in length');
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : null;
}

/** Spearman's rank correlation (Pearson on mid-ranks, so ties are handled). */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new RangeError('spearman: the two series differ in length');
  return pearson(ranks(xs), ranks(ys));
}

/** How well a yes/no call matches the truth. */
export interface PrecisionRecall {
  /** Cases called yes. */
  readonly flagged: number;
  /** Cases that truly are yes. */
  readonly positives: number;
  readonly truePositives: number;
  /** truePositives / flagged; null when nothing was flagged. */
  readonly precision: number | null;
  /** truePositives / positives; null when nothing is truly yes. */
  readonly recall: number | null;
}

/** Precision and recall of `called` against `actual`, case by case. */
export function precisionRecall(
  called: readonly boolean[],
  actual: readonly boolean[],
): PrecisionRecall {
  if (called.length !== actual.length) {
    throw new RangeError('precisionRecall: the two series differ in length');
  }
  let flagged = 0;
  let positives = 0;
  let truePositives = 0;
  called.forEach((c, i) => {
    const a = actual[i] === true;
    if (c) flagged++;
    if (a) positives++;
    if (c && a) truePositives++;
  });
  return {
    flagged,
    positives,
    truePositives,
    precision: flagged === 0 ? null : truePositives / flagged,
    recall: positives === 0 ? null : truePositives / positives,
  };
}
