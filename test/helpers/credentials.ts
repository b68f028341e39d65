import { randomBytes } from 'node:crypto';
import { hashSecret, type Scope } from '@cairn/auth';
import type { Store } from '@cairn/store';

/**
 * Creates a credential in `storeId` with `scopes` and returns its Authorization header value.
 * Tenants are created as needed.
 */
export async function basicAuth(
  store: Store,
  storeId: string,
  scopes: readonly Scope[],
): Promise<string> {
  const key = `key-${randomBytes(6).toString('hex')}`;
  const secret = randomBytes(18).toString('base64url');
  await store.tenants.ensure(storeId, storeId, new Date());
  await store.credentials.upsert({
    key,
    storeId,
    secretHash: await hashSecret(secret),
    scopes: [...scopes],
    label: `test ${scopes.join(' ')}`,
    createdAt: new Date(),
    revokedAt: null,
  });
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}
