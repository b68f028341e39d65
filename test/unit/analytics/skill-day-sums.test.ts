import t from 'tap';
import fc from 'fast-check';
import {
  addSums,
  EvidenceLedger,
  negateSums,
  rebuildBuckets,
  rekeyBuckets,
  ZERO_SUMS,
  type EvidenceRow,
  type SkillDaySums,
} from '@cairn/analytics';
import { evidenceSet, statementsOf } from './evidence-arbitraries.js';

const big = fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n });
// fc.record builds objects without a prototype: spread them into plain ones for strictSame.
const sums: fc.Arbitrary<SkillDaySums> = fc
  .record({ statements: big, events: big, w: big, wy: big, wy2: big, wout: big })
  .map((s) => ({ ...s }));

t.test('buckets add in any order (commutative and associative)', async (t) => {
  fc.assert(
    fc.property(sums, sums, sums, (a, b, c) => {
      t.strictSame(addSums(a, b), addSums(b, a));
      t.strictSame(addSums(addSums(a, b), c), addSums(a, addSums(b, c)));
    }),
  );
});

t.test('retraction is exact: adding the negation gives zero', async (t) => {
  fc.assert(
    fc.property(sums, sums, (a, b) => {
      t.strictSame(addSums(addSums(a, b), negateSums(b)), a);
      t.strictSame(addSums(a, negateSums(a)), ZERO_SUMS);
    }),
  );
});

t.test('bucket totals do not depend on arrival order', async (t) => {
  fc.assert(
    fc.property(
      evidenceSet.chain((rows) =>
        fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length })),
      ),
      ([rows, shuffled]) => {
        t.strictSame(rebuildBuckets(shuffled), rebuildBuckets(rows));
      },
    ),
  );
});

t.test('incremental = rebuild, whatever the duplicates, order and voids', async (t) => {
  const scenario = evidenceSet.chain((rows) => {
    const statements = statementsOf(rows);
    return fc.record({
      rows: fc.constant(rows),
      voided: fc.subarray(statements),
      duplicates: fc.subarray(rows),
      order: fc.array(fc.nat(), { minLength: rows.length * 2 + statements.length + 2 }),
    });
  });
  fc.assert(
    fc.property(scenario, ({ rows, voided, duplicates, order }) => {
      type Op = { insert: EvidenceRow } | { void: [string, string] };
      const ops: Op[] = [
        ...rows.map((r) => ({ insert: r })),
        ...duplicates.map((r) => ({ insert: { ...r } })),
        ...voided.map((v) => ({ void: v })),
      ];
      // A deterministic shuffle driven by the generated numbers.
      const keyed = ops.map((op, i) => ({ op, k: order[i] ?? 0, i }));
      keyed.sort((a, b) => a.k - b.k || a.i - b.i);
      const ledger = new EvidenceLedger();
      for (const { op } of keyed) {
        if ('insert' in op) ledger.insert([op.insert]);
        else {
          ledger.void({
            store: op.void[0],
            voidingStatementId: 'v',
            targetStatementId: op.void[1],
          });
        }
      }
      const voidedKeys = new Set(voided.map((v) => JSON.stringify(v)));
      const kept = rows.filter((r) => !voidedKeys.has(JSON.stringify([r.store, r.statementId])));
      t.strictSame(new Map(ledger.buckets), rebuildBuckets(kept));
    }),
  );
});

t.test('voiding a set of statements equals never having added it', async (t) => {
  fc.assert(
    fc.property(evidenceSet, evidenceSet, (kept, retracted) => {
      const keptIds = new Set(kept.map((r) => r.statementId));
      const others = retracted
        .filter((r) => !keptIds.has(r.statementId))
        .map((r) => ({ ...r, statementId: `x-${r.statementId}` }));
      const ledger = new EvidenceLedger();
      ledger.insert([...others, ...kept]);
      for (const [store, id] of statementsOf(others)) {
        ledger.void({ store, voidingStatementId: 'v', targetStatementId: id });
      }
      t.strictSame(new Map(ledger.buckets), rebuildBuckets(kept));
    }),
  );
});

t.test('duplicates add nothing', async (t) => {
  fc.assert(
    fc.property(evidenceSet, (rows) => {
      const ledger = new EvidenceLedger();
      t.equal(ledger.insert(rows), rows.length);
      t.equal(ledger.insert(rows.map((r) => ({ ...r }))), 0);
      t.strictSame(new Map(ledger.buckets), rebuildBuckets(rows));
    }),
  );
});

t.test('a re-derivation subtracts the old rows and adds the new ones', async (t) => {
  fc.assert(
    fc.property(evidenceSet, fc.integer({ min: 0, max: 1_000_000 }), (rows, w) => {
      const ledger = new EvidenceLedger();
      ledger.insert(rows);
      const changed = rows.map((r) => ({ ...r, wUnits: w }));
      for (const [store, id] of statementsOf(rows)) {
        ledger.rederive(
          store,
          id,
          changed.filter((r) => r.store === store && r.statementId === id),
        );
      }
      t.strictSame(new Map(ledger.buckets), rebuildBuckets(changed));
    }),
  );
});

t.test("merging two people's buckets is the sum of their buckets", async (t) => {
  fc.assert(
    fc.property(evidenceSet, (rows) => {
      const into = 'mbox::mailto:p@example.com';
      const merged = rows.map((r, i) => ({ ...r, statementId: `${i}`, subject: into }));
      const separate = rows.map((r, i) => ({ ...r, statementId: `${i}` }));
      t.strictSame(
        rekeyBuckets(rebuildBuckets(separate), () => into),
        rebuildBuckets(merged),
      );
    }),
  );
});
