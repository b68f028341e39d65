/** What a `more` link carries: the query that produced the page and where the next page starts. */
export interface MoreState {
  /** The store whose statements the link pages; checked against the credential's store. */
  readonly storeId: string;
  /** The query parameters of the first request, as received. */
  readonly params: Readonly<Record<string, string>>;
  /** Pinned upper bound on `stored` (ISO), so that later statements never shift later pages. */
  readonly until: string;
  /** Position after which the next page starts. */
  readonly after: string;
}

/**
 * Encodes `state` as an opaque token. It needs no signature: a forged position can only reach
 * statements of the store named inside it, and the route serves a token only to a credential of
 * that same store, which may read them anyway.
 */
export function encodeMore(state: MoreState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

/** The state inside a token, or null when it is malformed. */
export function decodeMore(token: string): MoreState | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const state = value as Partial<MoreState>;
    const paramsOk =
      typeof state.params === 'object' &&
      state.params !== null &&
      Object.values(state.params).every((v) => typeof v === 'string');
    return typeof state.storeId === 'string' &&
      typeof state.after === 'string' &&
      typeof state.until === 'string' &&
      paramsOk
      ? (state as MoreState)
      : null;
  } catch {
    return null;
  }
}
