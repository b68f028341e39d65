import {
  addSums,
  contributionOf,
  dayNumber,
  dayOfNumber,
  ZERO_SUMS,
  type SkillDaySums,
} from '@cairn/analytics';
import {
  COLLECTIONS,
  withFramework,
  type FrameworkRecord,
  type MembershipRecord,
  type Store,
} from '@cairn/store';
import type { Db } from 'mongodb';

/*
 * The reports benchmark's organisation, written straight into the store's collections: posting
 * and aggregating the statements behind 2,000 people x 180 days would take far longer than the
 * reports it is there to measure. People go through the identity map (`peopleOf().record`), the
 * directory through `membershipsOf().put`, the framework through `skillSettingsOf().change`, and
 * the skill-day buckets and evidence rows as documents of the shape the pipeline writes
 * (packages/store/src/rollups.ts, evidence.ts), with sums from @cairn/analytics' `contributionOf`.
 */

export interface ReportsDataSpec {
  readonly people: number;
  readonly days: number;
  /** The last day of the data, and the reports' asOf. */
  readonly asOf: string;
  /** Leaf skills each person has evidence on: their team's focus, then others. */
  readonly skillsPerPerson: number;
  /** Chance that a person has evidence on one of their skills on a given day. */
  readonly density: number;
  readonly seed: number;
  /** Evidence rows of the large export (one person x one skill). */
  readonly exportRows: number;
  /** Evidence rows of the small export that the large one is compared with. */
  readonly smallExportRows: number;
}

export const STORE_ID = 'default';
const TEAM_SIZE = 8;
const TEAMS_PER_DEPARTMENT = 5;
const PARENTS = 5;
const CHILDREN = 3;
const TEAM_FOCUS = 3;
const SKILL_BASE = 'https://skills.cairn.example/bench';
const HOME = 'https://hr.cairn.example';
const W_UNITS = 10_000;
const Y_UNITS = 1_000;
const INSERT_BATCH = 2_000;

/** The evidence mix of an evidence day: (source, kind) and its weight, by cumulative chance. */
const MIX = [
  { source: 'formal', kind: 'outcome', p: 0.3, w: 1 },
  { source: 'formal', kind: 'practice', p: 0.55, w: 0.5 },
  { source: 'social', kind: 'practice', p: 0.85, w: 0.5 },
  { source: 'social', kind: 'recognition', p: 1, w: 0.3 },
] as const;

/** mulberry32: a small seeded generator, so that a seed gives the same organisation. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const parentSkill = (p: number): string => `${SKILL_BASE}/p${p}`;
export const leafSkill = (p: number, c: number): string => `${SKILL_BASE}/p${p}/c${c}`;
export const personKey = (i: number): string => `account::${HOME}::p${String(i).padStart(5, '0')}`;

/** 5 parent skills with 3 children each: 20 skills, evidence on the 15 children. */
export function benchFramework(): FrameworkRecord {
  const skills = [];
  for (let p = 0; p < PARENTS; p++) {
    skills.push({ iri: parentSkill(p), name: `Area ${p}` });
    for (let c = 0; c < CHILDREN; c++)
      skills.push({ iri: leafSkill(p, c), name: `Skill ${p}.${c}`, parent: parentSkill(p) });
  }
  return { id: 'bench', name: 'Benchmark framework', skills };
}

const LEAVES: readonly string[] = Array.from({ length: PARENTS * CHILDREN }, (_, i) =>
  leafSkill(Math.floor(i / CHILDREN), i % CHILDREN),
);

export interface SeededData {
  readonly people: number;
  readonly teams: number;
  readonly departments: number;
  readonly movers: number;
  readonly skillDayDocs: number;
  readonly evidenceRowsBehindBuckets: number;
  readonly exportEvidenceRows: number;
  readonly firstDay: string;
  /** The person (id) and skill of each export, and a typical person for the profile. */
  readonly largeExport: { readonly person: string; readonly skill: string };
  readonly smallExport: { readonly person: string; readonly skill: string };
  readonly profilePerson: string;
  readonly profilePersonBuckets: number;
  readonly sampleTeam: string;
  readonly seconds: {
    readonly directory: number;
    readonly buckets: number;
    readonly evidence: number;
  };
}

async function insertAll(
  db: Db,
  collection: string,
  docs: Record<string, unknown>[],
): Promise<void> {
  if (docs.length === 0) return;
  await db.collection(collection).insertMany(docs, { ordered: false });
}

