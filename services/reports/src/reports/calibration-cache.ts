import { createHash } from 'node:crypto';
import type { ActivityOutcome } from '@cairn/store';
import type { ColumnCalibration } from './difficulty-masteries.js';

/**
 * Calibrations of the difficulty model in memory, per (store, asOf, skill-settings generation).
 * Fitting the whole store takes seconds; reading its roll-up is cheaper, and a person's report
 * reads only that person's rows. So:
 *
 * - a report that reads the whole roll-up anyway (heatmap, top growing, a cohort's growth) passes
 *   the fingerprint of what it read: the cached fit is reused only if it was fitted on exactly
 *   those rows (then it is the fit those rows give), otherwise it is refitted and replaced;
 * - a person's report reuses the cached fit while it is younger than the TTL, whatever arrived
 *   since; older, it reads the whole roll-up and refits.
 *
 * A calibration is therefore either exact for the data read, or at most `ttlMs` older than the
 * data (late evidence shifts difficulties, and so masteries, slightly). A new settings generation
 * (frameworks, rules, verbs) is a new key. Concurrent requests share one fit.
 */
export class CalibrationCache {
  private readonly entries = new Map<
    string,
    { readonly at: number; readonly fingerprint: string; readonly value: Promise<ColumnCalibration> } // prettier-ignore
  >();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly capacity = 16,
  ) {}

  private static key(storeId: string, asOf: string, generation: number): string {
    return JSON.stringify([storeId, asOf, generation]);
  }

  /** The calibration fitted on exactly the rows of `fingerprint`, fitted by `fit` if not cached. */
  exact(
    at: { storeId: string; asOf: string; generation: number },
    fingerprint: string,
    fit: () => ColumnCalibration,
  ): Promise<ColumnCalibration> {
    const key = CalibrationCache.key(at.storeId, at.asOf, at.generation);
    const found = this.entries.get(key);
    if (found !== undefined && found.fingerprint === fingerprint) return found.value;
    return this.store(key, fingerprint, Promise.resolve().then(fit));
  }

  /** A calibration no older than the TTL, or `load` (which reads everything and fits). */
  recent(
    at: { storeId: string; asOf: string; generation: number },
    load: () => Promise<{ fingerprint: string; calibration: ColumnCalibration }>,
  ): Promise<ColumnCalibration> {
    const key = CalibrationCache.key(at.storeId, at.asOf, at.generation);
    const found = this.entries.get(key);
    if (found !== undefined && this.now() - found.at <= this.ttlMs) return found.value;
    const loading = load();
    // The fingerprint is only known once loaded; until then the entry matches no exact request.
    const value = loading.then((l) => l.calibration);
    const entry = this.store(key, '', value);
    void loading.then(
      (l) => {
        if (this.entries.get(key)?.value === value)
          this.entries.set(key, { at: this.now(), fingerprint: l.fingerprint, value });
      },
      () => undefined,
    );
    return entry;
  }

  private store(
    key: string,
    fingerprint: string,
    value: Promise<ColumnCalibration>,
  ): Promise<ColumnCalibration> {
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), fingerprint, value });
    // A failed fit is not kept: the next request tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return value;
  }
}

/** A digest of roll-up rows, keys and totals, in the order read (reads are sorted by key). */
export function fingerprintOf(outcomes: readonly ActivityOutcome[]): string {
  const hash = createHash('sha256');
  for (const { key, totals } of outcomes)
    hash.update(
      `${key.subject}\u0000${key.skill}\u0000${key.activityId}\u0000${key.day}\u0000${key.concept}\u0000${totals.statements}\u0000${totals.w}\u0000${totals.wy}\n`,
    );
  return hash.digest('hex');
}
