import { createHash } from 'node:crypto';
import { Binary, type Db, type Filter } from 'mongodb';
import { isDuplicateKey } from './duplicate-keys.js';
import { COLLECTIONS } from './collections.js';
import { StoreErrors } from './errors.js';

/**
 * Largest content one document can hold. A MongoDB document stops at 16 MiB; the
 * rest of ours is the address (an activity IRI, an agent key and an id from a URL) and a few
 * fields. Services cap their configured limit at this.
 */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 - 64 * 1024;

/** The three xAPI document resources (xAPI Communication 2.2). */
export type DocumentKind = 'state' | 'activityProfile' | 'agentProfile';

/** Which document, within a store. Fields a kind does not use are null. */
export interface DocumentAddress {
  readonly kind: DocumentKind;
  /** The activity: state and activity profile documents. */
  readonly activityId: string | null;
  /** Canonical IFI key of the agent (`agentKey` of @cairn/xapi): state and agent profile. */
  readonly agentKey: string | null;
  /** Registration of a state document (lower-case UUID); null when none was given. */
  readonly registration: string | null;
  /** The `stateId` or `profileId`. */
  readonly documentId: string;
}

/** A set of documents: those of one activity and/or agent. */
export interface DocumentSet {
  readonly kind: DocumentKind;
  readonly activityId: string | null;
  readonly agentKey: string | null;
  /** A registration, null for documents stored without one, undefined for any registration. */
  readonly registration?: string | null;
}

/** A document as stored. */
export interface StoredDocument {
  /** The content exactly as it was stored. */
  readonly content: Buffer;
  readonly contentType: string;
  /** Lower-case hex SHA-1 of `content` (xAPI Communication 3.1: the ETag, unquoted). */
  readonly etag: string;
  readonly updated: Date;
}

/** What {@link DocumentRepository.change} is to do with the document it read. */
export type DocumentChange =
  | {
      readonly action: 'put';
      readonly content: Buffer;
      readonly contentType: string;
      readonly updated: Date;
    }
  | { readonly action: 'delete' }
  | { readonly action: 'keep' };

/** One document of a set, as listed: its id and when it was last written. */
export interface DocumentListEntry {
  readonly documentId: string;
  readonly updated: Date;
}

/** Port: the state and profile documents of one store. Every method is scoped by its store id. */
export interface DocumentRepository {
  get(address: DocumentAddress): Promise<StoredDocument | null>;
  /**
   * Reads the document, asks `decide` what to do with it, and does that only if the document is
   * still as read, so that no writer overwrites a change it has not seen. When another writer got
   * in between, `decide` is asked again about the new document; it may throw to refuse (a failed
   * precondition). Returns the document as it is afterwards (null when there is none).
   */
  change(
    address: DocumentAddress,
    decide: (current: StoredDocument | null) => DocumentChange,
  ): Promise<StoredDocument | null>;
  /** Ids and update times of the documents of a set, updated after `since` when given. */
  list(set: DocumentSet, since?: Date): Promise<DocumentListEntry[]>;
  /** Deletes every document of a set; returns how many there were. */
  deleteAll(set: DocumentSet): Promise<number>;
  /**
   * Deletes every state and agent profile document of these agents, of any activity and
   * registration (an erasure); returns how many there were.
   */
  deleteOfAgents(agentKeys: readonly string[]): Promise<number>;
}

interface DocumentDoc {
  /** `${storeId}|${kind}|${sha256 of the rest of the address}`: see {@link docId}. */
  _id: string;
  storeId: string;
  kind: DocumentKind;
  activityId: string | null;
  agentKey: string | null;
  registration: string | null;
  documentId: string;
  content: Binary;
  contentType: string;
  etag: string;
  length: number;
  updated: Date;
}

/** Rounds of read-decide-write before a change gives up on a document that keeps changing. */
const MAX_ATTEMPTS = 5;

/**
 * The address as the document id, so that the address is the one unique key and a lookup is a
 * key lookup. The activity IRI, agent key and document id are
 * unbounded client strings, so they are hashed (JSON of the tuple: no separator ambiguity) into a
 * fixed-length id; the fields themselves are stored beside it for the set queries.
 */
function docId(storeId: string, a: DocumentAddress): string {
  const rest = JSON.stringify([a.activityId, a.agentKey, a.registration, a.documentId]);
  return `${storeId}|${a.kind}|${createHash('sha256').update(rest, 'utf8').digest('hex')}`;
}

function setFilter(storeId: string, set: DocumentSet): Filter<DocumentDoc> {
  return {
    storeId,
    kind: set.kind,
    activityId: set.activityId,
    agentKey: set.agentKey,
    ...(set.registration !== undefined ? { registration: set.registration } : {}),
  };
}

function toStored(d: DocumentDoc): StoredDocument {
  const bytes = d.content.buffer;
  return {
    content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    contentType: d.contentType,
    etag: d.etag,
    updated: d.updated,
  };
}

