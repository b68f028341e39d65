// The accuracy harness (bench/lib/accuracy-run.ts) on a small simulated organisation, scored
// against the simulator's truth: the figures must be sane, and the default model must be the
// better of the two here as it is at full size (bench/results/2026-12-07-accuracy.md).
import t from 'tap';
import fc from 'fast-check';
import {
  DEFAULT_MASTERY_MODEL,
  MASTERY_MODELS,
  masteryModel,
  pearson,
  precisionRecall,
  ranks,
  spearman,
} from '@cairn/analytics';
import { scoreModels, simulatedEvidence } from '../../../bench/lib/accuracy-run.js';

t.test('rank correlation: mid-ranks for ties, +1 and -1 for monotone series', async (t) => {
  t.same(ranks([10, 30, 20, 20]), [1, 4, 2.5, 2.5]);
  t.equal(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
  t.equal(spearman([1, 2, 3, 4], [9, 4, 1, 0]), -1);
  t.equal(spearman([1, 1, 1], [1, 2, 3]), null, 'no spread, no correlation');
  t.equal(pearson([1], [2]), null);
  t.throws(() => spearman([1, 2], [1]), { name: 'RangeError' });
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 2, maxLength: 30 }), (xs) => {
      const cubed = xs.map((x) => x ** 3 + 1);
      const rho = spearman(xs, cubed);
      return rho === null || Math.abs(rho - 1) < 1e-12;
    }),
  ); // prettier-ignore
});

t.test('precision and recall count calls against the truth', async (t) => {
  t.same(precisionRecall([true, true, false, false], [true, false, true, false]), {
    flagged: 2,
    positives: 2,
    truePositives: 1,
    precision: 0.5,
    recall: 0.5,
  });
  t.same(precisionRecall([false], [true]), {
    flagged: 0,
    positives: 1,
    truePositives: 0,
    precision: null,
    recall: 0,
  });
});

t.test('the default mastery model is the difficulty model, chosen by name', async (t) => {
  t.equal(DEFAULT_MASTERY_MODEL, 'difficulty');
  t.equal(masteryModel(), MASTERY_MODELS.difficulty);
  t.equal(masteryModel('beta').name, 'beta');
});

t.test('on a small simulated organisation both models track the latent truth', async (t) => {
  const run = simulatedEvidence({ people: 40, days: 120, seed: 5 });
  t.ok(run.statements > 10_000, `${run.statements} statements`);
  const score = scoreModels(run);
  t.comment(JSON.stringify(score.models.map((m) => ({ ...m, ms: Math.round(m.ms) }))));
  t.equal(score.pairs, 201, "the truth's person x skill pairs");
  t.ok(score.sufficientPairs >= 150, `${score.sufficientPairs} pairs with sufficient evidence`);
  const [beta, difficulty] = score.models;
  if (beta === undefined || difficulty === undefined) throw new Error('two models were scored');
  // Measured 0.743 and 0.797.
  t.ok((beta.rankCorrelation ?? 0) > 0.65, `beta ${beta.rankCorrelation}`);
  t.ok((difficulty.rankCorrelation ?? 0) > 0.72, `difficulty ${difficulty.rankCorrelation}`);
  t.ok(
    (difficulty.rankCorrelation ?? 0) > (beta.rankCorrelation ?? 0),
    'the difficulty model ranks people better',
  );
  for (const m of score.models) {
    // Measured 0.108 and 0.096: estimates are on the truth's scale, not just in its order.
    t.ok((m.meanAbsoluteError ?? 1) < 0.15, `${m.model} mean absolute error`);
    t.ok((m.intervalCoverage ?? 0) > 0.7, `${m.model} 80% interval coverage`);
    for (const g of m.growing) {
      t.ok(g.precision === null || g.precision >= 0.6, `${m.model} growing over ${g.periodDays} d`);
    }
  }
});
