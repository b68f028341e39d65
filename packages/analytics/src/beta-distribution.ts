/**
 * The Beta distribution's regularised incomplete beta function and its inverse, for the 5% and
 * 95% posterior quantiles of mastery. No statistics library is among the installed dependencies,
 * so these follow the textbook methods: ln Gamma by the Lanczos approximation (g = 7, n = 9, the
 * coefficients of Godfrey's set, relative error below 1e-15), I_x(a, b) by the continued fraction
 * of Numerical Recipes (Press et al., 3rd ed., section 6.4) evaluated with the modified Lentz
 * method, and the quantile by bisection, which cannot diverge because I_x is monotone in x.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0] ?? 1;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITERATIONS = 500;

/** The continued fraction for I_x(a, b), converging fast for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b): the CDF of Beta(a, b) at x. */
export function regularisedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) throw new RangeError('Beta parameters must be positive');
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(logFront);
  // Use the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges faster.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** The p-quantile of Beta(a, b), to within 1e-12. */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError('a probability must be in [0, 1]');
  let lo = 0;
  let hi = 1;
  // A relative tolerance, not an absolute one: with a small `a` and a large `b` the quantile can
  // be 1e-7 or less, where the CDF is so steep that an absolute 1e-12 in x misses p by 1e-8.
  // Bisection stops too when the interval cannot shrink any further in doubles.
  for (let step = 0; step < 1100; step++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi || hi - lo <= 1e-15 * hi) break;
    if (regularisedIncompleteBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean and variance of Beta(a, b). */
export function betaMoments(a: number, b: number): { mean: number; variance: number } {
  const s = a + b;
  return { mean: a / s, variance: (a * b) / (s * s * (s + 1)) };
}
