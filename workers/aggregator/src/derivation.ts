import { derivationOf, type Derivation } from '@cairn/analytics';
import type { Store } from '@cairn/store';

/** How long a store's derivation is reused before its settings are read again. */
export const DERIVATION_TTL_MS = 2000;

export interface DerivationLoaderOptions {
  /** Default {@link DERIVATION_TTL_MS}. */
  readonly ttlMs?: number;
  /** Milliseconds; tests inject a clock. */
  readonly now?: () => number;
}

/** Loads the tables a store's evidence is derived with; see {@link createDerivationLoader}. */
export type DerivationLoader = (store: Store, storeId: string) => Promise<Derivation>;

interface Cached {
  readonly until: number;
  readonly derivation: Promise<Derivation>;
}

/**
 * A loader of `{ generation, verbs, rules }` (what `statementEvidence` needs) that reads a
 * store's settings at most once per `ttlMs`, so that a batch of jobs does not read them per
 * statement. Concurrent loads of one store share one read; a failed read is not kept. A change
 * of settings is seen within `ttlMs`: evidence derived in between carries the older generation,
 * which is what the re-derivation after a rule change compares with.
 */
export function createDerivationLoader(options: DerivationLoaderOptions = {}): DerivationLoader {
  const ttlMs = options.ttlMs ?? DERIVATION_TTL_MS;
  const now = options.now ?? Date.now;
  // Keyed by the Store object too: tests and tools may hold several, each on its own database.
  const caches = new WeakMap<Store, Map<string, Cached>>();
  return (store, storeId) => {
    let cache = caches.get(store);
    if (cache === undefined) {
      cache = new Map();
      caches.set(store, cache);
    }
    const at = now();
    const hit = cache.get(storeId);
    if (hit !== undefined && at < hit.until) return hit.derivation;
    const derivation = store
      .skillSettingsOf(storeId)
      .derivationSettings()
      .then((settings) => derivationOf(settings));
    const entry = { until: at + ttlMs, derivation };
    const map = cache;
    map.set(storeId, entry);
    void derivation.catch(() => {
      if (map.get(storeId) === entry) map.delete(storeId);
    });
    return derivation;
  };
}

/** The process's loader, with the default time to live. */
export const loadDerivation: DerivationLoader = createDerivationLoader();
