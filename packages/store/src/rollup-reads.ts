import type { Db } from 'mongodb';
import type { EvidenceRecordKind, EvidenceRecordSource } from './evidence.js';
import {
  mongoRollupRepository,
  OUTCOME_BIN_FIELDS,
  ROLLUP_SPECS,
  type RollupRecord,
  type RollupRepository,
} from './rollups.js';
import type { SkillDayTotals } from './skill-days.js';

/*
 * The reports' read ports of the roll-ups (rollups.ts), typed per family. Every filter is
 * optional; a list filter matches any of its values (a list given empty matches nothing); `from`
 * and `to` bound the day, inclusive (YYYY-MM-DD). Each read goes through one index: the first
 * list of the family's read order that is given (query-catalogue.ts `<family>.by...`), the others
 * are checked on the documents it finds.
 */

/** Days `from`..`to`, inclusive (UTC, YYYY-MM-DD); either may be left open. */
export interface DayRange {
  readonly from?: string;
  readonly to?: string;
}

/** Key of a platform-day roll-up: the bucket's key, the platform (null: none sent), the concept. */
export interface PlatformDayKey {
  readonly subject: string;
  readonly skill: string;
  readonly day: string;
  readonly source: EvidenceRecordSource;
  readonly kind: EvidenceRecordKind;
  readonly platform: string | null;
  readonly concept: string;
}

/** Practice volume by platform and verb concept: the bucket's sums under a finer key. */
export interface PlatformDay {
  readonly key: PlatformDayKey;
  readonly totals: SkillDayTotals;
}

/** Read order: subjects, then skills, then the store's days. */
export interface PlatformDayQuery extends DayRange {
  readonly subjects?: readonly string[];
  readonly skills?: readonly string[];
  /** null selects statements without a platform. */
  readonly platforms?: readonly (string | null)[];
  readonly concepts?: readonly string[];
}

export interface PlatformDayRepository {
  query(query: PlatformDayQuery): Promise<PlatformDay[]>;
}

/** Key of an activity-outcome roll-up. */
export interface ActivityOutcomeKey {
  readonly subject: string;
  readonly skill: string;
  readonly activityId: string;
  readonly day: string;
  readonly concept: string;
}

/**
 * Sums over rows that carry an outcome y (fixed-point units, as SkillDayTotals): rows, w (every
 * row has a y, so this is the bucket's wout), w*y, w*y^2, and rows per tenth of y: `bins[i]`
 * counts y in [i/10, (i+1)/10), the last bin [0.9, 1.0].
 */
export interface ActivityOutcomeTotals {
  readonly statements: bigint;
  readonly w: bigint;
  readonly wy: bigint;
  readonly wy2: bigint;
  /** Ten counts. */
  readonly bins: readonly bigint[];
}

export interface ActivityOutcome {
  readonly key: ActivityOutcomeKey;
  readonly totals: ActivityOutcomeTotals;
}

/** Read order: activities, then subjects, then skills, then the store's days. */
export interface ActivityOutcomeQuery extends DayRange {
  readonly activities?: readonly string[];
  readonly subjects?: readonly string[];
  readonly skills?: readonly string[];
  readonly concepts?: readonly string[];
}

export interface ActivityOutcomeRepository {
  query(query: ActivityOutcomeQuery): Promise<ActivityOutcome[]>;
}

/**
 * Key of a knowledge-sharing roll-up: the helper (whose content or answer helped: the author
 * credited by a like, an up-vote or an accepted answer, or the person who answered) and the
 * helped (who liked it, or whose question was answered), as person identifier keys.
 */
export interface KnowledgeShareKey {
  readonly helper: string;
  readonly helped: string;
  readonly skill: string;
  readonly day: string;
  readonly concept: string;
}

export interface KnowledgeShareTotals {
  readonly statements: bigint;
  readonly events: bigint;
  readonly w: bigint;
}

export interface KnowledgeShare {
  readonly key: KnowledgeShareKey;
  readonly totals: KnowledgeShareTotals;
}

/** Read order: helpers, then helped, then skills, then the store's days. */
export interface KnowledgeShareQuery extends DayRange {
  readonly helpers?: readonly string[];
  readonly helped?: readonly string[];
  readonly skills?: readonly string[];
  readonly concepts?: readonly string[];
}

