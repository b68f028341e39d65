import { evidenceKey, type EvidenceRow, type Tombstone } from './evidence-row.js';
import {
  addToRollups,
  familyContribution,
  ROLLUP_FAMILIES,
  type Rollup,
  type RollupFamilyName,
} from './rollup-families.js';
import {
  addToBuckets,
  bucketKeyOf,
  contributionOf,
  negateSums,
  type Bucket,
} from './skill-day-sums.js';

const statementKey = (store: string, statementId: string): string =>
  JSON.stringify([store, statementId]);

/**
 * The incremental rules of docs/analytics-core.md, section 3, in memory: the reference the worker's
 * MongoDB version must agree with, and what the exactness tests compare with a rebuild.
 *
 * 1. Only a newly inserted evidence row adds to a bucket; a duplicate adds nothing.
 * 2. A tombstone retracts the target's rows exactly; a target arriving after it adds nothing.
 * 3. A re-derivation (rule change) subtracts the old rows and adds the new ones.
 *
 * No I/O and no clock: it only holds maps.
 */
export class EvidenceLedger {
  readonly #rows = new Map<string, EvidenceRow>();
  readonly #byStatement = new Map<string, Set<string>>();
  readonly #voided = new Set<string>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #rollups = new Map<RollupFamilyName, Map<string, Rollup>>(
    ROLLUP_FAMILIES.map((f) => [f.name, new Map()]),
  );

  /** The current buckets (zero buckets are left out). */
  get buckets(): ReadonlyMap<string, Bucket> {
    return this.#buckets;
  }

  /** The current roll-ups of one family (rollup-families.ts; zero ones are left out). */
  rollups(family: RollupFamilyName): ReadonlyMap<string, Rollup> {
    return this.#rollups.get(family) ?? new Map();
  }

  /** The rows currently counted. */
  rows(): EvidenceRow[] {
    return [...this.#rows.values()];
  }

  /** Inserts rows; returns how many were new (the others were duplicates or voided). */
  insert(rows: readonly EvidenceRow[]): number {
    let added = 0;
    for (const row of rows) {
      const key = evidenceKey(row);
      const statement = statementKey(row.store, row.statementId);
      if (this.#voided.has(statement) || this.#rows.has(key)) continue;
      this.#rows.set(key, row);
      const keys = this.#byStatement.get(statement) ?? new Set<string>();
      keys.add(key);
      this.#byStatement.set(statement, keys);
      this.#apply(row, 1);
      added++;
    }
    return added;
  }

  /** Records a tombstone and retracts the target's rows; returns how many were retracted. */
  void(tombstone: Tombstone): number {
    const statement = statementKey(tombstone.store, tombstone.targetStatementId);
    this.#voided.add(statement);
    return this.#retract(statement);
  }

  /**
   * Replaces a statement's rows by `rows` (a rule change re-derived them): the old ones are
   * subtracted, the new ones added. A voided statement stays without rows.
   */
  rederive(store: string, statementId: string, rows: readonly EvidenceRow[]): void {
    this.#retract(statementKey(store, statementId));
    this.insert(rows);
  }

  /** Adds a row to (or, sign -1, subtracts it from) its bucket and every family's roll-up. */
  #apply(row: EvidenceRow, sign: 1 | -1): void {
    const sums = contributionOf(row);
    addToBuckets(this.#buckets, bucketKeyOf(row), sign === 1 ? sums : negateSums(sums));
    for (const family of ROLLUP_FAMILIES) {
      const c = familyContribution(family, row, sign);
      const rollups = this.#rollups.get(family.name);
      if (c !== null && rollups !== undefined) addToRollups(rollups, family, c);
    }
  }

  #retract(statement: string): number {
    const keys = this.#byStatement.get(statement);
    if (keys === undefined) return 0;
    for (const key of keys) {
      const row = this.#rows.get(key);
      if (row === undefined) continue;
      this.#apply(row, -1);
      this.#rows.delete(key);
    }
    this.#byStatement.delete(statement);
    return keys.size;
  }
}
