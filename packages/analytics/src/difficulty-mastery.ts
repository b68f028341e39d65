/**
 * Difficulty-aware mastery: a Rasch model fitted to the whole population's outcome sums.
 *
 * Why Rasch and not Elo: Elo updates a rating after each outcome in arrival order, so its result
 * depends on the order statements arrive in and on every earlier rating (section 5 allows such
 * models only as a read-time replay of one person's evidence, which cannot learn item
 * difficulties from everyone). The Rasch likelihood depends on the data only through sums per
 * (person, skill, activity, day): it is a function of the same exact, rebuildable roll-up as the
 * buckets, independent of arrival order, and its maximum is unique (the log-posterior is strictly
 * concave), so a rebuild gives the same fit.
 *
 * Model. Person p's ability on skill s on day T is theta_ps (logit scale), its trend beta_ps
 * (logits per 90 days), activity a's difficulty b_a (one per activity, shared by the skills it is
 * aligned to). An outcome y in [0, 1] of weight w on day d is a binomial proportion: it adds
 * w [y log q + (1 - y) log(1 - q)] to the log-likelihood, q = sigmoid(theta_ps +
 * beta_ps (d - T) / 90 - b_a). As of day T each day d <= T is weighted by exp(-lambda (T - d)),
 * lambda = ln 2 / h, exactly as the Beta model decays its evidence, so both answer "as of T".
 * The trend is there because people learn: a level averaged over the last months lags behind
 * someone who is growing (on the simulator's data the lag alone caps the rank correlation of a
 * perfect decayed average with today's latent skill at about 0.91); with a trend the model
 * estimates the level on day T itself. Set `trendSd` to 0 for the plain Rasch model.
 *
 * Priors theta ~ N(0, abilitySd^2), beta ~ N(0, trendSd^2) and b ~ N(0, difficultySd^2) make the
 * fit a MAP estimate: a person with only successes keeps a finite ability. An activity with
 * outcomes from fewer than `minSubjects` people (a forum answer or chat message, whose likes all
 * credit its one author) cannot tell its difficulty from its author's ability, so such
 * activities share one difficulty per skill: recognition that is nearly always positive then
 * counts as a success on a very easy item, which says little, instead of as a pass on an
 * average one. Mastery is the chance of success on an activity of average difficulty (b = 0),
 * sigmoid(theta): the 0..1 scale of the Beta model and of the simulator's truth.
 *
 * Fitting: block coordinate ascent, alternating one Newton step for every person and skill
 * (theta and beta, difficulties fixed) with one for every difficulty (abilities fixed), then the
 * exact best common shift of abilities and difficulties. Each block is a sum of independent
 * concave problems of one or two parameters, so each step raises the log-posterior, and the
 * iteration stops when no parameter moves by more than `tolerance`
 * (or after `maxIterations`). Inputs are sorted into a canonical order before anything is
 * summed, so shuffled inputs give bit-identical results.
 */
import { MEASURE_DEFAULTS } from './mastery-measures.js';
import { dayNumber } from './utc-day.js';

/**
 * The roll-up the estimator reads: outcome sums of one subject, skill, activity and day. `wout` is
 * the sum of w over the rows carrying an outcome y, `wy` the sum of w*y over them, `statements`
 * the number of evidence rows (with or without y).
 */
export interface ActivityDaySums {
  readonly subject: string;
  readonly skill: string;
  readonly activityId: string;
  /** `YYYY-MM-DD`. */
  readonly day: string;
  readonly statements: number;
  readonly wout: number;
  readonly wy: number;
}

/** Settings of the difficulty model; the clock is the `asOf` day. */
export interface DifficultyOptions {
  /** The day T the measures are for, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Half-life h of evidence in days (default 90, as the Beta model). */
  readonly halfLifeDays?: number;
  /** Evidence needed before a level is shown (default 3, as the Beta model). */
  readonly nMin?: number;
  /** Prior standard deviation of abilities, logits. */
  readonly abilitySd?: number;
  /** Prior standard deviation of trends, logits per 90 days; 0 fits no trend. */
  readonly trendSd?: number;
  /** Prior standard deviation of activity difficulties, logits. */
  readonly difficultySd?: number;
  /** Activities with outcomes from fewer people than this share one difficulty per skill. */
  readonly minSubjects?: number;
  readonly maxIterations?: number;
  /** Stop when no parameter moves by more than this (logits). */
  readonly tolerance?: number;
}

