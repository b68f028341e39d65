// The roll-ups beside the skill-day buckets (docs/analytics-core.md, "Roll-ups"): every family is
// a sum of per-row contributions, so, like the buckets, it does not depend on arrival order,
// retracts exactly, and an incremental ledger equals a rebuild from the rows. And the
// counterpart that the knowledge-sharing family keys on, read from statements.
import t from 'tap';
import fc from 'fast-check';
import {
  ACTIVITY_OUTCOME_FAMILY,
  EvidenceLedger,
  KNOWLEDGE_SHARING_FAMILY,
  outcomeBin,
  OUTCOME_BIN_FIELDS,
  PLATFORM_DAY_FAMILY,
  rebuildBuckets,
  rebuildRollups,
  ROLLUP_FAMILIES,
  SKILL_DAY_FAMILY,
  type EvidenceRow,
} from '@cairn/analytics';
import type { Statement } from '@cairn/xapi';
import { evidenceSet, statementsOf } from './evidence-arbitraries.js';
import {
  ALIGNMENT,
  ANN,
  BOB,
  BY_WHOM,
  ann,
  bob,
  evidence,
  rowsOf,
  statement,
} from './statement-fixtures.js';

const ROW: EvidenceRow = {
  store: 's1',
  statementId: 'a',
  skill: 'https://skills.example/x',
  subject: 'mbox::mailto:p@example.com',
  role: 'actor',
  day: '2025-01-06',
  source: 'formal',
  kind: 'outcome',
  concept: 'passed',
  verb: 'http://adlnet.gov/expapi/verbs/passed',
  platform: null,
  activityId: 'https://lms.example/a',
  yUnits: 850,
  wUnits: 10_000,
  n: 1,
  counterpart: null,
};

t.test('every family adds up in any order', async (t) => {
  fc.assert(
    fc.property(
      evidenceSet.chain((rows) =>
        fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length })),
      ),
      ([rows, shuffled]) => {
        for (const family of ROLLUP_FAMILIES) {
          t.strictSame(rebuildRollups(family, shuffled), rebuildRollups(family, rows));
        }
      },
    ),
  );
});

t.test(
  'incremental = rebuild in every family, whatever the duplicates, order and voids',
  async (t) => {
    const scenario = evidenceSet.chain((rows) =>
      fc.record({
        rows: fc.constant(rows),
        voided: fc.subarray(statementsOf(rows)),
        duplicates: fc.subarray(rows),
        order: fc.array(fc.nat(), { minLength: rows.length * 3 + 2 }),
      }),
    );
    fc.assert(
      fc.property(scenario, ({ rows, voided, duplicates, order }) => {
        type Op = { insert: EvidenceRow } | { void: [string, string] };
        const ops: Op[] = [
          ...rows.map((r) => ({ insert: r })),
          ...duplicates.map((r) => ({ insert: { ...r } })),
          ...voided.map((v) => ({ void: v })),
        ];
        const keyed = ops.map((op, i) => ({ op, k: order[i] ?? 0, i }));
        keyed.sort((a, b) => a.k - b.k || a.i - b.i);
        const ledger = new EvidenceLedger();
        for (const { op } of keyed) {
          if ('insert' in op) ledger.insert([op.insert]);
          else
            ledger.void({
              store: op.void[0],
              voidingStatementId: 'v',
              targetStatementId: op.void[1],
            });
        }
        const voidedKeys = new Set(voided.map((v) => JSON.stringify(v)));
        const kept = rows.filter((r) => !voidedKeys.has(JSON.stringify([r.store, r.statementId])));
        for (const family of ROLLUP_FAMILIES) {
          t.strictSame(new Map(ledger.rollups(family.name)), rebuildRollups(family, kept));
        }
      }),
    );
  },
);

t.test('voiding retracts from every family exactly: as if never added', async (t) => {
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
      for (const family of ROLLUP_FAMILIES) {
        t.strictSame(new Map(ledger.rollups(family.name)), rebuildRollups(family, kept));
      }
    }),
  );
});

t.test('a re-derivation moves every family to the rebuild of the new rows', async (t) => {
  fc.assert(
    fc.property(evidenceSet, fc.integer({ min: 0, max: 1_000 }), (rows, y) => {
      const ledger = new EvidenceLedger();
      ledger.insert(rows);
      // New outcomes move rows between histogram bins and in and out of the sharing family.
      const changed = rows.map((r) => ({ ...r, yUnits: y, platform: 'Teams' }));
      for (const [store, id] of statementsOf(rows)) {
        ledger.rederive(
          store,
          id,
          changed.filter((r) => r.store === store && r.statementId === id),
        );
      }
      for (const family of ROLLUP_FAMILIES) {
        t.strictSame(new Map(ledger.rollups(family.name)), rebuildRollups(family, changed));
      }
    }),
  );
});

t.test('the skillDays family is the buckets, field for field', async (t) => {
  fc.assert(
    fc.property(evidenceSet, (rows) => {
      const buckets = [...rebuildBuckets(rows)].map(([id, b]) => [id, { ...b.key }, { ...b.sums }]);
      const family = [...rebuildRollups(SKILL_DAY_FAMILY, rows)].map(([id, r]) => [
        id,
        { ...r.key },
        { ...r.sums },
      ]);
      t.strictSame(family, buckets);
    }),
  );
});

