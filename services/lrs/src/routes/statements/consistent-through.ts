/**
 * X-Experience-API-Consistent-Through (xAPI Communication 2.1.3): a time through which "all
 * Statements that have or will have a stored before that time are known with reasonable
 * certainty to be available for retrieval". Clients read it as the `since` of their next
 * incremental read, and `since` is exclusive, so Cairn promises more: every statement whose
 * `stored` is at or before the header is readable when the header is sent.
 *
 * A statement's `stored` is taken when its request begins to write, and it becomes readable only
 * when the insert has answered. So the header is held back by the writes this process has begun
 * and not finished, per store, and by `lagMs` for the writes of other lrs processes, which this
 * one cannot see (docs/decisions.md, "Consistent-Through"). No database read: the header costs
 * nothing per GET.
 */
export interface ConsistentThrough {
  /**
   * Registers a write of the store's statements with this `stored`. Call the returned function
   * once the write has finished, whether it stored them or failed.
   */
  begin(storeId: string, stored: Date): () => void;
  /** The header's time for the store, at `now`. */
  at(storeId: string, now: Date): Date;
}

/** Default for CAIRN_CONSISTENCY_LAG_MS: longer than a statement write normally takes. */
export const DEFAULT_CONSISTENCY_LAG_MS = 1000;

export function consistentThrough(lagMs: number = DEFAULT_CONSISTENCY_LAG_MS): ConsistentThrough {
  /** storeId -> `stored` (epoch ms) -> writes in flight with it. */
  const inFlight = new Map<string, Map<number, number>>();
  return {
    begin(storeId, stored) {
      const ms = stored.getTime();
      let writes = inFlight.get(storeId);
      if (writes === undefined) inFlight.set(storeId, (writes = new Map<number, number>()));
      writes.set(ms, (writes.get(ms) ?? 0) + 1);
      let finished = false;
      return () => {
        if (finished) return;
        finished = true;
        const left = (writes.get(ms) ?? 1) - 1;
        if (left > 0) writes.set(ms, left);
        else writes.delete(ms);
        if (writes.size === 0 && inFlight.get(storeId) === writes) inFlight.delete(storeId);
      };
    },
    at(storeId, now) {
      // 1 ms before: a write that begins in this same millisecond takes `now` as its `stored`.
      let through = now.getTime() - Math.max(1, lagMs);
      for (const stored of inFlight.get(storeId)?.keys() ?? []) {
        through = Math.min(through, stored - 1);
      }
      return new Date(through);
    },
  };
}