/**
 * Defaults. The prior widths were chosen on simulator seed 1 only (bench/accuracy.ts), never on
 * the seeds the model is evaluated on.
 */
export const DIFFICULTY_DEFAULTS = {
  halfLifeDays: MEASURE_DEFAULTS.halfLifeDays,
  nMin: MEASURE_DEFAULTS.nMin,
  abilitySd: 3,
  trendSd: 2,
  difficultySd: 0.5,
  minSubjects: 2,
  maxIterations: 1000,
  tolerance: 1e-9,
} as const;

/** The unit of the trend, in days. */
const TREND_DAYS = 90;
/** z of the 10% and 90% normal quantiles: the 80% interval. */
const Z80 = 1.2815515655446004;
/** The one-sided 95% threshold, as the Beta model's growth test. */
const GROWTH_Z = 1.64;
/** Largest Newton step, logits: keeps early steps from overshooting where the curvature is small. */
const MAX_STEP = 2;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clampStep = (step: number): number => Math.max(-MAX_STEP, Math.min(MAX_STEP, step));
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The key of a subject and skill in maps built from a fit. */
export const subjectSkillKey = (subject: string, skill: string): string =>
  JSON.stringify([subject, skill]);

/** One subject's ability on one skill, as of the fit's day. */
export interface DifficultyMastery {
  readonly subject: string;
  readonly skill: string;
  /** MAP ability theta on the day (logits) and its standard error (Laplace approximation). */
  readonly ability: number;
  readonly se: number;
  /** MAP trend (logits per 90 days, 0 when fitted without) and its standard error. */
  readonly trend: number;
  readonly trendSe: number;
  /** sigmoid(ability): the chance of success on an activity of average difficulty. */
  readonly mastery: number;
  /** sigmoid(ability -/+ 1.2816 se): the 80% interval. */
  readonly low: number;
  readonly high: number;
  /** Decayed sum of w over outcomes (the Beta model's A + B). */
  readonly evidence: number;
  /** Evidence rows up to the day, undecayed. */
  readonly statements: number;
  /** The mastery when evidence >= nMin, else null ("insufficient evidence"). */
  readonly level: number | null;
}

/** The population fit as of a day. */
export interface DifficultyFit {
  readonly asOf: string;
  /** Fitted difficulty (logits; 0 is average) of each activity with enough people's outcomes. */
  readonly difficulties: ReadonlyMap<string, number>;
  /** Per skill: the shared difficulty of the activities with too few people's outcomes. */
  readonly pooledDifficulties: ReadonlyMap<string, number>;
  /** One entry per subject and skill with rows up to the day, by subject then skill. */
  readonly masteries: readonly DifficultyMastery[];
  readonly iterations: number;
  readonly converged: boolean;
}

/** The difficulty the fit gives an activity when it is evidence of `skill` (0 if unseen). */
export function difficultyOf(
  fit: Pick<DifficultyFit, 'difficulties' | 'pooledDifficulties'>,
  activityId: string,
  skill: string,
): number {
  return fit.difficulties.get(activityId) ?? fit.pooledDifficulties.get(skill) ?? 0;
}

interface Settings {
  readonly halfLifeDays: number;
  readonly nMin: number;
  readonly abilitySd: number;
  readonly trendSd: number;
  readonly difficultySd: number;
  readonly minSubjects: number;
  readonly maxIterations: number;
  readonly tolerance: number;
}

