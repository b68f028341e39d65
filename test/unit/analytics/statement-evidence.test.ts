import t from 'tap';
import { N_MAX, W_SCALE, Y_SCALE, evidenceKey, type AlignmentRuleSet } from '@cairn/analytics';
import {
  ALIGNMENT,
  ANN,
  BOB,
  BY_WHOM,
  EVENT_COUNT,
  ann,
  bob,
  course,
  evidence,
  rowsOf,
  statement,
  SKILL,
} from './statement-fixtures.js';
import { EMPTY_RULE_SET } from '@cairn/analytics';

const ADL = 'http://adlnet.gov/expapi/verbs/';

/** [verb IRI, extra parts, concept, source, kind, y (or null), verb weight, subject, role] */
const CASES = [
  [`${ADL}passed`, { result: { score: { scaled: 0.85 } } }, 'passed', 'formal', 'outcome', 0.85, 1, ANN, 'actor'],
  [`${ADL}passed`, {}, 'passed', 'formal', 'outcome', 1, 1, ANN, 'actor'],
  [`${ADL}failed`, {}, 'failed', 'formal', 'outcome', 0, 1, ANN, 'actor'],
  [`${ADL}failed`, { result: { score: { scaled: -0.5 } } }, 'failed', 'formal', 'outcome', 0, 1, ANN, 'actor'],
  [`${ADL}scored`, { result: { score: { scaled: 0.667 } } }, 'scored', 'formal', 'outcome', 0.667, 0.8, ANN, 'actor'],
  [`${ADL}answered`, { result: { success: false } }, 'answered', 'formal', 'outcome', 0, 0.5, ANN, 'actor'],
  [`${ADL}completed`, {}, 'completed', 'formal', 'practice', null, 0.3, ANN, 'actor'],
  [`${ADL}experienced`, {}, 'experienced', 'formal', 'exposure', null, 0.1, ANN, 'actor'],
  ['https://w3id.org/xapi/video/verbs/played', {}, 'video-played', 'formal', 'exposure', null, 0.1, ANN, 'actor'],
  ['https://w3id.org/xapi/acrossx/verbs/posted', {}, 'posted', 'social', 'practice', null, 0.2, ANN, 'actor'],
  ['http://activitystrea.ms/schema/1.0/post', {}, 'posted', 'social', 'practice', null, 0.2, ANN, 'actor'],
  ['http://id.tincanapi.com/verb/replied', {}, 'replied', 'social', 'practice', null, 0.2, ANN, 'actor'],
  [`${ADL}responded`, {}, 'replied', 'social', 'practice', null, 0.2, ANN, 'actor'],
  [`${ADL}commented`, {}, 'commented', 'social', 'practice', null, 0.2, ANN, 'actor'],
  [`${ADL}shared`, {}, 'shared', 'social', 'practice', null, 0.2, ANN, 'actor'],
  ['http://activitystrea.ms/share', {}, 'shared', 'social', 'practice', null, 0.2, ANN, 'actor'],
  ['http://activitystrea.ms/schema/1.0/update', {}, 'edited', 'social', 'practice', null, 0.2, ANN, 'actor'],
  [`${ADL}asked`, {}, 'asked', 'social', 'practice', null, 0.2, ANN, 'actor'],
  [`${ADL}attended`, {}, 'attended', 'social', 'practice', null, 0.2, ANN, 'actor'],
  ['https://w3id.org/xapi/acrossx/verbs/liked', { context: { extensions: { [BY_WHOM]: bob } } }, 'liked', 'social', 'recognition', 1, 0.1, BOB, 'author'],
  ['http://activitystrea.ms/schema/1.0/like', { context: { extensions: { [BY_WHOM]: bob } } }, 'liked', 'social', 'recognition', 1, 0.1, BOB, 'author'],
  ['http://id.tincanapi.com/verb/voted-up', { context: { extensions: { [BY_WHOM]: bob } } }, 'upvoted', 'social', 'recognition', 1, 0.1, BOB, 'author'],
  ['http://id.tincanapi.com/verb/voted-down', { context: { extensions: { [BY_WHOM]: bob } } }, 'downvoted', 'social', 'recognition', 0, 0.1, BOB, 'author'],
  [`${ADL}mastered`, {}, 'asserted', 'formal', 'assertion', 1, 1, ANN, 'subject'],
] as const; // prettier-ignore

