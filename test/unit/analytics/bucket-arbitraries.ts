import fc from 'fast-check';
import { dayNumber, dayOfNumber, W_SCALE, Y_SCALE, type Bucket } from '@cairn/analytics';

/** The as-of day of the read-measure tests. */
export const AS_OF = '2025-06-30';

/** The day `n` days before AS_OF (negative: after it). */
export function dayBefore(n: number): string {
  return dayOfNumber(dayNumber(AS_OF) - n);
}

/**
 * One bucket of a person's skill: a day within 200 days before AS_OF (or a few after, which the
 * measures must not see), any source and kind, and sums as the pipeline adds them: up to a few
 * rows, outcome-carrying weight wout <= w, and wy <= wout.
 */
export function bucketOf(
  subject: string,
  skill = 'https://skills.example/k',
): fc.Arbitrary<Bucket> {
  return fc
    .record({
      back: fc.integer({ min: -3, max: 200 }),
      source: fc.constantFrom('formal' as const, 'social' as const),
      kind: fc.constantFrom('outcome' as const, 'practice' as const, 'recognition' as const),
      rows: fc.integer({ min: 1, max: 4 }),
      events: fc.integer({ min: 1, max: 20 }),
      outcomeWeight: fc.integer({ min: 0, max: 3 * W_SCALE }),
      practiceWeight: fc.integer({ min: 0, max: W_SCALE }),
      rate: fc.integer({ min: 0, max: Y_SCALE }),
    })
    .map(({ back, source, kind, rows, events, outcomeWeight, practiceWeight, rate }) => {
      const wout = BigInt(outcomeWeight);
      const wy = wout * BigInt(rate);
      return {
        key: { store: 's', subject, skill, day: dayBefore(back), source, kind },
        sums: {
          statements: BigInt(rows),
          events: BigInt(events),
          w: wout + BigInt(practiceWeight),
          wy,
          wy2: wy * BigInt(rate),
          wout,
        },
      };
    });
}

/** The buckets of one person and skill: unique (day, source, kind), as a store holds them. */
export function personBuckets(subject: string, maxLength = 25): fc.Arbitrary<Bucket[]> {
  return fc.uniqueArray(bucketOf(subject), {
    maxLength,
    selector: (b) => JSON.stringify([b.key.day, b.key.source, b.key.kind]),
  });
}
