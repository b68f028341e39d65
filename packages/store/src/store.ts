import type { Db } from 'mongodb';
import { mongoAttachmentRepository, type AttachmentRepository } from './attachments.js';
import { mongoCredentialRepository, type CredentialRepository } from './credentials.js';
import { KeyedSerializer, mongoDocumentRepository, type DocumentRepository } from './documents.js';
import { ensureIndexes } from './indexes.js';
import { mongoStatementRepository, type StatementRepository } from './statements.js';
import { mongoTenantRepository, type TenantRepository } from './tenants.js';

/** Everything the services and workers may ask of storage, without MongoDB types. */
export interface Store {
  readonly tenants: TenantRepository;
  readonly credentials: CredentialRepository;
  /** The statements of one store: the only way to reach them, so no query can forget the store. */
  statementsOf(storeId: string): StatementRepository;
  /** The attachment content of one store, by SHA-2. */
  attachmentsOf(storeId: string): AttachmentRepository;
  /** The state, activity profile and agent profile documents of one store. */
  documentsOf(storeId: string): DocumentRepository;
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
  ensureIndexes(): Promise<void>;
}

export function createMongoStore(db: Db): Store {
  // Shared by every repository of this store, so that writes to one document queue up.
  const documentWrites = new KeyedSerializer();
  return {
    tenants: mongoTenantRepository(db),
    credentials: mongoCredentialRepository(db),
    statementsOf: (storeId) => mongoStatementRepository(db, storeId),
    attachmentsOf: (storeId) => mongoAttachmentRepository(db, storeId),
    documentsOf: (storeId) => mongoDocumentRepository(db, storeId, documentWrites),
    async ping() {
      await db.command({ ping: 1 });
    },
    ensureIndexes: () => ensureIndexes(db),
  };
}
