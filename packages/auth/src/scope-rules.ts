import { ALL_SCOPES, XAPI_SCOPES, type Scope } from './scopes.js';

/**
 * What a request does with the resource a scope guards. `state` and `profile` are read/write
 * scopes in xAPI; a request that only reads them is also allowed by `all/read`.
 */
export type Access = 'read' | 'read-write';

/** Anything that holds scopes, such as a {@link Principal}. */
export interface ScopeHolder {
  readonly scopes: readonly Scope[];
}

const KNOWN: ReadonlySet<string> = new Set<string>(ALL_SCOPES);
const XAPI: ReadonlySet<Scope> = new Set<Scope>(XAPI_SCOPES);
/** xAPI scopes whose whole permission is reading. */
const READ_ONLY: ReadonlySet<Scope> = new Set<Scope>(['statements/read', 'statements/read/mine']);

/** True for the scopes Cairn knows; stored strings that are not are ignored, never trusted. */
export function isScope(value: string): value is Scope {
  return KNOWN.has(value);
}

/*
 * Implication, after xAPI 1.0.3 Communication 4.2 "OAuth 1.0 Authorization Scope", whose table
 * defines each scope's permission but no hierarchy; the hierarchy follows from the permissions:
 *
 *   all                  "unrestricted access": every xAPI scope.
 *   all/read             "unrestricted read access": statements/read, statements/read/mine, and
 *                        any other xAPI scope for a request that only reads (GET state, profile,
 *                        activities, agents). Never statements/write.
 *   statements/read      "read any Statement" includes statements/read/mine ("read Statements
 *                        written by me").
 *   statements/write, statements/read/mine, state, define, profile: only themselves.
 *
 * Cairn's own scopes:
 *
 *   admin                every scope, xAPI and Cairn. An admin can issue a credential with any
 *                        scope in its store, so withholding data scopes from it would protect
 *                        nothing and only push operators to mint extra credentials.
 *   reports:cohort, reports:person: only themselves. `all` does not imply them: xAPI's
 *                        "unrestricted access" is about the xAPI resources, and reports (above
 *                        all person-level ones) are granted deliberately. Neither implies the
 *                        other: person-level access is not a superset of cohort access by policy.
 *
 * Scopes never cross stores: a principal acts only in its credential's store.
 */
function grants(held: Scope, needed: Scope, access: Access): boolean {
  if (held === needed) return true;
  switch (held) {
    case 'admin':
      return true;
    case 'all':
      return XAPI.has(needed);
    case 'all/read':
      return (
        READ_ONLY.has(needed) ||
        (access === 'read' && XAPI.has(needed) && needed !== 'statements/write')
      );
    case 'statements/read':
      return needed === 'statements/read/mine';
    default:
      return false;
  }
}

/**
 * Whether the holder may do what `needed` permits, for a request with the given access
 * (default: it may write).
 */
export function hasScope(
  holder: ScopeHolder,
  needed: Scope,
  access: Access = 'read-write',
): boolean {
  return holder.scopes.some((held) => grants(held, needed, access));
}