export interface KnowledgeSharingRepository {
  query(query: KnowledgeShareQuery): Promise<KnowledgeShare[]>;
}

const SOURCES: readonly EvidenceRecordSource[] = ['formal', 'social'];
const KINDS: readonly EvidenceRecordKind[] = [
  'outcome',
  'practice',
  'recognition',
  'exposure',
  'assertion',
];

const str = (r: RollupRecord, f: string): string => r.key[f] ?? '';
const sum = (r: RollupRecord, f: string): bigint => r.totals[f] ?? 0n;
const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined =>
  values.find((x) => x === v);

function platformDayOf(r: RollupRecord): PlatformDay[] {
  const source = oneOf(SOURCES, r.key['source'] ?? null);
  const kind = oneOf(KINDS, r.key['kind'] ?? null);
  // A document no version of Cairn writes (a source or kind unknown) is left out.
  if (source === undefined || kind === undefined) return [];
  const totals: SkillDayTotals = {
    statements: sum(r, 'statements'),
    events: sum(r, 'events'),
    w: sum(r, 'w'),
    wy: sum(r, 'wy'),
    wy2: sum(r, 'wy2'),
    wout: sum(r, 'wout'),
  };
  const key: PlatformDayKey = {
    subject: str(r, 'subject'),
    skill: str(r, 'skill'),
    day: str(r, 'day'),
    source,
    kind,
    platform: r.key['platform'] ?? null,
    concept: str(r, 'concept'),
  };
  return [{ key, totals }];
}

function activityOutcomeOf(r: RollupRecord): ActivityOutcome {
  return {
    key: {
      subject: str(r, 'subject'),
      skill: str(r, 'skill'),
      activityId: str(r, 'activityId'),
      day: str(r, 'day'),
      concept: str(r, 'concept'),
    },
    totals: {
      statements: sum(r, 'statements'),
      w: sum(r, 'w'),
      wy: sum(r, 'wy'),
      wy2: sum(r, 'wy2'),
      bins: OUTCOME_BIN_FIELDS.map((f) => sum(r, f)),
    },
  };
}

function knowledgeShareOf(r: RollupRecord): KnowledgeShare {
  return {
    key: {
      helper: str(r, 'helper'),
      helped: str(r, 'helped'),
      skill: str(r, 'skill'),
      day: str(r, 'day'),
      concept: str(r, 'concept'),
    },
    totals: { statements: sum(r, 'statements'), events: sum(r, 'events'), w: sum(r, 'w') },
  };
}

const range = (q: DayRange): DayRange => ({
  ...(q.from === undefined ? {} : { from: q.from }),
  ...(q.to === undefined ? {} : { to: q.to }),
});

/** Rows sorted by their key as a JSON array, so reads are deterministic. */
function sorted<T extends { key: object }>(rows: T[]): T[] {
  const id = (r: T): string => JSON.stringify(Object.values(r.key));
  return rows.sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
}

export function mongoPlatformDayRepository(db: Db, storeId: string): PlatformDayRepository {
  const rollups: RollupRepository = mongoRollupRepository(db, storeId, ROLLUP_SPECS.platformDays);
  return {
    async query(q) {
      const found = await rollups.query({
        in: { subject: q.subjects, skill: q.skills, platform: q.platforms, concept: q.concepts },
        ...range(q),
      });
      return sorted(found.flatMap(platformDayOf));
    },
  };
}

export function mongoActivityOutcomeRepository(db: Db, storeId: string): ActivityOutcomeRepository {
  const rollups = mongoRollupRepository(db, storeId, ROLLUP_SPECS.activityOutcomes);
  return {
    async query(q) {
      const found = await rollups.query({
        in: { activityId: q.activities, subject: q.subjects, skill: q.skills, concept: q.concepts },
        ...range(q),
      });
      return sorted(found.map(activityOutcomeOf));
    },
  };
}

export function mongoKnowledgeSharingRepository(
  db: Db,
  storeId: string,
): KnowledgeSharingRepository {
  const rollups = mongoRollupRepository(db, storeId, ROLLUP_SPECS.knowledgeSharing);
  return {
    async query(q) {
      const found = await rollups.query({
        in: { helper: q.helpers, helped: q.helped, skill: q.skills, concept: q.concepts },
        ...range(q),
      });
      return sorted(found.map(knowledgeShareOf));
    },
  };
}
