// The statement stub's child process (statement-stub.ts): a MongoDB wire-protocol proxy that
// answers the commands on the `statements` collection at once (an insert succeeds, a find finds
// nothing, an update changes nothing) and passes every other message to the real server byte for
// byte. An LRS pointed at it does all of its own work for a POST (HTTP, auth, validation,
// preparation, BSON, the driver, the socket, the Redis enqueue) while the database's share is
// near zero: what the API costs on a server that keeps up, which FerretDB here cannot.
import { createConnection, createServer, type Socket } from 'node:net';
import { BSON, Long } from 'mongodb';

const OP_MSG = 2013;
const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1;
const STUBBED_COLLECTION = 'statements';

interface Upstream {
  readonly host: string;
  readonly port: number;
}

/** The first host of a mongodb:// URI. */
function upstreamOf(uri: string): Upstream {
  const match = /^mongodb:\/\/(?:[^@/]*@)?([^:/,?]+)(?::(\d+))?/.exec(uri);
  if (match === null) throw new Error(`statement stub: cannot read a host from ${uri}`);
  return { host: match[1] ?? '127.0.0.1', port: Number(match[2] ?? 27017) };
}

/** The command document (section kind 0) and the documents of kind-1 sections of an OP_MSG. */
function readMsg(message: Buffer): { body: BSON.Document; sequenced: number } | null {
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
function stubReply(body: BSON.Document, sequenced: number): BSON.Document | null {
  const [command] = Object.keys(body);
  if (command === undefined || body[command] !== STUBBED_COLLECTION) return null;
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
          ns: `${String(body['$db'])}.${STUBBED_COLLECTION}`,
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

let nextRequestId = 1;

function opMsg(responseTo: number, reply: BSON.Document): Buffer {
  const doc = BSON.serialize(reply);
  const header = Buffer.alloc(HEADER_BYTES + 5);
  header.writeInt32LE(header.length + doc.length, 0);
  header.writeInt32LE(nextRequestId++, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16); // flag bits
  header.writeUInt8(0, 20); // section kind 0
  return Buffer.concat([header, doc]);
}

/**
 * One client connection, one upstream connection. The driver waits for each reply before it sends
 * the next command on a connection, so a stubbed reply never overtakes a forwarded one.
 */
function serve(client: Socket, upstream: Upstream): void {
  const server = createConnection(upstream);
  server.setNoDelay(true);
  client.setNoDelay(true);
  server.pipe(client);
  let pending: Buffer = Buffer.alloc(0);
  client.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= HEADER_BYTES) {
      const length = pending.readInt32LE(0);
      if (pending.length < length) break;
      const message = pending.subarray(0, length);
      pending = pending.subarray(length);
      const parsed = message.readInt32LE(12) === OP_MSG ? readMsg(message) : null;
      const reply = parsed === null ? null : stubReply(parsed.body, parsed.sequenced);
      if (reply === null) server.write(message);
      else client.write(opMsg(message.readInt32LE(4), reply));
    }
  });
  const closeBoth = () => {
    client.destroy();
    server.destroy();
  };
  client.on('close', closeBoth);
  server.on('close', closeBoth);
  client.on('error', closeBoth);
  server.on('error', closeBoth);
}

const upstreamUri = process.argv[2];
if (upstreamUri === undefined) throw new Error('usage: statement-stub-worker <mongodb uri>');
const upstream = upstreamOf(upstreamUri);
const listener = createServer((client) => serve(client, upstream));
listener.listen(0, '127.0.0.1', () => {
  const address = listener.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.send?.({ port: address.port });
});
process.on('disconnect', () => {
  listener.close();
  process.exit(0);
});
