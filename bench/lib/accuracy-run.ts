// Scores mastery models against the simulator's latent truth, all in memory: a simulated
// organisation's statements go through the analytics core exactly as the pipeline derives them
// (validation, statementEvidence with the simulator's framework and rules, the ledger's voiding
// and duplicate rules, identifiers resolved to people as a directory import would), are rolled
// up per (subject, skill, activity, day) as the pipeline keeps them, and each model's answer as
// of the last day is compared with what the simulator knows. Nothing here reuses a model's own
// code to make the truth: the truth is the simulator's trajectories.
import { randomUUID } from 'node:crypto';
import {
  addSums,
  contributionOf,
  DEFAULT_VERB_TABLE,
  EMPTY_RULE_SET,
  EvidenceLedger,
  MASTERY_MODELS,
  precisionRecall,
  spearman,
  statementEvidence,
  subjectSkillKey,
  toFloatSums,
  ZERO_SUMS,
  type ActivityDaySums,
  type AlignmentRuleSet,
  type AssessOptions,
  type MasteryModelName,
  type PrecisionRecall,
  type SkillDaySums,
} from '@cairn/analytics';
import {
  buildDirectory,
  buildWorld,
  masteryOn,
  simulationOptions,
  statementLines,
  Tally,
  type SimulationOptions,
  type World,
} from '@cairn/simulate';
import { agentKeyOrUndefined, mboxSha1, validateStatement, type Agent } from '@cairn/xapi';

/** The growth periods scored, as the reports show them. */
export const GROWTH_PERIODS = [28, 90] as const;

/** A simulated organisation reduced to what a model reads, and the truth to score against. */
export interface SimulatedEvidence {
  readonly world: World;
  /** The roll-up: outcome sums per subject (the directory's person id), skill, activity, day. */
  readonly rows: readonly ActivityDaySums[];
  /** The last day of the run, `YYYY-MM-DD`: the day everything is scored as of. */
  readonly asOf: string;
  /** Statements accepted (valid) and evidence rows counted after voids and duplicates. */
  readonly statements: number;
  readonly evidenceRows: number;
}

/**
 * Person id by canonical identifier key, from the directory as an import would load it: the
 * email (and its SHA-1, which hash-only sources such as the video platform send) and every tool
 * account.
 */
function identities(world: World): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const person of buildDirectory(world.organisation, world.options).people) {
    for (const id of person.identifiers) {
      if (id.kind === 'mbox') {
        byKey.set(`mbox::${id.value}`, person.id);
        byKey.set(`sha1::${mboxSha1(id.value)}`, person.id);
      } else {
        byKey.set(`account::${id.homePage}::${id.name}`, person.id);
      }
    }
  }
  return byKey;
}

/** Generates a run and derives its evidence roll-up in memory. */
export function simulatedEvidence(partial: Partial<SimulationOptions>): SimulatedEvidence {
  const world = buildWorld(simulationOptions(partial));
  const { framework, options } = world;
  const rules: AlignmentRuleSet = {
    ...EMPTY_RULE_SET,
    rules: framework.rules,
    tags: framework.tags,
    knownSkills: new Set(framework.skills.map((s) => s.id)),
  };
  const people = identities(world);
  const subjectOf = (agent: Agent): string | undefined => {
    const key = agentKeyOrUndefined(agent);
    return key === undefined ? undefined : (people.get(key) ?? key);
  };
  const ledger = new EvidenceLedger();
  let statements = 0;
  for (const line of statementLines(world, new Tally())) {
    // The LRS's part: reject what xAPI 1.0.3 rejects, give ids to statements sent without.
    const checked = validateStatement(JSON.parse(line), '1.0.3');
    if (!checked.ok) continue;
    statements++;
    const statement = { ...checked.value, id: checked.value.id ?? randomUUID() };
    const stored = statement.timestamp ?? `${options.start}T00:00:00Z`;
    const out = statementEvidence({
      store: 's',
      statement,
      stored,
      verbs: DEFAULT_VERB_TABLE,
      rules,
      subjectOf,
    });
    if (out.type === 'void') ledger.void(out.tombstone);
    else ledger.insert(out.rows);
  }
  // The roll-up, summed exactly in integer units as the pipeline keeps it, read as floats.
  const sums = new Map<string, { key: Omit<ActivityDaySums, 'statements' | 'wout' | 'wy'>; sums: SkillDaySums }>(); // prettier-ignore
  const rows = ledger.rows();
  for (const row of rows) {
    const activityId = row.activityId ?? '';
    const key = JSON.stringify([row.subject, row.skill, activityId, row.day]);
    const entry = sums.get(key) ?? {
      key: { subject: row.subject, skill: row.skill, activityId, day: row.day },
      sums: ZERO_SUMS,
    };
    sums.set(key, { key: entry.key, sums: addSums(entry.sums, contributionOf(row)) });
  }
  const rollUp = [...sums.values()].map(({ key, sums: s }): ActivityDaySums => {
    const f = toFloatSums(s);
    return { ...key, statements: f.statements, wout: f.wout, wy: f.wy };
  });
  const last = new Date(Date.parse(`${options.start}T00:00:00Z`) + (options.days - 1) * 86_400_000);
  return {
    world,
    rows: rollUp,
    asOf: last.toISOString().slice(0, 10),
    statements,
    evidenceRows: rows.length,
  };
}

