import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fastify, type FastifyInstance } from 'fastify';
import { MongoClient } from 'mongodb';
import type { Redis } from 'ioredis';
import { loadConfig } from '@cairn/config';
import { createRedis, createStatementBatchQueue } from '@cairn/jobs';
import { bootstrap, buildApp, lrsConfigSpec, type LrsConfig } from '@cairn/lrs';
import { createMongoStore, type Store } from '@cairn/store';
import { countRedisCommands, type RedisCommandCounter } from './probes.js';
import { assertValidStatements, isSupportedVersion, VERSION_HEADER } from '@cairn/xapi';

/** A server of the benchmark, listening on a loopback port. */
export interface BenchServer {
  readonly origin: string;
  close(): Promise<void>;
}

export interface LrsUnderTest extends BenchServer {
  readonly store: Store;
  /** The API's own MongoClient, with command monitoring on (probes.ts listens to it). */
  readonly mongo: MongoClient;
  readonly database: string;
  /** The bootstrap credential's key: the account name in the statements' authority. */
  readonly key: string;
  /** What the API's Redis connection (the pipeline producer) sends. */
  readonly redisSent: RedisCommandCounter;
  /** HTTP Basic for a credential with every scope in the default store. */
  readonly authorization: string;
  /**
   * A second instance of the same app, on the same store, whose statement repository skips the
   * two reads a POST makes before inserting (ids already stored, voids that arrived first). Only
   * for seeding statements that are new and void nothing (`--seed-via lean`), to tell the reads'
   * share of the seeding apart; the default seeds through the LRS itself. (On FerretDB, before the
   * local server, those reads scanned the whole collection and lean was the only way to 10^5.)
   */
  readonly seedingOrigin: string;
}

export interface LrsOptions {
  readonly mongoUri: string;
  readonly redisUrl: string;
  readonly database: string;
  readonly queuePrefix: string;
}

/**
 * The rate limit is on by default (CAIRN_RATE_LIMIT_PER_MINUTE); its Redis check costs the same
 * whatever the limit, so the bench keeps it on with a limit no step reaches.
 */
const UNREACHED_RATE_LIMIT = 1_000_000_000;

async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/**
 * The LRS as services/lrs/src/main.ts composes it (configuration defaults, store, pipeline
 * producer, rate limit, bootstrap credential, buildApp), in this process, so that its CPU time,
 * RSS and MongoDB commands are measurable from here. The MongoClient is our own because
 * main.ts's connectMongo cannot turn on command monitoring; everything else is the product's.
 */
export async function startLrs(options: LrsOptions): Promise<LrsUnderTest> {
  // Only the defaults: the user's CAIRN_* variables must not change what the bench measures.
  const config = loadConfig<LrsConfig>(lrsConfigSpec, {
    MONGODB_URI: options.mongoUri,
    REDIS_URL: options.redisUrl,
    CAIRN_RATE_LIMIT_PER_MINUTE: String(UNREACHED_RATE_LIMIT),
  });
  const mongo = new MongoClient(options.mongoUri, {
    monitorCommands: true,
    appName: 'cairn-bench-lrs',
    serverSelectionTimeoutMS: 5000,
  });
  await mongo.connect();
  const store = createMongoStore(mongo.db(options.database));
  await store.ensureIndexes();
  const key = `bench-${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(18).toString('base64url');
  await bootstrap(store, { key, secret }, new Date());

  const redis: Redis = createRedis(options.redisUrl, 'producer');
  await redis.connect();
  const redisSent = countRedisCommands(redis);
  const pipeline = createStatementBatchQueue({ connection: redis, prefix: options.queuePrefix });
  const pkg = JSON.parse(
    await readFile(new URL('../../services/lrs/package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  const build = (s: Store) =>
    buildApp({
      store: s,
      pipeline,
      productVersion: pkg.version,
      defaultXapiVersion: config.CAIRN_XAPI_DEFAULT_VERSION ?? null,
      bodyLimit: config.CAIRN_MAX_BODY_BYTES,
      rateLimit: { redis, perMinute: config.CAIRN_RATE_LIMIT_PER_MINUTE },
      attachmentLimits: {
        maxPartBytes: config.CAIRN_MAX_ATTACHMENT_PART_BYTES,
        maxTotalBytes: config.CAIRN_MAX_ATTACHMENTS_BYTES,
      },
      maxDocumentBytes: config.CAIRN_MAX_DOCUMENT_BYTES,
      checks: [
        { name: 'mongodb', check: () => store.ping() },
        { name: 'redis', check: async () => void (await redis.ping()) },
      ],
    });
  const app = await build(store);
  const origin = await listenOnLoopback(app);
  const seeder = await build(withoutIngestReads(store));
  const seedingOrigin = await listenOnLoopback(seeder);
  return {
    origin,
    store,
    mongo,
    database: options.database,
    key,
    redisSent,
    authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    seedingOrigin,
    async close() {
      await seeder.close();
      await app.close();
      await pipeline.close();
      redis.disconnect(); // BullMQ does not close a connection it was handed
      await mongo.close();
    },
  };
}

/** The store, with `getMany` and `voidedAmong` of every statement repository answering "none". */
function withoutIngestReads(store: Store): Store {
  return {
    ...store,
    statementsOf: (storeId) => ({
      ...store.statementsOf(storeId),
      getMany: async () => [],
      voidedAmong: async () => [],
    }),
  };
}

/**
 * The ceiling: a bare Fastify app whose POST /xapi/statements only parses the JSON body (Fastify's
 * parser, as the LRS) and validates it with @cairn/xapi's strict validator, then answers with the
 * ids. No auth, no storage, no queue: what no LRS built on this stack can beat.
 */
export async function startCeiling(): Promise<BenchServer> {
  const app = fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  app.post('/xapi/statements', async (request, reply) => {
    const version = request.headers[VERSION_HEADER.toLowerCase()];
    if (typeof version !== 'string' || !isSupportedVersion(version)) {
      return reply.status(400).send({ error: 'missing or unsupported version' });
    }
    const statements = assertValidStatements(request.body, version);
    return statements.map((s) => s.id ?? randomUUID());
  });
  const origin = await listenOnLoopback(app);
  return { origin, close: () => app.close() };
}