t.test(
  'platform days: the platform and the concept split a bucket; no platform is a value',
  async (t) => {
    const rows = [
      ROW,
      { ...ROW, statementId: 'b', platform: 'Slack' },
      { ...ROW, statementId: 'c', concept: 'scored' },
      { ...ROW, statementId: 'd' },
    ];
    const rollups = [...rebuildRollups(PLATFORM_DAY_FAMILY, rows).values()];
    t.strictSame(
      rollups.map((r) => [r.key['platform'], r.key['concept'], r.sums['statements']]),
      [
        [null, 'passed', 2n],
        ['Slack', 'passed', 1n],
        [null, 'scored', 1n],
      ],
    );
    t.strictSame(rollups[0]?.sums, {
      statements: 2n,
      events: 2n,
      w: 20_000n,
      wy: 17_000_000n,
      wy2: 14_450_000_000n,
      wout: 20_000n,
    });
  },
);

t.test('activity outcomes: rows with a y only, and a histogram of y in tenths', async (t) => {
  t.strictSame(
    [0, 99, 100, 500, 899, 900, 999, 1000].map(outcomeBin),
    [0, 0, 1, 5, 8, 9, 9, 9],
    'y = 1.0 falls in the last bin',
  );
  const rows = [
    ROW,
    { ...ROW, statementId: 'b', yUnits: 1000 },
    { ...ROW, statementId: 'c', yUnits: 0 },
    { ...ROW, statementId: 'd', yUnits: null, kind: 'practice' as const },
  ];
  const [only, ...more] = rebuildRollups(ACTIVITY_OUTCOME_FAMILY, rows).values();
  t.equal(more.length, 0, 'one activity, one day, one concept');
  t.strictSame(only?.key, {
    store: 's1',
    subject: ROW.subject,
    skill: ROW.skill,
    activityId: ROW.activityId,
    day: ROW.day,
    concept: 'passed',
  });
  t.strictSame(only?.sums, {
    statements: 3n,
    w: 30_000n,
    wy: 18_500_000n,
    wy2: 17_225_000_000n,
    y0: 1n,
    y1: 0n,
    y2: 0n,
    y3: 0n,
    y4: 0n,
    y5: 0n,
    y6: 0n,
    y7: 0n,
    y8: 1n,
    y9: 1n,
  });
  fc.assert(
    fc.property(evidenceSet, (rows) => {
      for (const r of rebuildRollups(ACTIVITY_OUTCOME_FAMILY, rows).values()) {
        const binned = OUTCOME_BIN_FIELDS.reduce((n, f) => n + (r.sums[f] ?? 0n), 0n);
        t.equal(binned, r.sums['statements'], 'every row in one bin');
      }
    }),
  );
});

t.test(
  'knowledge sharing: helper the row subject, helped its counterpart; down-votes left out',
  async (t) => {
    const liked = {
      ...ROW,
      role: 'author' as const,
      concept: 'liked',
      subject: BOB,
      counterpart: ANN,
    };
    const rows = [
      liked,
      { ...liked, statementId: 'b', concept: 'downvoted', yUnits: 0 },
      { ...ROW, statementId: 'c' },
    ];
    const rollups = [...rebuildRollups(KNOWLEDGE_SHARING_FAMILY, rows).values()];
    t.strictSame(rollups, [
      {
        key: {
          store: 's1',
          helper: BOB,
          helped: ANN,
          skill: ROW.skill,
          day: ROW.day,
          concept: 'liked',
        },
        sums: { statements: 1n, events: 1n, w: 10_000n },
      },
    ]);
  },
);

const ACROSSX = 'https://w3id.org/xapi/acrossx/verbs/';
const onQa = {
  id: 'https://forum.example/t/1/2',
  definition: {
    type: 'http://id.tincanapi.com/activitytype/forum-reply',
    extensions: { [ALIGNMENT]: ['https://skills.example/sql'] },
  },
};

function counterparts(s: Statement): [string, string | null][] {
  return rowsOf(evidence(s)).map((r) => [r.subject, r.counterpart]);
}

t.test('a like credits the author, with the actor who liked as counterpart', async (t) => {
  const like = statement(`${ACROSSX}liked`, { context: { extensions: { [BY_WHOM]: bob } } });
  t.strictSame(counterparts(like), [[BOB, ANN]]);
});

t.test(
  'an answer or a reply naming the author it answers has that author as counterpart',
  async (t) => {
    const toAnn = { context: { extensions: { [BY_WHOM]: ann } }, actor: bob };
    t.strictSame(
      counterparts(
        statement('http://adlnet.gov/expapi/verbs/answered', { ...toAnn, object: onQa }),
      ),
      [[BOB, ANN]],
      'peer answer',
    );
    t.strictSame(
      counterparts(
        statement('http://adlnet.gov/expapi/verbs/answered', {
          ...toAnn,
          object: onQa,
          result: { success: true },
        }),
      ),
      [[BOB, ANN]],
      'accepted answer',
    );
    t.strictSame(counterparts(statement('http://id.tincanapi.com/verb/replied', toAnn)), [
      [BOB, ANN],
    ]);
    t.strictSame(
      counterparts(statement('http://id.tincanapi.com/verb/replied', { actor: bob })),
      [[BOB, null]],
      'a reply naming nobody helps nobody in particular',
    );
    t.strictSame(
      counterparts(statement(`${ACROSSX}posted`, toAnn)),
      [[BOB, null]],
      'a post answers nobody',
    );
    t.strictSame(
      counterparts(
        statement('http://id.tincanapi.com/verb/replied', {
          actor: ann,
          context: { extensions: { [BY_WHOM]: ann } },
        }),
      ),
      [[ANN, null]],
      'replying to oneself helps nobody',
    );
  },
);

t.test('a Group liking names no counterpart', async (t) => {
  const like = statement(`${ACROSSX}liked`, { context: { extensions: { [BY_WHOM]: bob } } });
  const byGroup: Statement = {
    ...like,
    actor: {
      objectType: 'Group',
      member: [ann, { mbox: 'mailto:cid@example.com' }],
    },
  };
  t.strictSame(counterparts(byGroup), [[BOB, null]]);
});