function settingsOf(options: Omit<DifficultyOptions, 'asOf'>): Settings {
  const s = {
    halfLifeDays: options.halfLifeDays ?? DIFFICULTY_DEFAULTS.halfLifeDays,
    nMin: options.nMin ?? DIFFICULTY_DEFAULTS.nMin,
    abilitySd: options.abilitySd ?? DIFFICULTY_DEFAULTS.abilitySd,
    trendSd: options.trendSd ?? DIFFICULTY_DEFAULTS.trendSd,
    difficultySd: options.difficultySd ?? DIFFICULTY_DEFAULTS.difficultySd,
    minSubjects: options.minSubjects ?? DIFFICULTY_DEFAULTS.minSubjects,
    maxIterations: options.maxIterations ?? DIFFICULTY_DEFAULTS.maxIterations,
    tolerance: options.tolerance ?? DIFFICULTY_DEFAULTS.tolerance,
  };
  for (const [name, value] of Object.entries(s)) {
    const allowsZero = name === 'trendSd' || name === 'nMin' || name === 'minSubjects';
    if (!Number.isFinite(value) || value < 0 || (value === 0 && !allowsZero)) {
      throw new RangeError(`${name} must be a ${allowsZero ? 'non-negative' : 'positive'} number`);
    }
  }
  return s;
}

/** An outcome row with its day number. */
interface Row {
  readonly row: ActivityDaySums;
  readonly day: number;
}

/** Day numbers of `YYYY-MM-DD` days, parsed once per distinct day. */
function dayParser(): (day: string) => number {
  const days = new Map<string, number>();
  return (day) => {
    let n = days.get(day);
    if (n === undefined) {
      n = dayNumber(day);
      days.set(day, n);
    }
    return n;
  };
}

/**
 * The rows carrying outcomes with from < day <= to, in canonical order, so that sums and
 * iterations are the same whatever order rows come in.
 */
function outcomeRows(rows: readonly ActivityDaySums[], from: number, to: number): Row[] {
  const parse = dayParser();
  const kept: Row[] = [];
  for (const row of rows) {
    if (!(row.wout > 0)) continue;
    const day = parse(row.day);
    if (day > from && day <= to) kept.push({ row, day });
  }
  return kept.sort(
    ({ row: x }, { row: y }) =>
      compare(x.subject, y.subject) ||
      compare(x.skill, y.skill) ||
      compare(x.activityId, y.activityId) ||
      compare(x.day, y.day) ||
      x.wout - y.wout ||
      x.wy - y.wy ||
      x.statements - y.statements,
  );
}

/** A subject and skill's totals. */
interface Pair {
  readonly subject: string;
  readonly skill: string;
  evidence: number;
  statements: number;
}

/**
 * Every subject and skill with rows up to day `to`, sorted, with their statement counts (whole
 * numbers, so their float sums are exact in any order).
 */
function pairsOf(rows: readonly ActivityDaySums[], to: number): Map<string, Pair> {
  const parse = dayParser();
  const pairs = new Map<string, Pair>();
  for (const row of rows) {
    if (parse(row.day) > to) continue;
    const key = subjectSkillKey(row.subject, row.skill);
    const pair = pairs.get(key) ?? { subject: row.subject, skill: row.skill, evidence: 0, statements: 0 }; // prettier-ignore
    pair.statements += row.statements;
    pairs.set(key, pair);
  }
  return new Map([...pairs.entries()].sort(([a], [b]) => compare(a, b)));
}

/**
 * Weighted outcome sums per (subject-skill, difficulty parameter, day), in canonical order, for
 * days from < d <= to. `x` is (d - to) / 90, the trend's covariate.
 */
interface Cells {
  readonly pairs: Pair[];
  readonly pair: Int32Array;
  readonly param: Int32Array;
  readonly x: Float64Array;
  readonly w: Float64Array;
  readonly y: Float64Array;
}

/** Cells of canonical outcome rows; `pairs` gives the pair indices and collects the evidence. */
function cellsOf(
  rows: readonly Row[],
  pairs: ReadonlyMap<string, Pair>,
  to: number,
  weight: (age: number) => number,
  paramOf: (row: ActivityDaySums) => number,
): Cells {
  const index = new Map([...pairs.keys()].map((key, i) => [key, i]));
  const n = rows.length;
  const cells: Cells = {
    pairs: [...pairs.values()],
    pair: new Int32Array(n),
    param: new Int32Array(n),
    x: new Float64Array(n),
    w: new Float64Array(n),
    y: new Float64Array(n),
  };
  rows.forEach(({ row, day }, c) => {
    const p = index.get(subjectSkillKey(row.subject, row.skill)) ?? 0;
    const decayed = weight(to - day) * row.wout;
    const pair = cells.pairs[p];
    if (pair !== undefined) pair.evidence += decayed;
    cells.pair[c] = p;
    cells.param[c] = paramOf(row);
    cells.x[c] = (day - to) / TREND_DAYS;
    cells.w[c] = decayed;
    // min and max guard against float remainders, never against real evidence.
    cells.y[c] = (decayed * Math.min(Math.max(0, row.wy), row.wout)) / row.wout;
  });
  return cells;
}