t.test('every verb concept gives the row section 2 says', async (t) => {
  for (const [verb, parts, concept, source, kind, y, weight, subject, role] of CASES) {
    const rows = rowsOf(evidence(statement(verb, parts)));
    t.equal(rows.length, 1, `${verb}: one row`);
    t.match(
      rows[0],
      {
        concept,
        source,
        kind,
        subject,
        role,
        skill: SKILL,
        day: '2025-03-01',
        verb,
        yUnits: y === null ? null : Math.round(y * Y_SCALE),
        wUnits: Math.round(weight * W_SCALE),
        n: 1,
        statementId: '00000000-0000-4000-8000-000000000001',
        store: 'store-1',
      },
      `${verb} as ${concept}`,
    );
  }
});

t.test('answered on Q&A content is peer practice, or an accepted answer with success', async (t) => {
  const qa = {
    id: 'https://forum.example/t/1/2',
    definition: {
      type: 'http://id.tincanapi.com/activitytype/forum-reply',
      extensions: { [ALIGNMENT]: [SKILL] },
    },
  };
  const peer = rowsOf(evidence(statement(`${ADL}answered`, { object: qa, actor: bob })));
  t.match(peer, [{ concept: 'peer-answered', source: 'social', kind: 'practice', yUnits: null, wUnits: 2000 }]);
  const accepted = rowsOf(evidence(statement(`${ADL}answered`, { object: qa, actor: bob, result: { success: true } })));
  t.match(accepted, [{ concept: 'accepted-answer', kind: 'recognition', yUnits: 1000, wUnits: 5000, subject: BOB, role: 'actor' }]);
}); // prettier-ignore

t.test('completed on a video is exposure', async (t) => {
  const video = {
    id: 'https://video.example/1',
    definition: { type: 'https://w3id.org/xapi/video/activity-type/video', extensions: { [ALIGNMENT]: SKILL } },
  };
  t.match(rowsOf(evidence(statement(`${ADL}completed`, { object: video }))), [
    { concept: 'video-completed', kind: 'exposure', wUnits: 1000 },
  ]);
}); // prettier-ignore

t.test('verbs that carry no evidence and unknown verbs produce no rows, and say so', async (t) => {
  for (const verb of ['launched', 'initialized', 'terminated']) {
    const out = evidence(statement(`${ADL}${verb}`));
    t.same(rowsOf(out), []);
    t.equal(out.type === 'evidence' ? out.unknownVerb : 'void', undefined);
  }
  const unknown = evidence(statement('https://tools.example/verbs/pinned'));
  t.same(rowsOf(unknown), []);
  t.equal(unknown.type === 'evidence' && unknown.unknownVerb, 'https://tools.example/verbs/pinned');
  t.equal(unknown.explanation.verb.status, 'unknown');
});

t.test('an outcome verb without an outcome counts as practice', async (t) => {
  t.match(rowsOf(evidence(statement(`${ADL}scored`))), [
    { kind: 'practice', yUnits: null, wUnits: 8000 },
  ]);
});

t.test('a voiding statement gives a tombstone, not rows', async (t) => {
  const voider = {
    ...statement(`${ADL}voided`),
    id: '00000000-0000-4000-8000-0000000000ff',
    object: { objectType: 'StatementRef' as const, id: '00000000-0000-4000-8000-000000000001' },
  };
  const out = evidence(voider);
  t.equal(out.type, 'void');
  if (out.type === 'void') {
    t.strictSame(out.tombstone, {
      store: 'store-1',
      voidingStatementId: '00000000-0000-4000-8000-0000000000ff',
      targetStatementId: '00000000-0000-4000-8000-000000000001',
    });
  }
});