/** Writes the organisation into `store` (database `db`): see the comment at the top. */
export async function seedReportsData(
  store: Store,
  db: Db,
  spec: ReportsDataSpec,
  log: (message: string) => void,
): Promise<SeededData> {
  const rand = random(spec.seed);
  const last = dayNumber(spec.asOf);
  const first = last - spec.days + 1;
  const firstDay = dayOfNumber(first);
  const midDay = dayOfNumber(first + Math.floor(spec.days / 2));
  const t0 = performance.now();

  await store
    .skillSettingsOf(STORE_ID)
    .change((current) => withFramework(current.settings, benchFramework()), new Date());

  // People: one directory account each.
  const people = store.peopleOf(STORE_ID);
  for (let from = 0; from < spec.people; from += 500) {
    const sightings = [];
    for (let i = from; i < Math.min(spec.people, from + 500); i++) {
      const name = `p${String(i).padStart(5, '0')}`;
      sightings.push({
        key: personKey(i),
        lookupKeys: [personKey(i)],
        ifi: { account: { homePage: HOME, name } },
        names: [`Person ${i}`],
      });
    }
    await people.record(sightings);
  }
  const teams = Math.ceil(spec.people / TEAM_SIZE);
  const teamName = (t: number): string => `team-${String(t).padStart(3, '0')}`;
  const departmentOf = (t: number): string =>
    `department-${String(Math.floor(t / TEAMS_PER_DEPARTMENT)).padStart(2, '0')}`;
  // Teams of 8 in departments of 5 teams; 1 in 50 people moves to the next team of the
  // department half-way through, so that membership on the evidence's day matters.
  let movers = 0;
  const teamOn = new Map<number, { before: number; after: number }>();
  const records: MembershipRecord[] = [];
  for (let i = 0; i < spec.people; i++) {
    const team = Math.floor(i / TEAM_SIZE);
    const moves = i % 50 === 49;
    const deptFirst = team - (team % TEAMS_PER_DEPARTMENT);
    const next = Math.min(teams - 1, deptFirst + ((team + 1) % TEAMS_PER_DEPARTMENT));
    const after = moves && next !== team ? next : team;
    if (after !== team) movers++;
    teamOn.set(i, { before: team, after });
    const lead = team * TEAM_SIZE;
    records.push({
      directoryId: `p${String(i).padStart(5, '0')}`,
      name: `Person ${i}`,
      ...(i === lead ? {} : { manager: `p${String(lead).padStart(5, '0')}` }),
      identifiers: [personKey(i)],
      identifierPeriods: [],
      periods:
        after === team
          ? [{ team: teamName(team), department: departmentOf(team), from: firstDay }]
          : [
              { team: teamName(team), department: departmentOf(team), from: firstDay, to: midDay },
              { team: teamName(after), department: departmentOf(after), from: midDay },
            ],
    });
  }
  await store.membershipsOf(STORE_ID).put(records);
  const directorySec = (performance.now() - t0) / 1000;
  log(
    `directory: ${spec.people} people, ${teams} teams, ${movers} movers in ${directorySec.toFixed(1)} s`,
  );

  // Team focus: 3 leaves per team; a person adds others up to skillsPerPerson.
  const focus = Array.from({ length: teams }, () => {
    const chosen = new Set<string>();
    while (chosen.size < Math.min(TEAM_FOCUS, LEAVES.length))
      chosen.add(LEAVES[Math.floor(rand() * LEAVES.length)] ?? '');
    return [...chosen];
  });
  const t1 = performance.now();
  let docs: Record<string, unknown>[] = [];
  let skillDayDocs = 0;
  let rowsBehind = 0;
  let profilePersonBuckets = 0;
  const flush = async (force: boolean) => {
    if (docs.length >= INSERT_BATCH || (force && docs.length > 0)) {
      await insertAll(db, COLLECTIONS.skillDays, docs);
      skillDayDocs += docs.length;
      docs = [];
    }
  };
  for (let i = 0; i < spec.people; i++) {
    const subject = personKey(i);
    const skills = new Set(focus[teamOn.get(i)?.before ?? 0] ?? []);
    while (skills.size < Math.min(spec.skillsPerPerson, LEAVES.length))
      skills.add(LEAVES[Math.floor(rand() * LEAVES.length)] ?? '');
    const ability = 0.3 + 0.5 * rand();
    const growth = rand() < 0.3 ? 0.3 * rand() : 0;
    for (const skill of skills) {
      for (let d = first; d <= last; d++) {
        if (rand() >= spec.density) continue;
        const day = dayOfNumber(d);
        const buckets = new Map<string, { source: string; kind: string; sums: SkillDaySums }>();
        const rows = 1 + Math.floor(rand() * 3);
        for (let r = 0; r < rows; r++) {
          const u = rand();
          const mix = MIX.find((m) => u < m.p) ?? MIX[0];
          const level = Math.min(1, ability + (growth * (d - first)) / spec.days);
          const y =
            mix.kind === 'outcome' ? (rand() < level ? 0.7 + 0.3 * rand() : 0.4 * rand()) : null;
          const contribution = contributionOf({
            wUnits: Math.round(mix.w * W_UNITS),
            yUnits: y === null ? null : Math.round(y * Y_UNITS),
            n: mix.source === 'social' && mix.kind === 'practice' ? 1 + Math.floor(rand() * 4) : 1,
          });
          const id = `${mix.source}|${mix.kind}`;
          const seen = buckets.get(id);
          buckets.set(id, {
            source: mix.source,
            kind: mix.kind,
            sums: addSums(seen?.sums ?? ZERO_SUMS, contribution),
          });
          rowsBehind++;
        }
        for (const b of buckets.values()) {
          const key = { subject, skill, day, source: b.source, kind: b.kind };
          docs.push({
            _id: JSON.stringify([STORE_ID, subject, skill, day, b.source, b.kind]),
            storeId: STORE_ID,
            ...key,
            ...b.sums,
          });
          if (i === 0) profilePersonBuckets++;
        }
        await flush(false);
      }
    }
    if (i > 0 && i % 250 === 0)
      log(`buckets: ${i} people, ${skillDayDocs + docs.length} documents`);
  }
  await flush(true);
  const bucketSec = (performance.now() - t1) / 1000;
  log(
    `buckets: ${skillDayDocs} skill_days documents (${rowsBehind} evidence rows behind them) in ` +
      `${bucketSec.toFixed(1)} s (${Math.round(skillDayDocs / bucketSec)} docs/s)`,
  );

  // The exports: one person x one skill each, rows spread evenly over the days.
  const t2 = performance.now();
  const exportOf = async (person: number, skill: string, count: number): Promise<void> => {
    let batch: Record<string, unknown>[] = [];
    for (let r = 0; r < count; r++) {
      const day = dayOfNumber(first + (r % spec.days));
      const statementId = `00000000-0000-4000-8000-${String(person).padStart(4, '0')}${String(r).padStart(8, '0')}`;
      const mix = MIX[r % MIX.length] ?? MIX[0];
      batch.push({
        _id: JSON.stringify([STORE_ID, statementId, skill, 'actor', 0]),
        storeId: STORE_ID,
        statementId,
        skill,
        subject: personKey(person),
        role: 'actor',
        day,
        source: mix.source,
        kind: mix.kind,
        concept: mix.kind === 'outcome' ? 'passed' : 'practised',
        verb:
          mix.kind === 'outcome'
            ? 'http://adlnet.gov/expapi/verbs/passed'
            : 'https://w3id.org/xapi/dod-isd/verbs/practiced',
        platform: mix.source === 'social' ? 'Forum' : 'LMS',
        activityId: `https://lms.cairn.example/activities/${r % 500}`,
        yUnits: mix.kind === 'outcome' ? 800 : null,
        wUnits: Math.round(mix.w * W_UNITS),
        n: 1,
        counterpart: null,
        generation: 0,
        state: 'counted',
      });
      if (batch.length >= INSERT_BATCH) {
        await insertAll(db, COLLECTIONS.evidence, batch);
        batch = [];
      }
    }
    await insertAll(db, COLLECTIONS.evidence, batch);
  };
  const largeSkill = LEAVES[0] ?? '';
  const smallSkill = LEAVES[1] ?? '';
  await exportOf(1, largeSkill, spec.exportRows);
  await exportOf(2, smallSkill, spec.smallExportRows);
  const evidenceSec = (performance.now() - t2) / 1000;
  log(`evidence: ${spec.exportRows + spec.smallExportRows} rows in ${evidenceSec.toFixed(1)} s`);

  const ids = await people.resolve([personKey(0), personKey(1), personKey(2)]);
  const idOf = (i: number): string => {
    const id = ids.get(personKey(i));
    if (id === undefined) throw new Error(`person ${i} was not recorded`);
    return id;
  };
  return {
    people: spec.people,
    teams,
    departments: Math.ceil(teams / TEAMS_PER_DEPARTMENT),
    movers,
    skillDayDocs,
    evidenceRowsBehindBuckets: rowsBehind,
    exportEvidenceRows: spec.exportRows + spec.smallExportRows,
    firstDay,
    largeExport: { person: idOf(1), skill: largeSkill },
    smallExport: { person: idOf(2), skill: smallSkill },
    profilePerson: idOf(0),
    profilePersonBuckets,
    sampleTeam: teamName(0),
    seconds: { directory: directorySec, buckets: bucketSec, evidence: evidenceSec },
  };
}
