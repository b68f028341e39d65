import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import {
  compareRuns,
  compareWithPrevious,
  type ComparableRun,
} from '../../../bench/lib/compare.js';

// The harness compares each run with the latest earlier one of the same kind and flags every
// figure that got worse by more than 10% in its own direction.

function step(name: string, reqPerSec: number, p50: number, cpu: number): object {
  return {
    name,
    figures: {
      requestsPerSec: reqPerSec,
      statementsPerSec: reqPerSec,
      latencyMs: { p50 },
      apiCpuUsPerStatement: cpu,
    },
  };
}

function runOf(date: string, quick: boolean, steps: object[], suite = 'all'): ComparableRun {
  return {
    meta: { date, config: { quick, suite: suite as 'all' | 'statements' } },
    results: { post: steps, get: [], documents: [] },
  };
}

t.test('worse by more than 10% is a regression, in each figure’s own direction', async (t) => {
  const before = runOf('2026-01-01', true, [step('LRS, batch 10', 100, 10, 50)]);
  const slower = runOf('2026-01-02', true, [step('LRS, batch 10', 89, 11, 56)]);
  const rows = compareRuns(before, slower);
  t.strictSame(
    rows.map((r) => [r.metric, r.changePct, r.regression]),
    [
      ['req/s', -11, true],
      ['p50 ms', 10, false],
      ['API CPU µs/stmt', 12, true],
    ],
  );
  const faster = runOf('2026-01-02', true, [step('LRS, batch 10', 150, 5, 20)]);
  t.ok(
    compareRuns(before, faster).every((r) => !r.regression),
    'improvements are not flagged',
  );
});

t.test('steps only one run has are left out', async (t) => {
  const before = runOf('2026-01-01', true, [step('GET verb', 10, 1, 1)]);
  const now = runOf('2026-01-02', true, [step('GET verb', 10, 1, 1), step('GET state', 5, 1, 1)]);
  t.strictSame(
    compareRuns(before, now).map((r) => r.step),
    ['GET verb', 'GET verb', 'GET verb'],
  );
});

t.test('the previous run is the latest earlier one of the same kind', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-compare-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, run: ComparableRun): void =>
    writeFileSync(join(dir, file), JSON.stringify(run));
  const s = [step('LRS, batch 1', 100, 10, 50)];
  write('a-quick.json', runOf('2026-01-01T00:00:00Z', true, s));
  write('b-quick.json', runOf('2026-01-02T00:00:00Z', true, s));
  write('c-full.json', runOf('2026-01-03T00:00:00Z', false, s));
  write('d-statements-quick.json', runOf('2026-01-03T00:00:00Z', true, s, 'statements'));
  write('e-later-quick.json', runOf('2026-01-09T00:00:00Z', true, s));
  writeFileSync(join(dir, 'broken.json'), '{');
  const current = runOf('2026-01-05T00:00:00Z', true, s);
  t.equal(compareWithPrevious(dir, 'now-quick.json', current).previous, 'b-quick.json');
  const first = runOf('2025-12-01T00:00:00Z', false, s);
  t.strictSame(compareWithPrevious(dir, 'now.json', first), { previous: null, rows: [] });
});
