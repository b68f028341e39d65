import fc from 'fast-check';
import { evidenceKey, N_MAX, W_MAX, W_SCALE, Y_SCALE, type EvidenceRow } from '@cairn/analytics';

/**
 * Random evidence rows, over small pools of statements, skills, people and days so that rows
 * share buckets, with weights and counts up to the fixed-point caps.
 */
export const evidenceRow: fc.Arbitrary<EvidenceRow> = fc
  .record({
    store: fc.constantFrom('s1', 's2'),
    statementId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    skill: fc.constantFrom('https://skills.example/x', 'https://skills.example/y'),
    subject: fc.constantFrom('mbox::mailto:p@example.com', 'account::https://t.example::q'),
    role: fc.constantFrom('actor', 'author', 'subject'),
    day: fc.constantFrom('2025-01-06', '2025-01-07', '2025-02-01'),
    source: fc.constantFrom('formal', 'social'),
    kind: fc.constantFrom('outcome', 'practice', 'recognition', 'exposure', 'assertion'),
    concept: fc.constantFrom('passed', 'liked'),
    verb: fc.constant('http://adlnet.gov/expapi/verbs/passed'),
    platform: fc.constantFrom(null, 'Slack'),
    activityId: fc.constantFrom('https://lms.example/a', 'https://lms.example/b'),
    yUnits: fc.option(fc.integer({ min: 0, max: Y_SCALE }), { nil: null }),
    wUnits: fc.integer({ min: 0, max: W_MAX * W_SCALE }),
    n: fc.integer({ min: 1, max: N_MAX }),
    counterpart: fc.constantFrom(null, 'mbox::mailto:r@example.com'),
  })
  .map((row) => ({ ...row }));

/** Rows with distinct evidence keys: the evidence of some set of statements. */
export const evidenceSet: fc.Arbitrary<EvidenceRow[]> = fc.uniqueArray(evidenceRow, {
  selector: evidenceKey,
  maxLength: 40,
});

/** The statements (store, id) that rows come from. */
export function statementsOf(rows: readonly EvidenceRow[]): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const r of rows)
    seen.set(JSON.stringify([r.store, r.statementId]), [r.store, r.statementId]);
  return [...seen.values()];
}
