// Ports and readiness polling. Node's standard library only.
import { createServer, connect } from 'node:net';
import { get } from 'node:http';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true once `host:port` accepts TCP connections, false after `timeoutMs`. */
export async function waitForTcp(host, port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return true;
    await delay(100);
  }
  return false;
}

/** GETs `url` until it answers 200 or `timeoutMs` passes; resolves the last status (0: no answer). */
export async function waitForHttp(url, timeoutMs, isStopped = () => false) {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline && !isStopped()) {
    status = await new Promise((resolve) => {
      const req = get(url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', () => resolve(0));
      req.setTimeout(2000, () => req.destroy());
    });
    if (status === 200) return status;
    await delay(200);
  }
  return status;
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