/** Per pair: the gradient and curvature sums of the log-likelihood in theta and beta. */
class PairSums {
  readonly gt: Float64Array;
  readonly gb: Float64Array;
  readonly htt: Float64Array;
  readonly htb: Float64Array;
  readonly hbb: Float64Array;
  constructor(n: number) {
    this.gt = new Float64Array(n);
    this.gb = new Float64Array(n);
    this.htt = new Float64Array(n);
    this.htb = new Float64Array(n);
    this.hbb = new Float64Array(n);
  }
  accumulate(cells: Cells, theta: Float64Array, beta: Float64Array, b: Float64Array): void {
    for (const a of [this.gt, this.gb, this.htt, this.htb, this.hbb]) a.fill(0);
    const { pair, param, x, w, y } = cells;
    for (let c = 0; c < w.length; c++) {
      const p = pair[c] as number;
      const xc = x[c] as number;
      const wc = w[c] as number;
      const q = sigmoid((theta[p] as number) + (beta[p] as number) * xc - (b[param[c] as number] as number)); // prettier-ignore
      const r = (y[c] as number) - wc * q;
      const i = wc * q * (1 - q);
      this.gt[p] = (this.gt[p] as number) + r;
      this.gb[p] = (this.gb[p] as number) + xc * r;
      this.htt[p] = (this.htt[p] as number) + i;
      this.htb[p] = (this.htb[p] as number) + xc * i;
      this.hbb[p] = (this.hbb[p] as number) + xc * xc * i;
    }
  }
}

/** Prior precisions of ability and trend; no trend is fitted when trendSd is 0. */
interface Priors {
  readonly pt: number;
  readonly pb: number;
  readonly withTrend: boolean;
}

const priorsOf = (s: Settings): Priors => ({
  pt: 1 / s.abilitySd ** 2,
  pb: s.trendSd > 0 ? 1 / s.trendSd ** 2 : 0,
  withTrend: s.trendSd > 0,
});

/** One Newton step for every pair's theta and beta from accumulated sums; the largest move. */
function pairSteps(
  sums: PairSums,
  theta: Float64Array,
  beta: Float64Array,
  priors: Priors,
): number {
  const { pt, pb, withTrend } = priors;
  let largest = 0;
  for (let p = 0; p < theta.length; p++) {
    const th = theta[p] as number;
    const be = beta[p] as number;
    const gt = (sums.gt[p] as number) - th * pt;
    const htt = (sums.htt[p] as number) + pt;
    if (!withTrend) {
      const step = clampStep(gt / htt);
      theta[p] = th + step;
      largest = Math.max(largest, Math.abs(step));
      continue;
    }
    const gb = (sums.gb[p] as number) - be * pb;
    const htb = sums.htb[p] as number;
    const hbb = (sums.hbb[p] as number) + pb;
    const det = htt * hbb - htb * htb;
    const st = clampStep((hbb * gt - htb * gb) / det);
    const sb = clampStep((htt * gb - htb * gt) / det);
    theta[p] = th + st;
    beta[p] = be + sb;
    largest = Math.max(largest, Math.abs(st), Math.abs(sb));
  }
  return largest;
}

/**
 * Masteries at the optimum, standard errors from the curvature there, difficulties taken as
 * known (they rest on the whole population's evidence, each ability on one person's).
 */