t.test('a timestamp later than stored is capped at the stored day', async (t) => {
  const out = evidence(statement(`${ADL}completed`, { timestamp: '2025-03-04T09:00:00Z' }));
  t.match(rowsOf(out), [{ day: '2025-03-01' }]);
  t.equal(out.explanation.day.capped, true);
  const past = evidence(statement(`${ADL}completed`, { timestamp: '2025-02-27T23:30:00-02:00' }));
  t.match(rowsOf(past), [{ day: '2025-02-28' }], 'the UTC day of an offset timestamp');
});

t.test('an event count is damped with log1p inside the statement', async (t) => {
  const teams = (n: unknown) =>
    rowsOf(evidence(statement(`${ADL}attended`, { result: { extensions: { [EVENT_COUNT]: n } } })));
  const [one] = teams(1);
  const [sixteen] = teams(16);
  t.equal(one?.wUnits, 2000, 'one event weighs the verb weight');
  t.equal(
    sixteen?.wUnits,
    Math.round(0.2 * Math.log2(17) * W_SCALE),
    '16 events weigh log2(17) times',
  );
  t.equal(sixteen?.n, 16, 'events count the raw n');
  t.ok((sixteen?.wUnits ?? 0) < 16 * (one?.wUnits ?? 0), 'less than 16 separate statements');
  t.equal(teams(10 * N_MAX)[0]?.n, N_MAX, 'capped');
  t.same(teams(0), [], 'no events, no evidence');
  t.equal(teams('lots')[0]?.n, 1, 'an unreadable count is one event');
});

t.test('likes credit the author, never the liker themself', async (t) => {
  const like = 'https://w3id.org/xapi/acrossx/verbs/liked';
  const self = evidence(statement(like, { context: { extensions: { [BY_WHOM]: ann } } }));
  t.same(rowsOf(self), []);
  t.match(self.explanation.notes, [/own content/]);
  const anonymous = evidence(statement(like));
  t.same(rowsOf(anonymous), []);
  t.match(anonymous.explanation.notes, [/no author/]);
});

t.test('a Group actor credits each member; rows of one statement have distinct keys', async (t) => {
  const group = { objectType: 'Group' as const, member: [ann, bob, { mbox: 'mailto:ann@EXAMPLE.com' }] };
  const rules: AlignmentRuleSet = {
    ...EMPTY_RULE_SET,
    rules: [{ activityIdPrefix: 'https://lms.example/courses/', skills: [{ skill: 'https://skills.example/z', weight: 0.5 }] }],
  };
  const rows = rowsOf(evidence({ ...statement(`${ADL}completed`), actor: group }, rules));
  t.equal(rows.length, 4, 'two people (ann twice is once) x two skills');
  t.equal(new Set(rows.map(evidenceKey)).size, 4);
  t.match(rows.find((r) => r.skill === 'https://skills.example/z'), { wUnits: 1500 });
}); // prettier-ignore

t.test('the same statement always gives the same rows', async (t) => {
  const s = statement(`${ADL}passed`, { result: { score: { scaled: 1 / 3 } } });
  t.strictSame(evidence(s), evidence(structuredClone(s)));
  t.match(rowsOf(evidence(s)), [{ yUnits: 333 }]);
});

t.test('an activity aligned to nothing gives no rows, and a dry run says why', async (t) => {
  const out = evidence(statement(`${ADL}passed`, { object: course({}) }));
  t.same(rowsOf(out), []);
  t.match(out.explanation.notes, [/aligned to no skill/]);
  t.match(out, { type: 'evidence', unalignedActivity: String }, 'named, for the data-health count');
  const aligned = evidence(statement(`${ADL}passed`, { result: { score: { scaled: 0.5 } } }));
  t.notOk('unalignedActivity' in aligned, 'an aligned one is not');
});
