export { COLLECTIONS } from './collections.js';
export { connectMongo, type MongoConnection, type MongoConnectOptions } from './connect.js';
export type { CredentialRecord, CredentialRepository } from './credentials.js';
export {
  documentEtag,
  MAX_DOCUMENT_BYTES,
  type DocumentAddress,
  type DocumentChange,
  type DocumentKind,
  type DocumentListEntry,
  type DocumentRepository,
  type DocumentSet,
  type StoredDocument,
} from './documents.js';
export { StoreErrors } from './errors.js';
export { redactUri } from './redact-uri.js';
export type {
  NewStatement,
  StatementIndexFields,
  StatementPage,
  StatementQuery,
  StatementRepository,
  StoredStatement,
} from './statements.js';
export { createMongoStore, type Store } from './store.js';
export { DEFAULT_STORE_ID, type TenantRecord, type TenantRepository } from './tenants.js';
export {
  MAX_ATTACHMENT_BYTES,
  type AttachmentRepository,
  type StoredAttachment,
} from './attachments.js';
