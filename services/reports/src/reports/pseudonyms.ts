import { createHmac } from 'node:crypto';
import { ReportErrors } from './report-errors.js';

/** Replaces identifying values (person ids, statement ids) in an export. */
export type Pseudonymiser = (value: string) => string;

/** Leaves every value as it is: exports that were not asked to pseudonymise. */
export const IDENTITY: Pseudonymiser = (value) => value;

/**
 * The keyed hash of a store's pseudonymised exports: HMAC-SHA-256 under the store's key, hex,
 * `ps_` first so nobody mistakes one for a person id. The same value always gives the same
 * pseudonym under one key (exports can be joined), and without the key it cannot be reversed or
 * recomputed from a guessed id, which a plain hash could.
 */
export function pseudonymiser(key: string | null, wanted: boolean): Pseudonymiser {
  if (!wanted) return IDENTITY;
  if (key === null)
    throw new ReportErrors.invalid(
      'pseudonymise=true needs the store\'s pseudonymisation key: PUT /api/v1/report-settings {"pseudonymKey": "..."} first',
    );
  return (value) => `ps_${createHmac('sha256', key).update(value).digest('hex')}`;
}
