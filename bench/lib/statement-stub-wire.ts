// The pure half of the statement stub (statement-stub-worker.ts): where it can stand, and what it
// answers. No sockets here, so that tests can check it message by message.
import { BSON, Long } from 'mongodb';
import { COLLECTIONS } from '@cairn/store';

const OP_MSG = 2013;
const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1;
export const STUBBED_COLLECTION = 'statements';
/**
 * The collections a POST or GET of statements reads and writes: the statements, and the voids
 * recorded under their targets' ids (every POST asks whether any of its statements was voided).
 */
const STUBBED_COLLECTIONS: ReadonlySet<string> = new Set([
  STUBBED_COLLECTION,
  COLLECTIONS.statementVoids,
]);

/** The server the stub forwards to, and the URI a client uses to reach it through the stub. */
export interface StubTarget {
  readonly host: string;
  readonly port: number;
  /** The client's URI with `127.0.0.1:<port>` as its host. */
  stubUri(port: number): string;
}

/**
 * Options that would take a client around the stub or hide its commands from it: a replica set
 * name makes the driver find the members and talk to them directly, compression wraps OP_MSG in
 * OP_COMPRESSED, and the stub speaks plain TCP only.
 */
const DROPPED_OPTIONS = new Set(['replicaset', 'directconnection', 'compressors']);
const TLS_OPTIONS = new Set(['tls', 'ssl']);

/**
 * Reads a mongodb:// URI into a target the stub can stand in front of (its first host; the
 * credentials, database and other options kept), or a reason it cannot: mongodb+srv (hosts from
 * DNS) and TLS.
 */
export function stubTargetOf(uri: string): StubTarget | string {
  const match = /^mongodb:\/\/(?:([^@/]*)@)?([^/?]+)(\/[^?]*)?(?:\?(.*))?$/.exec(uri);
  if (match === null) return `the stub needs a mongodb:// URI (not mongodb+srv://)`;
  const [, userInfo, hosts = '', path = '/', query = ''] = match;
  const params = new URLSearchParams(query);
  for (const [key, value] of params) {
    if (TLS_OPTIONS.has(key.toLowerCase()) && value === 'true')
      return 'the stub cannot stand in front of a TLS connection';
  }
  const [first = ''] = hosts.split(',');
  const portMatch = /^(.*):(\d+)$/.exec(first);
  const kept = [...params].filter(([key]) => !DROPPED_OPTIONS.has(key.toLowerCase()));
  kept.push(['directConnection', 'true']);
  const search = new URLSearchParams(kept).toString();
  return {
    host: portMatch?.[1] ?? first,
    port: Number(portMatch?.[2] ?? 27017),
    stubUri: (port) =>
      `mongodb://${userInfo === undefined ? '' : `${userInfo}@`}127.0.0.1:${port}${path}?${search}`,
  };
}

/** The length of the first wire message in `buffer`, or null until all of it has arrived. */
export function messageLength(buffer: Buffer): number | null {
  if (buffer.length < HEADER_BYTES) return null;
  const length = buffer.readInt32LE(0);
  return buffer.length < length ? null : length;
}

/**
 * The command document (section kind 0) of an OP_MSG, and how many documents its kind-1 sections
 * carry (the driver sends an insert's documents as a sequence); null for any other message.
 */
export function readMsg(message: Buffer): { body: BSON.Document; sequenced: number } | null {
  if (message.readInt32LE(12) !== OP_MSG) return null;
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = message.length - ((flags & CHECKSUM_PRESENT) !== 0 ? 4 : 0);
  let at = HEADER_BYTES + 4;
  let body: BSON.Document | null = null;
  let sequenced = 0;
  while (at < end) {
    const kind = message[at];
    at += 1;
    const size = message.readInt32LE(at);
    if (kind === 0) {
      body = BSON.deserialize(message.subarray(at, at + size));
    } else {
      // int32 size (itself included), a cstring identifier, then documents up to the size.
      const sectionEnd = at + size;
      let doc = message.indexOf(0, at + 4) + 1;
      while (doc < sectionEnd) {
        sequenced += 1;
        doc += message.readInt32LE(doc);
      }
    }
    at += size;
  }
  return body === null ? null : { body, sequenced };
}

/** The reply the stub gives in place of the server, or null to pass the message on. */
export function stubReply(body: BSON.Document, sequenced: number): BSON.Document | null {
  const [command] = Object.keys(body);
  const collection: unknown = command === undefined ? undefined : body[command];
  if (typeof collection !== 'string' || !STUBBED_COLLECTIONS.has(collection)) return null;
  switch (command) {
    case 'insert': {
      const inline = Array.isArray(body['documents']) ? body['documents'].length : 0;
      return { n: inline + sequenced, ok: 1 };
    }
    case 'find':
      return {
        cursor: {
          firstBatch: [],
          id: Long.ZERO,
          ns: `${String(body['$db'])}.${collection}`,
        },
        ok: 1,
      };
    case 'update':
      return { n: 0, nModified: 0, ok: 1 };
    case 'delete':
      return { n: 0, ok: 1 };
    default:
      return null;
  }
}

/** An OP_MSG carrying `reply`, answering request `responseTo`. */
export function opMsg(requestId: number, responseTo: number, reply: BSON.Document): Buffer {
  const doc = BSON.serialize(reply);
  const header = Buffer.alloc(HEADER_BYTES + 5);
  header.writeInt32LE(header.length + doc.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16); // flag bits
  header.writeUInt8(0, 20); // section kind 0
  return Buffer.concat([header, doc]);
}
