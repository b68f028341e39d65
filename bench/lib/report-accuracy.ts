// Scores what the reports API answers against the simulator's truth: person profiles' mastery
// against latent mastery on the last day, "growing" against the truth's, and every cohort figure
// of the heatmap against its members' profile figures. Only HTTP answers of the reports service
// are scored; nothing here recomputes a model. Shared by test/integration/reports/accuracy.test.ts
// (a small organisation) and bench/accuracy-reports.ts (500 people, 180 days).
import {
  precisionRecall,
  spearman,
  subjectSkillKey,
  type MasteryModelName,
  type PrecisionRecall,
} from '@cairn/analytics';
import { masteryOn, type Directory, type World } from '@cairn/simulate';
import type { Store } from '@cairn/store';
import { agentKeyOrUndefined } from '@cairn/xapi';

export const SCORED_MODELS: readonly MasteryModelName[] = ['beta', 'difficulty'];
export const SCORED_PERIODS = [28, 90] as const;

/** A GET on the reports service answering JSON (authorised with reports:person and :cohort). */
export type ReportGet = <T>(url: string) => Promise<T>;

interface Table {
  meta: Record<string, unknown>;
  rows: Record<string, unknown>[];
}

/** Which Cairn person each directory person is, and every person the store knows. */
export interface PeopleMap {
  /** Simulator person id -> Cairn person id. */
  readonly byTruth: ReadonlyMap<string, string>;
  /** Every Cairn person id (directory people, and people statements named outside it). */
  readonly all: readonly string[];
  /** Directory people whose identifiers match no Cairn person, or several. */
  readonly unmatched: number;
}

/** The identifier keys of a directory person, as the LRS keys statements' actors. */
function keysOf(person: Directory['people'][number]): string[] {
  return person.identifiers.flatMap((id) => {
    const key =
      id.kind === 'mbox'
        ? agentKeyOrUndefined({ mbox: id.value })
        : agentKeyOrUndefined({ account: { homePage: id.homePage, name: id.name } });
    return key === undefined ? [] : [key];
  });
}

/** Maps the directory's people to Cairn people through their identifiers (findByIdentifiers). */
export async function mapPeople(
  store: Store,
  storeId: string,
  directory: Directory,
): Promise<PeopleMap> {
  const people = store.peopleOf(storeId);
  const byTruth = new Map<string, string>();
  let unmatched = 0;
  for (const person of directory.people) {
    const found = await people.findByIdentifiers(keysOf(person));
    const ids = [...new Set(found.map((p) => p.personId))];
    if (ids.length === 1 && ids[0] !== undefined) byTruth.set(person.id, ids[0]);
    else unmatched++;
  }
  const all: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await people.list({ ...(after === undefined ? {} : { after }), limit: 500 });
    all.push(...page.people.map((p) => p.personId));
    if (page.next === null) break;
    after = page.next;
  }
  return { byTruth, all, unmatched };
}

export interface ModelAccuracy {
  readonly model: MasteryModelName;
  /** Spearman correlation of profile mastery with latent mastery, sufficient pairs. */
  readonly rankCorrelation: number | null;
  readonly meanAbsoluteError: number | null;
}

export interface CohortCheck {
  readonly model: MasteryModelName;
  /** Shown cells with a mean mastery, and those whose figures differ from their members'. */
  readonly cells: number;
  readonly mismatches: readonly string[];
  /** Largest |meanMastery - mean of the members' profile masteries|. */
  readonly largestDifference: number;
}

export interface ReportAccuracy {
  readonly people: number;
  /** Truth person x skill pairs with a profile row, and those with sufficient evidence. */
  readonly pairs: number;
  readonly sufficientPairs: number;
  readonly truthGrowing: number;
  readonly models: readonly ModelAccuracy[];
  /**
   * The profiles' "growing" against the truth's, over every pair with a profile row, per period.
   * The growth test is the same whichever model (docs/reports.md): `sameGrowthTest` says whether
   * both models' profiles flag the same pairs over 90 days.
   */
  readonly growing: readonly (PrecisionRecall & { readonly periodDays: number })[];
  readonly sameGrowthTest: boolean;
  readonly cohorts: readonly CohortCheck[];
}

