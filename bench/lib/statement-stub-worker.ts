// The statement stub's child process (statement-stub.ts): a MongoDB wire-protocol proxy that
// answers the commands on the `statements` and `statement_voids` collections at once (an insert succeeds, a find finds
// nothing, an update changes nothing) and passes every other message to the real server byte for
// byte. An LRS pointed at it does all of its own work for a POST (HTTP, auth, validation,
// preparation, BSON, the driver, the socket, the Redis enqueue) while the database's share is
// near zero: what the API costs on a server that keeps up, apart from the local server's share.
import { createConnection, createServer, type Socket } from 'node:net';
import { messageLength, opMsg, readMsg, stubReply } from './statement-stub-wire.js';

let nextRequestId = 1;

/**
 * One client connection, one upstream connection. The driver waits for each reply before it sends
 * the next command on a connection, so a stubbed reply never overtakes a forwarded one.
 */
function serve(client: Socket, host: string, port: number): void {
  const server = createConnection({ host, port });
  server.setNoDelay(true);
  client.setNoDelay(true);
  server.pipe(client);
  let pending: Buffer = Buffer.alloc(0);
  client.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (let length = messageLength(pending); length !== null; length = messageLength(pending)) {
      const message = pending.subarray(0, length);
      pending = pending.subarray(length);
      const parsed = readMsg(message);
      const reply = parsed === null ? null : stubReply(parsed.body, parsed.sequenced);
      if (reply === null) server.write(message);
      else client.write(opMsg(nextRequestId++, message.readInt32LE(4), reply));
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

const [host, port] = process.argv.slice(2);
if (host === undefined || port === undefined) {
  throw new Error('usage: statement-stub-worker <upstream host> <upstream port>');
}
const listener = createServer((client) => serve(client, host, Number(port)));
listener.listen(0, '127.0.0.1', () => {
  const address = listener.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.send?.({ port: address.port });
});
process.on('disconnect', () => {
  listener.close();
  process.exit(0);
});
