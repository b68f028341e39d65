import { Binary, type Db } from 'mongodb';
import { isDuplicateKey } from './duplicate-keys.js';
import { COLLECTIONS } from './collections.js';
import { StoreErrors } from './errors.js';

/**
 * Largest attachment content one document can hold. A document is at most 16 MiB on MongoDB and
 * on the local server; the rest of the document is a few hundred bytes. Services cap
 * their per-attachment limit at this.
 */
export const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024 - 64 * 1024;

/** Attachment content as stored: addressed by its SHA-2 within a store. */
export interface StoredAttachment {
  /** Lowercase hex SHA-2 of `body`. */
  readonly sha2: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Port: attachment content of one store, by hash. Content is immutable: one hash is one content,
 * so statements that share an attachment share one copy.
 */
export interface AttachmentRepository {
  /**
   * Stores content under its hash (which the caller has verified). Idempotent: when the hash is
   * already stored nothing changes, since the same hash is the same content.
   */
  put(sha2: string, contentType: string, body: Buffer): Promise<void>;
  /** The stored attachments among `hashes` (any order; unknown hashes are left out). */
  getMany(hashes: readonly string[]): Promise<StoredAttachment[]>;
  /**
   * Deletes the content of these hashes (an erasure, for attachments no remaining statement
   * holds: StatementRepository.attachmentsInUse); returns how many were stored.
   */
  deleteMany(hashes: readonly string[]): Promise<number>;
}

interface AttachmentDoc {
  /** `${storeId}|${sha2}`: a lookup by hash is a key lookup, no other index is needed. */
  _id: string;
  storeId: string;
  sha2: string;
  contentType: string;
  length: number;
  content: Binary;
  created: Date;
}

function docId(storeId: string, sha2: string): string {
  return `${storeId}|${sha2.toLowerCase()}`;
}

export function mongoAttachmentRepository(db: Db, storeId: string): AttachmentRepository {
  const col = db.collection<AttachmentDoc>(COLLECTIONS.attachments);
  return {
    async put(sha2, contentType, body) {
      if (body.length > MAX_ATTACHMENT_BYTES) {
        throw new StoreErrors.failed(
          `attachment ${sha2} is ${body.length} bytes, more than one document holds`,
        );
      }
      try {
        // An insert, not an upsert: the first copy wins and is never rewritten.
        await col.insertOne({
          _id: docId(storeId, sha2),
          storeId,
          sha2: sha2.toLowerCase(),
          contentType,
          length: body.length,
          content: new Binary(body),
          created: new Date(),
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw StoreErrors.wrap(error);
      }
    },

    async getMany(hashes) {
      if (hashes.length === 0) return [];
      const ids = [...new Set(hashes.map((h) => docId(storeId, h)))];
      const docs = await col.find({ _id: { $in: ids } }).toArray();
      return docs.map((d) => {
        const bytes = d.content.buffer;
        return {
          sha2: d.sha2,
          contentType: d.contentType,
          body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        };
      });
    },

    async deleteMany(hashes) {
      if (hashes.length === 0) return 0;
      const ids = [...new Set(hashes.map((h) => docId(storeId, h)))];
      return (await col.deleteMany({ _id: { $in: ids } })).deletedCount;
    },
  };
}
