import { MongoClient, type Db } from 'mongodb';
import { StoreErrors } from './errors.js';
import { redactUri } from './redact-uri.js';

export interface MongoConnectOptions {
  readonly uri: string;
  readonly database: string;
  /** How long to wait for a reachable server before giving up. */
  readonly timeoutMs?: number;
  /** Shown in the server's logs and currentOp. */
  readonly appName?: string;
  /**
   * After the connection is made, how long one operation may wait for a server, a pooled
   * connection or a reply before it fails with an error that `isDatabaseUnavailable` recognises
   * (the services' request budget, CAIRN_REQUEST_TIMEOUT_MS). Absent: no limit on a reply (the
   * workers' long reads), server selection within `timeoutMs`.
   */
  readonly operationTimeoutMs?: number;
}

export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  close(): Promise<void>;
}

/**
 * Connects and proves the server answers, within `timeoutMs` (default 5 s), so that a wrong
 * MONGODB_URI stops start-up quickly with a message that names the server instead of hanging.
 */
export async function connectMongo(options: MongoConnectOptions): Promise<MongoConnection> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const budget = options.operationTimeoutMs === 0 ? undefined : options.operationTimeoutMs;
  const client = new MongoClient(options.uri, {
    serverSelectionTimeoutMS: budget === undefined ? timeoutMs : Math.min(timeoutMs, budget),
    connectTimeoutMS: timeoutMs,
    ...(budget === undefined ? {} : { socketTimeoutMS: budget, waitQueueTimeoutMS: budget }),
    appName: options.appName ?? 'cairn',
  });
  try {
    await client.connect();
    const db = client.db(options.database);
    await db.command({ ping: 1 });
    return { client, db, close: () => client.close() };
  } catch (cause) {
    await client.close().catch(() => undefined);
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new StoreErrors.unreachable(redactUri(options.uri), reason);
  }
}
