import { ALL_SCOPES, hashSecret } from '@cairn/auth';
import { DEFAULT_STORE_ID, type Store } from '@cairn/store';

export interface BootstrapCredential {
  readonly key: string;
  readonly secret: string;
}

/**
 * Makes sure the default store exists and, when a bootstrap credential is configured, that it
 * exists there with every scope. Idempotent: the same variables at every start change nothing
 * but the hash's salt; a new secret replaces the old one.
 */
export async function bootstrap(
  store: Store,
  credential: BootstrapCredential | null,
  now: Date,
): Promise<void> {
  await store.tenants.ensure(DEFAULT_STORE_ID, 'Default store', now);
  if (credential === null) return;
  const stored = await store.credentials.upsert({
    key: credential.key,
    storeId: DEFAULT_STORE_ID,
    secretHash: await hashSecret(credential.secret),
    scopes: [...ALL_SCOPES],
    label: 'bootstrap (CAIRN_BOOTSTRAP_KEY)',
    createdAt: now,
    revokedAt: null,
  });
  if (!stored) {
    throw new Error(`CAIRN_BOOTSTRAP_KEY ${credential.key} already belongs to another store`);
  }
}
