import {
  abilitiesWithDifficulties,
  DEFAULT_VERB_TABLE,
  fitDifficultyModel,
  mergeVerbTables,
  unitsToWeight,
  unitsToWeightedOutcome,
  type ActivityDaySums,
  type DifficultyCalibration,
  type DifficultyMastery,
  type EvidenceSource,
  type PersonSkillSummary,
  type VerbTableOverride,
} from '@cairn/analytics';
import type { ActivityOutcome } from '@cairn/store';
import type { DirectoryIndex } from './directory-index.js';
import type { SkillColumn } from './skill-columns.js';

/**
 * The difficulty model (docs/analytics-core.md, section 5) as the reports use it: one population
 * fit of activity difficulties per store and day (the calibration), then each person's ability
 * per skill column with those difficulties held fixed, from the person's own rows only. A figure
 * about one person therefore never depends on which other people a report shows, and a cohort's
 * mean is exactly the mean of its members' profile figures.
 */

/** A calibration ready for skill columns (see `columnRows`). */
export interface ColumnCalibration extends DifficultyCalibration {
  readonly asOf: string;
}

/**
 * The key an activity that the fit pooled (too few people to calibrate it alone) is given in a
 * column's rows: a parent column relabels its children's rows, and the pooled difficulty is the
 * child skill's, so the key carries that skill.
 */
const pooledKey = (activityId: string, skill: string): string => `${activityId}\u0000${skill}`;

/**
 * Rows of every subject summed per person (the union of the person's identifiers) and per
 * (skill, activity, day), concepts summed, as floats; exact sums in fixed-point units first.
 * `source`, when given, keeps only rows whose verb concept is of that source.
 */
export function personRows(
  outcomes: readonly ActivityOutcome[],
  directory: Pick<DirectoryIndex, 'personOf'>,
  options: {
    readonly verbs?: VerbTableOverride;
    readonly source?: EvidenceSource | undefined;
  } = {},
): Map<string, ActivityDaySums[]> {
  const table = mergeVerbTables(DEFAULT_VERB_TABLE, options.verbs ?? {});
  const sums = new Map<
    string,
    { person: string; skill: string; activityId: string; day: string; n: bigint; w: bigint; wy: bigint } // prettier-ignore
  >();
  for (const { key, totals } of outcomes) {
    if (options.source !== undefined) {
      const source = table.concepts[key.concept]?.source ?? 'formal';
      if (source !== options.source) continue;
    }
    const person = directory.personOf(key.subject);
    const id = JSON.stringify([person, key.skill, key.activityId, key.day]);
    const entry = sums.get(id) ?? {
      person,
      skill: key.skill,
      activityId: key.activityId,
      day: key.day,
      n: 0n,
      w: 0n,
      wy: 0n,
    };
    entry.n += totals.statements;
    entry.w += totals.w;
    entry.wy += totals.wy;
    sums.set(id, entry);
  }
  const out = new Map<string, ActivityDaySums[]>();
  for (const e of sums.values()) {
    const list = out.get(e.person) ?? [];
    out.set(e.person, list);
    list.push({
      subject: e.person,
      skill: e.skill,
      activityId: e.activityId,
      day: e.day,
      statements: Number(e.n),
      wout: unitsToWeight(e.w),
      wy: unitsToWeightedOutcome(e.wy),
    });
  }
  return out;
}

/**
 * The population fit as of `asOf` over every person's rows, kept as a calibration. Pooled
 * activities get a key per (activity, skill) so that a parent column keeps each child's pooled
 * difficulty (`columnRows`).
 */
export function calibrate(
  rowsByPerson: ReadonlyMap<string, readonly ActivityDaySums[]>,
  asOf: string,
): ColumnCalibration {
  const rows = [...rowsByPerson.values()].flat();
  const fit = fitDifficultyModel(rows, { asOf });
  const difficulties = new Map(fit.difficulties);
  for (const row of rows) {
    if (fit.difficulties.has(row.activityId)) continue;
    const pooled = fit.pooledDifficulties.get(row.skill);
    if (pooled !== undefined) difficulties.set(pooledKey(row.activityId, row.skill), pooled);
  }
  return { asOf, difficulties, pooledDifficulties: fit.pooledDifficulties };
}

/** A person's rows of the skills a column covers, relabelled as the column's skill. */
export function columnRows(
  rows: readonly ActivityDaySums[],
  column: Pick<SkillColumn, 'skill' | 'covers'>,
  calibration: DifficultyCalibration,
): ActivityDaySums[] {
  return rows
    .filter((r) => column.covers.has(r.skill))
    .map((r) => ({
      ...r,
      skill: column.skill,
      activityId: calibration.difficulties.has(r.activityId)
        ? r.activityId
        : pooledKey(r.activityId, r.skill),
    }));
}

/** One person's ability on one column as of `asOf` (null without outcome rows up to it). */
export function columnMastery(
  calibration: DifficultyCalibration,
  rows: readonly ActivityDaySums[],
  asOf: string,
): DifficultyMastery | null {
  if (rows.length === 0) return null;
  return abilitiesWithDifficulties(calibration, rows, { asOf })[0] ?? null;
}

/**
 * A member's summary with the difficulty model's mastery: mean sigmoid(theta), variance by the
 * delta method (m (1 - m))^2 se^2, level when the summary's evidence is sufficient. Sufficiency,
 * volumes, pooled sums and the growth test stay the Beta summary's: disclosure control and every
 * volume are the same whichever model is asked (both models' evidence is the same decayed sum).
 */
export function withDifficultyMastery(
  summary: PersonSkillSummary,
  mastery: DifficultyMastery | null,
): PersonSkillSummary {
  if (mastery === null) return summary;
  const m = mastery.mastery;
  return {
    ...summary,
    mastery: {
      ...summary.mastery,
      mean: m,
      variance: (m * (1 - m)) ** 2 * mastery.se ** 2,
      level: summary.sufficient ? m : null,
    },
  };
}
