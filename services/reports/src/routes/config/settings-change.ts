import type { FastifyRequest } from 'fastify';
import {
  MAX_SKILL_SETTINGS_BYTES,
  type SkillSettings,
  type SkillSettingsVersion,
  type Store,
} from '@cairn/store';
import { formatProblems, type ValidationProblem } from '@cairn/xapi';
import { ApiErrors } from './api-errors.js';
import { storeOf } from './api-scopes.js';
import { checkIfMatch } from './generation-etag.js';

/** Throws 400 naming every problem of `what` (the body, the file), when there are any. */
export function rejectProblems(what: string, problems: readonly ValidationProblem[]): void {
  if (problems.length > 0) throw new ApiErrors.invalid(what, formatProblems(problems));
}

/**
 * Changes the skill settings of the request's store: `edit` gets the current version and
 * returns the new settings (or throws: 404, 409, 400). The request's If-Match is checked against
 * every version `edit` is asked about, and settings too large to store are refused with 413
 * before anything is written. One inserted document: the change is atomic.
 */
export function changeSettings(
  request: FastifyRequest,
  store: Store,
  now: () => Date,
  edit: (current: SkillSettingsVersion) => SkillSettings,
): Promise<SkillSettingsVersion> {
  return store.skillSettingsOf(storeOf(request)).change((current) => {
    checkIfMatch(request, current.generation);
    const next = edit(current);
    const bytes = Buffer.byteLength(JSON.stringify(next), 'utf8');
    if (bytes > MAX_SKILL_SETTINGS_BYTES) {
      throw new ApiErrors.tooLarge(bytes, MAX_SKILL_SETTINGS_BYTES);
    }
    return next;
  }, now());
}