function masteriesOf(
  cells: Cells,
  theta: Float64Array,
  beta: Float64Array,
  b: Float64Array,
  priors: Priors,
  nMin: number,
): DifficultyMastery[] {
  const { pt, pb, withTrend } = priors;
  const sums = new PairSums(cells.pairs.length);
  sums.accumulate(cells, theta, beta, b);
  return cells.pairs.map((pair, p): DifficultyMastery => {
    const htt = (sums.htt[p] as number) + pt;
    const htb = withTrend ? (sums.htb[p] as number) : 0;
    const hbb = withTrend ? (sums.hbb[p] as number) + pb : 1;
    const det = htt * hbb - htb * htb;
    const ability = theta[p] as number;
    const se = Math.sqrt(hbb / det);
    const mastery = sigmoid(ability);
    return {
      subject: pair.subject,
      skill: pair.skill,
      ability,
      se,
      trend: beta[p] as number,
      trendSe: withTrend ? Math.sqrt(htt / det) : 0,
      mastery,
      low: sigmoid(ability - Z80 * se),
      high: sigmoid(ability + Z80 * se),
      evidence: pair.evidence,
      statements: pair.statements,
      level: pair.evidence >= nMin ? mastery : null,
    };
  });
}

/**
 * Fits abilities, trends and difficulties to the population's outcome sums as of `options.asOf`
 * (days after it are ignored). Pure and deterministic: the same rows in any order give the same
 * fit.
 */
export function fitDifficultyModel(
  rows: readonly ActivityDaySums[],
  options: DifficultyOptions,
): DifficultyFit {
  const s = settingsOf(options);
  const t = dayNumber(options.asOf);
  const lambda = Math.LN2 / s.halfLifeDays;
  const sorted = outcomeRows(rows, -Infinity, t);
  // Which activities are calibrated: outcomes from at least minSubjects people.
  const people = new Map<string, Set<string>>();
  for (const { row } of sorted) {
    const set = people.get(row.activityId) ?? new Set<string>();
    set.add(row.subject);
    people.set(row.activityId, set);
  }
  const calibrated = [...people.entries()]
    .filter(([, set]) => set.size >= s.minSubjects)
    .map(([id]) => id)
    .sort(compare);
  const index = new Map<string, number>(calibrated.map((id, i) => [id, i]));
  const pooledSkills = [
    ...new Set(sorted.filter(({ row }) => !index.has(row.activityId)).map(({ row }) => row.skill)),
  ].sort(compare);
  const pooledIndex = new Map(pooledSkills.map((skill, i) => [skill, calibrated.length + i]));
  const paramOf = (row: ActivityDaySums): number =>
    index.get(row.activityId) ?? pooledIndex.get(row.skill) ?? 0;
  const decay = (age: number): number => Math.exp(-lambda * age);
  const cells = cellsOf(sorted, pairsOf(rows, t), t, decay, paramOf);
  const nPairs = cells.pairs.length;
  const nParams = calibrated.length + pooledSkills.length;
  const theta = new Float64Array(nPairs);
  const beta = new Float64Array(nPairs);
  const b = new Float64Array(nParams);
  const sums = new PairSums(nPairs);
  const gradient = new Float64Array(nParams);
  const curvature = new Float64Array(nParams);
  const priors = priorsOf(s);
  const { pt } = priors;
  const pd = 1 / s.difficultySd ** 2;
  let iterations = 0;
  let converged = false;
  while (iterations < s.maxIterations && !converged) {
    iterations++;
    let largest = 0;
    // Abilities and trends, difficulties fixed: a 2 x 2 Newton step per pair.
    sums.accumulate(cells, theta, beta, b);
    largest = Math.max(largest, pairSteps(sums, theta, beta, priors));
    // Difficulties, abilities and trends fixed.
    gradient.fill(0);
    curvature.fill(0);
    const { pair, param, x, w, y } = cells;
    for (let c = 0; c < w.length; c++) {
      const p = pair[c] as number;
      const a = param[c] as number;
      const wc = w[c] as number;
      const q = sigmoid((theta[p] as number) + (beta[p] as number) * (x[c] as number) - (b[a] as number)); // prettier-ignore
      gradient[a] = (gradient[a] as number) + wc * q - (y[c] as number);
      curvature[a] = (curvature[a] as number) + wc * q * (1 - q);
    }
    for (let a = 0; a < nParams; a++) {
      const ba = b[a] as number;
      const step = clampStep(((gradient[a] as number) - ba * pd) / ((curvature[a] as number) + pd));
      b[a] = ba + step;
      largest = Math.max(largest, Math.abs(step));
    }
    // The likelihood depends on theta - b only, so shifting every ability and difficulty by one
    // constant leaves it unchanged: the priors alone fix the shift, exactly, at the c below.
    // Without this step coordinate ascent creeps along that flat direction when priors are wide.
    let sum = 0;
    for (let p = 0; p < nPairs; p++) sum += (theta[p] as number) * pt;
    for (let a = 0; a < nParams; a++) sum += (b[a] as number) * pd;
    const shift = -sum / (nPairs * pt + nParams * pd);
    if (nPairs + nParams > 0 && Number.isFinite(shift)) {
      for (let p = 0; p < nPairs; p++) theta[p] = (theta[p] as number) + shift;
      for (let a = 0; a < nParams; a++) b[a] = (b[a] as number) + shift;
      largest = Math.max(largest, Math.abs(shift));
    }
    converged = largest <= s.tolerance;
  }
  const masteries = masteriesOf(cells, theta, beta, b, priors, s.nMin);
  return {
    asOf: options.asOf,
    difficulties: new Map(calibrated.map((id, i) => [id, b[i] as number])),
    pooledDifficulties: new Map(pooledSkills.map((skill, i) => [skill, b[calibrated.length + i] as number])), // prettier-ignore
    masteries,
    iterations,
    converged,
  };
}