type ProfileRows = Map<string, Record<string, unknown>>;

const num = (x: unknown): number => (typeof x === 'number' ? x : Number.NaN);

/** The team of a directory person on a day (`to` exclusive), as the directory import keeps it. */
function teamOn(person: Directory['people'][number] | undefined, day: string): string | undefined {
  return person?.memberships.find((m) => m.from <= day && (m.to === undefined || day < m.to))?.team;
}

/**
 * Scores the reports. Profiles: one per person, model and period (the growth test is the same
 * for both models; its period is the profile's `period`). Cohorts: the heatmap by team under
 * membership=current, whose members are known from the directory.
 */
export async function scoreReports(options: {
  readonly get: ReportGet;
  readonly world: World;
  readonly directory: Directory;
  readonly people: PeopleMap;
  readonly asOf: string;
  /** Profiles fetched at once. */
  readonly concurrency?: number;
}): Promise<ReportAccuracy> {
  const { get, world, directory, people, asOf } = options;
  const profiles = new Map<string, ProfileRows>();
  const profileKey = (model: MasteryModelName, period: number, person: string): string =>
    JSON.stringify([model, period, person]);
  // Both models at 90 days; the growth test of 28 days from the Beta profile (it is the same test).
  const jobs = [
    ...SCORED_MODELS.map((model) => ({ model, period: 90 })),
    { model: 'beta' as const, period: 28 },
  ].flatMap(({ model, period }) => people.all.map((person) => ({ model, period, person })));
  const worker = async (): Promise<void> => {
    for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
      const { model, period, person } = job;
      const table = await get<Table>(
        `/api/v1/reports/people/${encodeURIComponent(person)}/profile?asOf=${asOf}&model=${model}&period=${period}`,
      );
      profiles.set(
        profileKey(model, period, person),
        new Map(table.rows.map((r) => [String(r['skill']), r])),
      );
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  const rowOf = (model: MasteryModelName, period: number, person: string, skill: string) =>
    profiles.get(profileKey(model, period, person))?.get(skill);

  // Truth on the last day, per pair the profiles show.
  const lastDay = world.options.days - 1;
  const growingTruth = new Map<string, boolean>();
  for (const p of world.truth.people)
    for (const s of p.skills) growingTruth.set(subjectSkillKey(p.id, s.skill), s.growing);
  const pairs = world.organisation.people.flatMap((person) => {
    const cairn = people.byTruth.get(person.id);
    if (cairn === undefined) return [];
    return person.trajectories.flatMap((t) => {
      const beta = rowOf('beta', 90, cairn, t.skill);
      if (beta === undefined) return [];
      return [
        {
          cairn,
          skill: t.skill,
          latent: masteryOn(t, lastDay),
          growing: growingTruth.get(subjectSkillKey(person.id, t.skill)) === true,
          sufficient: beta['sufficient'] === true,
        },
      ];
    });
  });
  const sufficient = pairs.filter((p) => p.sufficient);
  const models = SCORED_MODELS.map((model): ModelAccuracy => {
    const mastery = sufficient.map((p) => num(rowOf(model, 90, p.cairn, p.skill)?.['mastery']));
    const latent = sufficient.map((p) => p.latent);
    const n = sufficient.length;
    return {
      model,
      rankCorrelation: spearman(mastery, latent),
      meanAbsoluteError:
        n === 0 ? null : mastery.reduce((s, m, i) => s + Math.abs(m - (latent[i] ?? 0)), 0) / n,
    };
  });
  const growing = SCORED_PERIODS.map((periodDays) => ({
    periodDays,
    ...precisionRecall(
      pairs.map((p) => rowOf('beta', periodDays, p.cairn, p.skill)?.['growing'] === true),
      pairs.map((p) => p.growing),
    ),
  }));
  const sameGrowthTest = pairs.every(
    (p) =>
      rowOf('beta', 90, p.cairn, p.skill)?.['growing'] ===
      rowOf('difficulty', 90, p.cairn, p.skill)?.['growing'],
  );

  // Cohorts: each shown cell against its members' profiles.
  const directoryOf = new Map<string, Directory['people'][number]>();
  for (const d of directory.people) {
    const cairn = people.byTruth.get(d.id);
    if (cairn !== undefined) directoryOf.set(cairn, d);
  }
  const cohorts: CohortCheck[] = [];
  for (const model of SCORED_MODELS) {
    const heat = await get<Table>(
      `/api/v1/reports/heatmap?asOf=${asOf}&cohort=team&membership=current&model=${model}`,
    );
    let cells = 0;
    let largestDifference = 0;
    const mismatches: string[] = [];
    for (const row of heat.rows) {
      if (row['withheld'] !== null || row['meanMastery'] === null) continue;
      cells++;
      const attribute = String(row['attribute']);
      const cohort = String(row['cohort']);
      const skill = String(row['skill']);
      const members = people.all.filter(
        (p) =>
          attribute === 'organisation' || (teamOn(directoryOf.get(p), asOf) ?? '(none)') === cohort,
      );
      const levels = members.flatMap((p) => {
        const r = rowOf(model, 90, p, skill);
        return r !== undefined && r['sufficient'] === true ? [num(r['mastery'])] : [];
      });
      const mean = levels.reduce((s, l) => s + l, 0) / levels.length;
      const difference = Math.abs(mean - num(row['meanMastery']));
      largestDifference = Math.max(largestDifference, Number.isNaN(difference) ? Infinity : difference); // prettier-ignore
      if (!(difference <= 1e-9) || levels.length !== row['sufficient'])
        mismatches.push(
          `${attribute} ${cohort} ${skill}: heatmap ${JSON.stringify(row['meanMastery'])} over ${JSON.stringify(row['sufficient'])}, members ${mean} over ${levels.length}`,
        );
    }
    cohorts.push({ model, cells, mismatches, largestDifference });
  }
  return {
    people: people.all.length,
    pairs: pairs.length,
    sufficientPairs: sufficient.length,
    truthGrowing: pairs.filter((p) => p.growing).length,
    models,
    growing,
    sameGrowthTest,
    cohorts,
  };
}

/** The scores as Markdown lines (the bench's results file and the test's diagnostics). */
export function accuracyLines(a: ReportAccuracy): string[] {
  const f = (x: number | null, d = 3): string => (x === null ? '-' : x.toFixed(d));
  const lines = [
    `people ${a.people}; person x skill pairs with a profile row ${a.pairs}, with sufficient evidence ${a.sufficientPairs}; truly growing ${a.truthGrowing}`,
    '',
    '| model | rank correlation | mean abs. error |',
    '| --- | --- | --- |',
  ];
  for (const m of a.models)
    lines.push(`| ${m.model} | ${f(m.rankCorrelation)} | ${f(m.meanAbsoluteError)} |`);
  lines.push(
    '',
    '| growing (the Beta disjoint-window test, both models) | precision | recall | flagged | truly growing | true positives |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const g of a.growing)
    lines.push(
      `| ${g.periodDays} days | ${f(g.precision)} | ${f(g.recall)} | ${g.flagged} | ${g.positives} | ${g.truePositives} |`,
    );
  lines.push(
    '',
    `both models' profiles flag the same pairs as growing: ${a.sameGrowthTest ? 'yes' : 'no'}`,
    '',
  );
  for (const c of a.cohorts)
    lines.push(
      `cohort consistency (${c.model}): ${c.cells} shown cells, ${c.mismatches.length} differ from their members' profiles; largest difference ${c.largestDifference.toExponential(2)}`,
    );
  return lines;
}
