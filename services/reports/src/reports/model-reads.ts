import type { ActivityDaySums, EvidenceSource, VerbTableOverride } from '@cairn/analytics';
import type { Store } from '@cairn/store';
import { fingerprintOf, type CalibrationCache } from './calibration-cache.js';
import type { DirectoryIndex } from './directory-index.js';
import { calibrate, personRows, type ColumnCalibration } from './difficulty-masteries.js';

/** What the difficulty model needs for a report: the calibration and people's rows. */
export interface DifficultyInputs {
  readonly calibration: ColumnCalibration;
  /** Per person (union of identifiers), the source filter applied. */
  readonly rowsByPerson: ReadonlyMap<string, readonly ActivityDaySums[]>;
}

export interface ModelReadOptions {
  readonly storeId: string;
  readonly asOf: string;
  /** The skill settings' generation and verb table (rules and verbs decide the rows). */
  readonly generation: number;
  readonly verbs: VerbTableOverride;
  readonly source: EvidenceSource | undefined;
}

/**
 * Every person's rows up to asOf (one read of the activity-outcome roll-up) and the calibration
 * fitted on exactly them (cached while the rows do not change).
 */
export async function populationInputs(
  store: Store,
  cache: CalibrationCache,
  options: ModelReadOptions & { readonly directory: DirectoryIndex },
): Promise<DifficultyInputs> {
  const { storeId, asOf, generation, verbs, source, directory } = options;
  const outcomes = await store.activityOutcomesOf(storeId).query({ to: asOf });
  const all = personRows(outcomes, directory, { verbs });
  const calibration = await cache.exact(
    { storeId, asOf, generation },
    fingerprintOf(outcomes),
    () => calibrate(all, asOf),
  );
  const rowsByPerson = source === undefined ? all : personRows(outcomes, directory, { verbs, source }); // prettier-ignore
  return { calibration, rowsByPerson };
}

/**
 * One person's rows up to asOf (a read by the person's identifiers) and a calibration no older
 * than the cache's TTL (refitted from the whole roll-up when there is none).
 */
export async function personInputs(
  store: Store,
  cache: CalibrationCache,
  options: ModelReadOptions & {
    readonly person: string;
    readonly identifiers: readonly string[];
    readonly directory: () => Promise<DirectoryIndex>;
  },
): Promise<{ calibration: ColumnCalibration; rows: readonly ActivityDaySums[] }> {
  const { storeId, asOf, generation, verbs, source, person, identifiers } = options;
  const calibration = await cache.recent({ storeId, asOf, generation }, async () => {
    const outcomes = await store.activityOutcomesOf(storeId).query({ to: asOf });
    const directory = await options.directory();
    return {
      fingerprint: fingerprintOf(outcomes),
      calibration: calibrate(personRows(outcomes, directory, { verbs }), asOf),
    };
  });
  const own =
    identifiers.length === 0
      ? []
      : await store.activityOutcomesOf(storeId).query({ subjects: identifiers, to: asOf });
  const rows = personRows(own, { personOf: () => person }, { verbs, source }).get(person) ?? [];
  return { calibration, rows };
}
