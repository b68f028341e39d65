import t from 'tap';
import { randomUUID } from 'node:crypto';
import { validateStatement, type Statement } from '@cairn/xapi';
import {
  buildWorld,
  resolveSkills,
  simulationOptions,
  statementLines,
  Tally,
  UNKNOWN_VERBS,
} from '@cairn/simulate';
import {
  DEFAULT_VERB_TABLE,
  EMPTY_RULE_SET,
  EvidenceLedger,
  rebuildBuckets,
  statementEvidence,
  type AlignmentRuleSet,
  type EvidenceRow,
} from '@cairn/analytics';

const world = buildWorld(simulationOptions({ people: 12, days: 21, seed: 7 }));
const { framework } = world;
const rules: AlignmentRuleSet = {
  ...EMPTY_RULE_SET,
  rules: framework.rules,
  tags: framework.tags,
  knownSkills: new Set(framework.skills.map((s) => s.id)),
};

// The LRS's part: drop what it would reject, give ids to statements sent without, set stored.
const statements: Statement[] = [];
for (const line of statementLines(world, new Tally())) {
  const checked = validateStatement(JSON.parse(line), '1.0.3');
  if (!checked.ok) continue;
  const s = checked.value;
  statements.push({
    ...s,
    id: s.id ?? randomUUID(),
    stored: s.timestamp ?? '2025-01-06T00:00:00Z',
  });
}

t.test('simulated statements produce evidence, only for aligned activities', async (t) => {
  const unknownVerbs = new Set(UNKNOWN_VERBS.map((v) => v.id));
  const seenUnknown = new Set<string>();
  const sources = new Set<string>();
  const concepts = new Set<string>();
  let rows = 0;
  for (const statement of statements) {
    const out = statementEvidence({ store: 's', statement, verbs: DEFAULT_VERB_TABLE, rules });
    if (out.type === 'void') continue;
    if (out.unknownVerb !== undefined) seenUnknown.add(out.unknownVerb);
    const truth = new Set(resolveSkills(statement, framework).map((r) => r.skill));
    for (const row of out.rows) {
      if (!truth.has(row.skill)) t.fail(`${row.skill} is not aligned to ${row.activityId}`);
      sources.add(row.source);
      concepts.add(row.concept);
      rows++;
    }
  }
  t.ok(rows > 1000, `${rows} rows`);
  t.same([...sources].sort(), ['formal', 'social']);
  for (const concept of ['passed', 'scored', 'answered', 'posted', 'liked', 'upvoted', 'edited', 'attended', 'video-played']) {
    t.ok(concepts.has(concept), `some ${concept} evidence`);
  }
  for (const verb of seenUnknown) t.ok(unknownVerbs.has(verb), `unknown verb ${verb} is one of the mess`);
}); // prettier-ignore

t.test('incremental processing of the simulated stream equals a rebuild', async (t) => {
  const ledger = new EvidenceLedger();
  const voided = new Set<string>();
  const byStatement = new Map<string, readonly EvidenceRow[]>();
  for (const statement of statements) {
    const out = statementEvidence({ store: 's', statement, verbs: DEFAULT_VERB_TABLE, rules });
    if (out.type === 'void') {
      voided.add(out.tombstone.targetStatementId);
      ledger.void(out.tombstone);
    } else {
      byStatement.set(statement.id ?? '', out.rows);
      ledger.insert(out.rows);
    }
  }
  t.ok(voided.size > 0, 'the stream voids statements');
  const kept = [...byStatement.entries()].flatMap(([id, rows]) => (voided.has(id) ? [] : rows));
  t.strictSame(new Map(ledger.buckets), rebuildBuckets(kept));
});
