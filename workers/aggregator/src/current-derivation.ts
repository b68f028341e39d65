import { derivationOf, type Derivation } from '@cairn/analytics';
import type { Store } from '@cairn/store';

/**
 * The verb table and rules a store's evidence is derived with now, read afresh every time (one
 * small read per batch). No cache on purpose: a statement stored after a settings change must
 * not be derived under the older settings once the re-derivation's scan has passed it, and a
 * fresh read is what guarantees it (docs/pipeline.md, "Rule changes").
 */
export async function currentDerivation(store: Store, storeId: string): Promise<Derivation> {
  return derivationOf(await store.skillSettingsOf(storeId).derivationSettings());
}
