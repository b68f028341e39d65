import { randomBytes } from 'node:crypto';
import { hashSecret, isScope, type Scope } from '@cairn/auth';
import type { CredentialRecord, Store, TenantRecord } from '@cairn/store';
import { checkOriginList } from '../cors/origins.js';
import { AdminErrors } from './admin-errors.js';

/** Longest store name or credential label, in characters. */
export const MAX_NAME_LENGTH = 200;

/** A store as the admin API and the CLI show it. */
export interface StoreSummary {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  /** Origins whose pages may use the store's credentials; null: the installation's list. */
  readonly corsOrigins: readonly string[] | null;
}

/** What a store update may change; an absent property is left as it is. */
export interface StoreUpdate {
  readonly name?: string | undefined;
  /** `['*']` for any origin, a list of origins, or null for the installation's list. */
  readonly corsOrigins?: readonly string[] | null | undefined;
}

/** A store with its statistics. */
export interface StoreDetails extends StoreSummary {
  /** Every statement stored, voided and voiding ones included. */
  readonly statementCount: number;
  /** When the latest statement was stored; null before the first. */
  readonly lastStored: Date | null;
}

/** A credential as listed: never its secret nor the secret's hash. */
export interface CredentialSummary {
  readonly key: string;
  readonly storeId: string;
  readonly scopes: readonly string[];
  readonly label: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** A credential just made: the only time its secret is ever shown. */
export interface NewCredential extends CredentialSummary {
  readonly secret: string;
}

export interface CredentialRequest {
  readonly scopes: readonly string[];
  /** Defaults to an empty label. */
  readonly label?: string | undefined;
}

/**
 * What the admin API and the CLI can do, in one place, so that both apply the same rules. Access
 * control is the caller's: the routes check the principal, the CLI has the database itself.
 */
export interface AdminOperations {
  createStore(name: string): Promise<StoreSummary>;
  /** Every store, oldest first. */
  listStores(): Promise<StoreSummary[]>;
  /**
   * Renames the store or sets its CORS origins; `ADMIN_ERR_STORE_NOT_FOUND` when it does not
   * exist. Every LRS process applies new origins within 5 s.
   */
  updateStore(storeId: string, update: StoreUpdate): Promise<StoreSummary>;
  /** The store with its statistics; `ADMIN_ERR_STORE_NOT_FOUND` when it does not exist. */
  storeStats(storeId: string): Promise<StoreDetails>;
  /**
   * Makes a credential in the store with a generated key (`ck_...`) and secret; only the secret's
   * scrypt hash is stored, so the secret in the answer cannot be shown again.
   */
  createCredential(storeId: string, request: CredentialRequest): Promise<NewCredential>;
  /** The store's credentials, revoked ones included, oldest first. */
  listCredentials(storeId: string): Promise<CredentialSummary[]>;
  /**
   * Revokes the credential (again is fine). Every LRS process refuses it once its cached
   * verification expires (5 s by default); the caller makes its own process forget it at once.
   */
  revokeCredential(storeId: string, key: string): Promise<void>;
}

export interface AdminOperationsOptions {
  readonly store: Store;
  /** The clock for `createdAt` and `revokedAt`; tests inject one. */
  readonly now?: () => Date;
}

/** 96 random bits: a key is public, so it only needs to be unique and hard to guess. */
function newKey(): string {
  return `ck_${randomBytes(12).toString('hex')}`;
}

/** 256 random bits, base64url (43 characters). */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The trimmed text, or ADMIN_ERR_INVALID naming `field`. Control characters are refused. */
function checkText(field: string, value: string, required: boolean): string {
  const text = value.trim();
  if (required && text === '') throw new AdminErrors.invalid(field, 'must not be empty');
  if (text.length > MAX_NAME_LENGTH) {
    throw new AdminErrors.invalid(field, `must be at most ${MAX_NAME_LENGTH} characters`);
  }
  // eslint-disable-next-line no-control-regex -- exactly what is being refused
  if (/[\u0000-\u001f\u007f]/u.test(text)) {
    throw new AdminErrors.invalid(field, 'must not contain control characters');
  }
  return text;
}

function checkScopes(scopes: readonly string[]): Scope[] {
  if (scopes.length === 0) throw new AdminErrors.invalid('scopes', 'must name at least one scope');
  const known: Scope[] = [];
  for (const scope of scopes) {
    if (!isScope(scope)) throw new AdminErrors.unknownScope(JSON.stringify(scope));
    if (!known.includes(scope)) known.push(scope);
  }
  return known;
}

const storeSummary = (t: TenantRecord): StoreSummary => ({
  id: t.id,
  name: t.name,
  createdAt: t.createdAt,
  corsOrigins: t.corsOrigins === null ? null : [...t.corsOrigins],
});

function checkOrigins(origins: readonly string[] | null): string[] | null {
  if (origins === null) return null;
  const checked = checkOriginList(origins);
  if (!checked.ok) throw new AdminErrors.invalid('corsOrigins', checked.problem);
  return checked.origins;
}

const credentialSummary = (c: CredentialRecord): CredentialSummary => ({
  key: c.key,
  storeId: c.storeId,
  scopes: [...c.scopes],
  label: c.label,
  createdAt: c.createdAt,
  revokedAt: c.revokedAt,
});

export function createAdminOperations(options: AdminOperationsOptions): AdminOperations {
  const { store } = options;
  const now = options.now ?? (() => new Date());

  async function existingStore(storeId: string): Promise<TenantRecord> {
    const tenant = await store.tenants.get(storeId);
    if (tenant === null) throw new AdminErrors.storeNotFound(storeId);
    return tenant;
  }

  return {
    async createStore(name) {
      return storeSummary(await store.tenants.create(checkText('name', name, true), now()));
    },

    async listStores() {
      return (await store.tenants.list()).map(storeSummary);
    },

    async updateStore(storeId, update) {
      const name = update.name === undefined ? undefined : checkText('name', update.name, true);
      const corsOrigins =
        update.corsOrigins === undefined ? undefined : checkOrigins(update.corsOrigins);
      const updated = await store.tenants.update(storeId, {
        ...(name !== undefined ? { name } : {}),
        ...(corsOrigins !== undefined ? { corsOrigins } : {}),
      });
      if (updated === null) throw new AdminErrors.storeNotFound(storeId);
      return storeSummary(updated);
    },

    async storeStats(storeId) {
      const tenant = await existingStore(storeId);
      const stats = await store.statisticsOf(tenant.id);
      return { ...storeSummary(tenant), ...stats };
    },

    async createCredential(storeId, request) {
      const scopes = checkScopes(request.scopes);
      const label = checkText('label', request.label ?? '', false);
      const tenant = await existingStore(storeId);
      const secret = newSecret();
      const record: CredentialRecord = {
        key: newKey(),
        storeId: tenant.id,
        secretHash: await hashSecret(secret),
        scopes,
        label,
        createdAt: now(),
        revokedAt: null,
      };
      // 96 random bits do not clash in practice; should one, a key of another store is left as is.
      if (!(await store.credentials.upsert(record))) {
        throw new Error(`generated credential key ${record.key} is already taken`);
      }
      return { ...credentialSummary(record), secret };
    },

    async listCredentials(storeId) {
      const tenant = await existingStore(storeId);
      return (await store.credentials.listByStore(tenant.id)).map(credentialSummary);
    },

    async revokeCredential(storeId, key) {
      const tenant = await existingStore(storeId);
      if (!(await store.credentials.revoke(tenant.id, key, now()))) {
        throw new AdminErrors.credentialNotFound(key, tenant.id);
      }
    },
  };
}
