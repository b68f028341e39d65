// npm run accuracy [-- --people 500 --days 180 --seeds 2,3,4 --out <file>] [--tune]
//
// Scores the mastery models against the simulator's truth (lib/accuracy-run.ts) on several
// seeds, mess on, and writes a Markdown table. `--tune` instead searches the difficulty model's
// prior widths on the tuning seed (1 by default), which is never among the evaluation seeds.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_MASTERY_MODEL, type MasteryModelName } from '@cairn/analytics';
import { scoreModels, simulatedEvidence, type RunScore } from './lib/accuracy-run.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '500' },
    days: { type: 'string', default: '180' },
    seeds: { type: 'string', default: '2,3,4' },
    'tune-seed': { type: 'string', default: '1' },
    tune: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const people = Number(values.people);
const days = Number(values.days);
const MODELS: readonly MasteryModelName[] = ['beta', 'difficulty'];

const fixed = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits));

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function runOn(seed: number) {
  const started = performance.now();
  const run = simulatedEvidence({ people, days, seed });
  log(
    `seed ${seed}: ${run.statements} statements, ${run.evidenceRows} evidence rows, ` +
      `${run.rows.length} roll-up rows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return run;
}

/**
 * The search the defaults came from (DIFFICULTY_DEFAULTS), on the tuning seed only: prior widths
 * of ability, trend and difficulty, and the pooling threshold, one grid, scored by rank
 * correlation and the precision of "growing".
 */
async function tune(): Promise<void> {
  const seed = Number(values['tune-seed']);
  const run = runOn(seed);
  log('abilitySd trendSd difficultySd minSubjects  rho    P28/R28      P90/R90');
  for (const abilitySd of [1.5, 3]) {
    for (const trendSd of [0, 1, 2]) {
      for (const difficultySd of [0.5, 1]) {
        for (const minSubjects of [1, 2]) {
          const settings = { abilitySd, trendSd, difficultySd, minSubjects };
          const m = scoreModels(run, ['difficulty'], settings).models[0];
          if (m === undefined) continue;
          const g = m.growing.map((x) => `${fixed(x.precision, 2)}/${fixed(x.recall, 2)}`);
          log(
            `${Object.values(settings).join('\t')}\t${fixed(m.rankCorrelation)}  ${g.join('  ')}`,
          );
        }
      }
    }
  }
}

function table(scores: readonly RunScore[]): string {
  const lines = [
    '| seed | pairs (sufficient / all) | model | rank correlation | mean abs. error | 80% interval coverage | growing 28 d: P / R (flagged of true) | growing 90 d: P / R (flagged of true) | ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of scores) {
    for (const m of s.models) {
      const g = m.growing.map(
        (x) => `${fixed(x.precision)} / ${fixed(x.recall)} (${x.flagged} of ${x.positives})`,
      );
      lines.push(
        `| ${s.options.seed} | ${s.sufficientPairs} / ${s.pairs} | ${m.model} | ${fixed(m.rankCorrelation)} | ${fixed(m.meanAbsoluteError)} | ${fixed(m.intervalCoverage)} | ${g.join(' | ')} | ${m.ms.toFixed(0)} |`,
      );
    }
  }
  return lines.join('\n');
}

function means(scores: readonly RunScore[]): string {
  const lines = [
    '| model | mean rank correlation | mean precision 28 d | mean precision 90 d | mean recall 90 d |',
    '| --- | --- | --- | --- | --- |',
  ];
  const mean = (xs: (number | null)[]): number | null => {
    const ok = xs.filter((x): x is number => x !== null);
    return ok.length === 0 ? null : ok.reduce((a, b) => a + b, 0) / ok.length;
  };
  for (const model of MODELS) {
    const ms = scores.flatMap((s) => s.models.filter((m) => m.model === model));
    const g = (k: number, f: 'precision' | 'recall') =>
      mean(ms.map((m) => m.growing[k]?.[f] ?? null));
    lines.push(
      `| ${model} | ${fixed(mean(ms.map((m) => m.rankCorrelation)))} | ${fixed(g(0, 'precision'))} | ${fixed(g(1, 'precision'))} | ${fixed(g(1, 'recall'))} |`,
    );
  }
  return lines.join('\n');
}

async function evaluate(): Promise<void> {
  const seeds = (values.seeds ?? '').split(',').map(Number);
  const scores: RunScore[] = [];
  for (const seed of seeds) {
    const score = scoreModels(runOn(seed));
    for (const m of score.models) {
      log(
        `  ${m.model}: rho ${fixed(m.rankCorrelation)} over ${score.sufficientPairs} pairs, ` +
          m.growing
            .map(
              (g) =>
                `${g.periodDays} d P ${fixed(g.precision)} R ${fixed(g.recall)} (${g.flagged})`,
            )
            .join(', '),
      );
    }
    scores.push(score);
  }
  const report = [
    `# Mastery models against the simulator's truth (${new Date().toISOString().slice(0, 10)})`,
    '',
    `\`npm run accuracy -- --people ${people} --days ${days} --seeds ${seeds.join(',')}\`: ` +
      `${people} people, ${days} days, the simulator's default mess, scored as of the last day. ` +
      'The difficulty model was tuned on seed 1 only.',
    '',
    table(scores),
    '',
    means(scores),
    '',
    `Default model: \`${DEFAULT_MASTERY_MODEL}\`.`,
    '',
  ].join('\n');
  if (values.out === undefined) process.stdout.write(report);
  else await writeFile(values.out, report);
}

await (values.tune ? tune() : evaluate());