/** One model's scores on one run. */
export interface ModelScore {
  readonly model: MasteryModelName;
  /** Spearman correlation of mastery with latent mastery on the last day, sufficient pairs. */
  readonly rankCorrelation: number | null;
  /** Mean absolute difference between mastery and latent mastery, same pairs. */
  readonly meanAbsoluteError: number | null;
  /** Share of sufficient pairs whose latent mastery lies in the model's 80% interval. */
  readonly intervalCoverage: number | null;
  /** "Growing" against the truth's, over every person x skill pair the truth knows. */
  readonly growing: readonly (PrecisionRecall & { readonly periodDays: number })[];
  /** Milliseconds the model took. */
  readonly ms: number;
}

/** Every model's scores on one run. */
export interface RunScore {
  readonly options: SimulationOptions;
  readonly statements: number;
  readonly evidenceRows: number;
  readonly rollUpRows: number;
  /** Person x skill pairs of the truth, and those with evidence >= nMin as of the last day. */
  readonly pairs: number;
  readonly sufficientPairs: number;
  readonly truthGrowing: number;
  readonly models: readonly ModelScore[];
}

/**
 * Scores models on a run. "Sufficient" pairs are those the Beta model would show a level for
 * (decayed evidence >= nMin; the difficulty model's evidence is the same sum), so every model is
 * scored on the same pairs.
 */
export function scoreModels(
  run: SimulatedEvidence,
  models: readonly MasteryModelName[] = ['beta', 'difficulty'],
  settings: Omit<AssessOptions, 'asOf' | 'periods'> = {},
): RunScore {
  const { world, asOf } = run;
  const lastDay = world.options.days - 1;
  const growingTruth = new Map<string, boolean>();
  for (const p of world.truth.people) {
    for (const s of p.skills) growingTruth.set(subjectSkillKey(p.id, s.skill), s.growing);
  }
  const truth = world.organisation.people.flatMap((person) =>
    person.trajectories.map((t) => {
      const key = subjectSkillKey(person.id, t.skill);
      return { key, mastery: masteryOn(t, lastDay), growing: growingTruth.get(key) === true };
    }),
  );
  const assessments = models.map((model) => {
    const started = performance.now();
    const out = MASTERY_MODELS[model].assess(run.rows, {
      ...settings,
      asOf,
      periods: GROWTH_PERIODS,
    });
    const ms = performance.now() - started;
    return { model, ms, byKey: new Map(out.map((a) => [subjectSkillKey(a.subject, a.skill), a])) };
  });
  // The pairs every model shows a level for (the same set: the evidence sum is shared).
  const sufficient = truth.filter(({ key }) =>
    assessments.every((a) => (a.byKey.get(key)?.level ?? null) !== null),
  );
  const scores = assessments.map(({ model, ms, byKey }): ModelScore => {
    const estimates = sufficient.map(({ key }) => byKey.get(key));
    const latent = sufficient.map((p) => p.mastery);
    const mastery = estimates.map((e) => e?.mastery ?? 0.5);
    const n = sufficient.length;
    return {
      model,
      rankCorrelation: spearman(mastery, latent),
      meanAbsoluteError:
        n === 0 ? null : mastery.reduce((s, m, i) => s + Math.abs(m - (latent[i] ?? 0)), 0) / n,
      intervalCoverage:
        n === 0
          ? null
          : estimates.filter((e, i) => {
              const l = latent[i] ?? 0;
              return e !== undefined && e.low <= l && l <= e.high;
            }).length / n,
      growing: GROWTH_PERIODS.map((periodDays, k) => ({
        periodDays,
        ...precisionRecall(
          truth.map(({ key }) => byKey.get(key)?.growth[k]?.growing === true),
          truth.map((p) => p.growing),
        ),
      })),
      ms,
    };
  });
  return {
    options: world.options,
    statements: run.statements,
    evidenceRows: run.evidenceRows,
    rollUpRows: run.rows.length,
    pairs: truth.length,
    sufficientPairs: sufficient.length,
    truthGrowing: truth.filter((p) => p.growing).length,
    models: scores,
  };
}