/** The difficulties of a fit: what can be kept and reused for later reads. */
export type DifficultyCalibration = Pick<DifficultyFit, 'difficulties' | 'pooledDifficulties'>;

/**
 * Abilities and trends as of `options.asOf` of the subjects and skills in `rows`, with the
 * difficulties of an earlier population fit held fixed: one person's profile without refitting
 * the whole store (difficulties move slowly; a report can fit them once a day and reuse them).
 * With the calibration of a fit on the same rows and day it returns that fit's masteries, to
 * the tolerance. Activities the calibration does not know count as average (b = 0) unless their
 * skill has a pooled difficulty.
 */
export function abilitiesWithDifficulties(
  calibration: DifficultyCalibration,
  rows: readonly ActivityDaySums[],
  options: DifficultyOptions,
): DifficultyMastery[] {
  const s = settingsOf(options);
  const t = dayNumber(options.asOf);
  const lambda = Math.LN2 / s.halfLifeDays;
  const sorted = outcomeRows(rows, -Infinity, t);
  const cells = cellsOf(
    sorted,
    pairsOf(rows, t),
    t,
    (age) => Math.exp(-lambda * age),
    () => 0,
  );
  const b = Float64Array.from(sorted, ({ row }) => difficultyOf(calibration, row.activityId, row.skill)); // prettier-ignore
  // Each cell has its own difficulty here: parameter c is cell c.
  cells.param.forEach((_, c) => (cells.param[c] = c));
  const priors = priorsOf(s);
  const theta = new Float64Array(cells.pairs.length);
  const beta = new Float64Array(cells.pairs.length);
  const sums = new PairSums(cells.pairs.length);
  for (let i = 0; i < s.maxIterations; i++) {
    sums.accumulate(cells, theta, beta, b);
    if (pairSteps(sums, theta, beta, priors) <= s.tolerance) break;
  }
  return masteriesOf(cells, theta, beta, b, priors, s.nMin);
}

/** One window's ability, difficulties fixed. */
export interface WindowAbility {
  readonly ability: number;
  readonly variance: number;
  /** Undecayed sum of w over outcomes in the window. */
  readonly evidence: number;
}

/** Growth of one subject's ability on one skill over a period. */
export interface DifficultyGrowth {
  readonly subject: string;
  readonly skill: string;
  readonly recent: WindowAbility;
  readonly prior: WindowAbility;
  /** recent.ability - prior.ability, logits. */
  readonly delta: number;
  readonly z: number;
  /** z > 1.64 and both windows have at least nMin evidence. */
  readonly growing: boolean;
}

