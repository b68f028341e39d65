import t from 'tap';
import { BSON } from 'mongodb';
import {
  messageLength,
  opMsg,
  readMsg,
  stubReply,
  stubTargetOf,
} from '../../../bench/lib/statement-stub-wire.js';

/** An OP_MSG as the driver sends an insert: the command in kind 0, the documents in kind 1. */
function insertMsg(requestId: number, documents: BSON.Document[]): Buffer {
  const body = BSON.serialize({ insert: 'statements', ordered: false, $db: 'cairn' });
  const docs = documents.map((d) => BSON.serialize(d));
  const identifier = Buffer.from('documents\0');
  const sequenceSize = 4 + identifier.length + docs.reduce((n, d) => n + d.length, 0);
  const sequenceHeader = Buffer.alloc(5);
  sequenceHeader.writeUInt8(1, 0);
  sequenceHeader.writeInt32LE(sequenceSize, 1);
  const parts = [Buffer.from([0]), body, sequenceHeader, identifier, ...docs];
  const header = Buffer.alloc(20);
  const length = 20 + parts.reduce((n, p) => n + p.length, 0);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(0, 16);
  return Buffer.concat([header, ...parts]);
}

t.test('an insert on statements is answered with as many documents as it carried', async (t) => {
  const message = insertMsg(7, [{ _id: 'a' }, { _id: 'b' }, { _id: 'c' }]);
  t.equal(messageLength(message.subarray(0, 10)), null, 'not even a header yet');
  t.equal(messageLength(message.subarray(0, message.length - 1)), null, 'one byte short');
  t.equal(messageLength(Buffer.concat([message, message])), message.length);
  const parsed = readMsg(message);
  t.equal(parsed?.sequenced, 3);
  const reply = parsed === null ? null : stubReply(parsed.body, parsed.sequenced);
  t.same(reply, { n: 3, ok: 1 });
  const answer = opMsg(1, 7, reply ?? {});
  t.equal(answer.readInt32LE(0), answer.length);
  t.equal(answer.readInt32LE(8), 7, 'answers the request it read');
  t.same(readMsg(answer)?.body, { n: 3, ok: 1 });
});

t.test('finds and updates on statements find and change nothing; others pass', async (t) => {
  const find = stubReply({ find: 'statements', filter: {}, $db: 'cairn' }, 0);
  t.same(find?.['cursor'], { firstBatch: [], id: BSON.Long.ZERO, ns: 'cairn.statements' });
  t.same(stubReply({ update: 'statements', $db: 'cairn' }, 1), { n: 0, nModified: 0, ok: 1 });
  t.equal(stubReply({ find: 'credentials', $db: 'cairn' }, 0), null, 'another collection');
  t.equal(stubReply({ createIndexes: 'statements', $db: 'cairn' }, 0), null, 'not stubbed');
  const legacy = Buffer.alloc(20);
  legacy.writeInt32LE(20, 0);
  legacy.writeInt32LE(2004, 12); // OP_QUERY, the legacy handshake
  t.equal(readMsg(legacy), null, 'a message that is not OP_MSG passes as it is');
});

t.test('the stub URI keeps what the client needs and drops what would go around it', async (t) => {
  const target = stubTargetOf(
    'mongodb://user:pw@db1:27018,db2:27019/cairn?replicaSet=rs0&authSource=admin&compressors=zstd',
  );
  if (typeof target === 'string') throw new Error(target);
  t.equal(target.host, 'db1');
  t.equal(target.port, 27018);
  t.equal(
    target.stubUri(4000),
    'mongodb://user:pw@127.0.0.1:4000/cairn?authSource=admin&directConnection=true',
  );
  const local = stubTargetOf('mongodb://127.0.0.1:46127/?directConnection=true');
  t.equal(
    typeof local === 'string' ? local : local.stubUri(5),
    'mongodb://127.0.0.1:5/?directConnection=true',
  );
  t.match(stubTargetOf('mongodb+srv://cluster.example.org/'), /mongodb\+srv/);
  t.match(stubTargetOf('mongodb://db:27017/?tls=true'), /TLS/);
});
