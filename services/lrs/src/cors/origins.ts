/**
 * Origin lists for CORS, as pure functions: the installation's (CAIRN_CORS_ORIGINS) and each
 * store's. A list is either `['*']` (any origin) or serialised origins such as
 * `https://courses.example.com` or `http://localhost:8000` (scheme, host and port; no path).
 */

/** Any origin. */
export const ANY_ORIGIN = '*';

/** Most origins a store may list: a guard against mistakes, not a product limit. */
export const MAX_ORIGINS = 100;

/** Why `value` is not a serialised origin, or null when it is one. */
export function originProblem(value: string): string | null {
  if (value === ANY_ORIGIN) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${JSON.stringify(value)} is not an origin (scheme://host[:port])`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `${JSON.stringify(value)} is not an http or https origin`;
  }
  // `new URL` accepts paths, queries, credentials and case variants; an origin as a browser
  // sends it has none of them, so anything else could never match.
  if (url.origin !== value) {
    return `${JSON.stringify(value)} is not an origin as browsers send it; did you mean ${JSON.stringify(url.origin)}?`;
  }
  return null;
}

/**
 * The list without duplicates, or the first problem: an empty list, too many origins, a value
 * that is not an origin, or `*` mixed with origins.
 */
export function checkOriginList(
  values: readonly string[],
): { ok: true; origins: string[] } | { ok: false; problem: string } {
  if (values.length === 0) return { ok: false, problem: 'must list at least one origin, or *' };
  if (values.length > MAX_ORIGINS) {
    return { ok: false, problem: `must list at most ${MAX_ORIGINS} origins` };
  }
  const origins: string[] = [];
  for (const value of values) {
    const problem = originProblem(value);
    if (problem !== null) return { ok: false, problem };
    if (!origins.includes(value)) origins.push(value);
  }
  if (origins.includes(ANY_ORIGIN) && origins.length > 1) {
    return { ok: false, problem: '* allows every origin and cannot be combined with others' };
  }
  return { ok: true, origins };
}

/** Splits a comma-separated list (CAIRN_CORS_ORIGINS, the CLI's --origins). */
export function splitOriginList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Whether a request from `origin` is allowed by `list`. Origins compare exactly (RFC 6454). */
export function originAllowed(list: readonly string[], origin: string): boolean {
  return list.includes(ANY_ORIGIN) || list.includes(origin);
}