/** MAP ability of cells [from, to) with difficulties `b` fixed, prior N(centre, 1 / precision). */
function windowAbility(
  cells: Cells,
  from: number,
  to: number,
  b: Float64Array,
  centre: number,
  precision: number,
  evidence: number,
): WindowAbility {
  let theta = centre;
  let curvature = precision;
  for (let step = 0; step < 100; step++) {
    let gradient = -(theta - centre) * precision;
    curvature = precision;
    for (let c = from; c < to; c++) {
      const w = cells.w[c] as number;
      const q = sigmoid(theta - (b[c] as number));
      gradient += (cells.y[c] as number) - w * q;
      curvature += w * q * (1 - q);
    }
    const change = clampStep(gradient / curvature);
    theta += change;
    if (Math.abs(change) <= 1e-12) break;
  }
  return { ability: theta, variance: 1 / curvature, evidence };
}

/**
 * Growth over a period of P days, as the Beta model's delta: the ability of days (T - P, T]
 * against that of (T - 2P, T - P], undecayed and disjoint, with the fit's difficulties held
 * fixed. Each window's prior is centred on the person's own fitted level at the window's middle
 * (ability plus trend), not on the average, so a window with little evidence is pulled towards
 * the person's level rather than faking growth or decline. "Growing" when
 * z = delta / sqrt(var(recent) + var(prior)) > 1.64 and both windows have enough evidence.
 * One entry per subject and skill of the fit, in the fit's order.
 */
export function difficultyGrowth(
  fit: DifficultyFit,
  rows: readonly ActivityDaySums[],
  periodDays: number,
  options: Pick<DifficultyOptions, 'abilitySd' | 'nMin'> = {},
): DifficultyGrowth[] {
  const t = dayNumber(fit.asOf);
  const nMin = options.nMin ?? DIFFICULTY_DEFAULTS.nMin;
  const precision = 1 / (options.abilitySd ?? DIFFICULTY_DEFAULTS.abilitySd) ** 2;
  const windows = [t, t - periodDays].map((end) => {
    const sorted = outcomeRows(rows, end - periodDays, end);
    const pairs = new Map<string, Pair>();
    for (const { row } of sorted) {
      const key = subjectSkillKey(row.subject, row.skill);
      if (!pairs.has(key)) pairs.set(key, { subject: row.subject, skill: row.skill, evidence: 0, statements: 0 }); // prettier-ignore
    }
    // The cells' parameter index is unused here: each cell's difficulty is looked up directly.
    const cells = cellsOf(
      sorted,
      pairs,
      end,
      () => 1,
      () => 0,
    );
    const b = Float64Array.from(sorted, ({ row }) => difficultyOf(fit, row.activityId, row.skill));
    const ranges = new Map<string, { from: number; to: number; evidence: number }>();
    let at = 0;
    cells.pairs.forEach((pair, p) => {
      const from = at;
      while (at < cells.pair.length && cells.pair[at] === p) at++;
      ranges.set(subjectSkillKey(pair.subject, pair.skill), { from, to: at, evidence: pair.evidence }); // prettier-ignore
    });
    return { cells, b, ranges, middle: end - periodDays / 2 };
  });
  const [recentWindow, priorWindow] = windows;
  if (recentWindow === undefined || priorWindow === undefined) return [];
  const abilityOf = (w: typeof recentWindow, key: string, m: DifficultyMastery): WindowAbility => {
    const centre = m.ability + (m.trend * (w.middle - t)) / TREND_DAYS;
    const range = w.ranges.get(key);
    if (range === undefined) return { ability: centre, variance: 1 / precision, evidence: 0 };
    return windowAbility(w.cells, range.from, range.to, w.b, centre, precision, range.evidence);
  };
  return fit.masteries.map((m): DifficultyGrowth => {
    const key = subjectSkillKey(m.subject, m.skill);
    const recent = abilityOf(recentWindow, key, m);
    const prior = abilityOf(priorWindow, key, m);
    const delta = recent.ability - prior.ability;
    const z = delta / Math.sqrt(recent.variance + prior.variance);
    return {
      subject: m.subject,
      skill: m.skill,
      recent,
      prior,
      delta,
      z,
      growing: z > GROWTH_Z && recent.evidence >= nMin && prior.evidence >= nMin,
    };
  });
}