/** Lower-case hex SHA-1 of the content: the document's ETag. */
export function documentEtag(content: Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

/**
 * Runs tasks one at a time per key within this process. Correctness does not depend on it: the
 * conditional writes below are atomic on every server (a filtered update or delete, an insert),
 * so writers in several processes stay exact. It saves work: requests of one process to one
 * document (a course saving its state in bursts) queue here instead of racing each other's
 * compare-and-swap and retrying, which under heavy contention could run out of attempts (409).
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release = (): void => undefined;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** The MongoDB adapter of {@link DocumentRepository} for one store. */
export function mongoDocumentRepository(
  db: Db,
  storeId: string,
  serializer: KeyedSerializer,
): DocumentRepository {
  const col = db.collection<DocumentDoc>(COLLECTIONS.documents);

  /**
   * One round: applies `change` if the document is still `current`. False when another writer got
   * there first (the insert clashed or the filtered update or delete matched nothing).
   */
  async function apply(
    id: string,
    address: DocumentAddress,
    current: DocumentDoc | null,
    change: DocumentChange,
  ): Promise<boolean> {
    const asRead: Filter<DocumentDoc> =
      current === null ? { _id: id } : { _id: id, etag: current.etag, updated: current.updated };
    if (change.action === 'keep') return true;
    if (change.action === 'delete') {
      if (current === null) return true;
      return (await col.deleteOne(asRead)).deletedCount === 1;
    }
    if (change.content.length > MAX_DOCUMENT_BYTES) {
      throw new StoreErrors.failed(
        `a document of ${change.content.length} bytes is more than one database document holds`,
      );
    }
    const fields = {
      content: new Binary(change.content),
      contentType: change.contentType,
      etag: documentEtag(change.content),
      length: change.content.length,
      updated: change.updated,
    };
    if (current === null) {
      try {
        // An insert, not an upsert: if another writer created the document meanwhile, this one
        // must see it first.
        await col.insertOne({
          _id: id,
          storeId,
          kind: address.kind,
          activityId: address.activityId,
          agentKey: address.agentKey,
          registration: address.registration,
          documentId: address.documentId,
          ...fields,
        });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    }
    return (await col.updateOne(asRead, { $set: fields })).matchedCount === 1;
  }

  return {
    async get(address) {
      try {
        const found = await col.findOne({ _id: docId(storeId, address) });
        return found === null ? null : toStored(found);
      } catch (error) {
        throw StoreErrors.wrap(error);
      }
    },

    change(address, decide) {
      const id = docId(storeId, address);
      return serializer.run(id, async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          let current: DocumentDoc | null;
          try {
            current = await col.findOne({ _id: id });
          } catch (error) {
            throw StoreErrors.wrap(error);
          }
          // `decide` runs outside the try: its errors (412, 409, 400) reach the caller as they are.
          const change = decide(current === null ? null : toStored(current));
          let applied: boolean;
          try {
            applied = await apply(id, address, current, change);
          } catch (error) {
            throw error instanceof StoreErrors.failed ? error : StoreErrors.wrap(error);
          }
          if (!applied) continue;
          if (change.action === 'put') {
            return {
              content: change.content,
              contentType: change.contentType,
              etag: documentEtag(change.content),
              updated: change.updated,
            };
          }
          return change.action === 'delete' || current === null ? null : toStored(current);
        }
        throw new StoreErrors.conflict(
          `the document changed ${MAX_ATTEMPTS} times while this request was applied; retry`,
        );
      });
    },

    async list(set, since) {
      try {
        const found = await col
          .find(
            {
              ...setFilter(storeId, set),
              ...(since !== undefined ? { updated: { $gt: since } } : {}),
            },
            { projection: { _id: 0, documentId: 1, updated: 1 } },
          )
          .toArray();
        return found.map((d) => ({ documentId: d.documentId, updated: d.updated }));
      } catch (error) {
        throw StoreErrors.wrap(error);
      }
    },

    async deleteAll(set) {
      try {
        return (await col.deleteMany(setFilter(storeId, set))).deletedCount;
      } catch (error) {
        throw StoreErrors.wrap(error);
      }
    },

    async deleteOfAgents(agentKeys) {
      if (agentKeys.length === 0) return 0;
      const keys = [...new Set(agentKeys)];
      try {
        // Agent profiles: served by store_kind_set_updated (their activityId is null).
        const profiles = await col.deleteMany({
          storeId,
          kind: 'agentProfile',
          activityId: null,
          agentKey: { $in: keys },
        });
        // State documents of any activity: the store's state documents are read (a scan by
        // design, query-catalogue.ts): only an erasure asks.
        const states = await col.deleteMany({ storeId, kind: 'state', agentKey: { $in: keys } });
        return profiles.deletedCount + states.deletedCount;
      } catch (error) {
        throw StoreErrors.wrap(error);
      }
    },
  };
}
