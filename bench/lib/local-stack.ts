/** What scripts/lib/local-services.mjs returns (it is plain JavaScript with JSDoc types). */
export interface LocalServices {
  readonly mongoUri: string;
  readonly redisUrl: string;
  /** Which of the two were started here (false: the user's MONGODB_URI / REDIS_URL). */
  readonly local: { readonly mongo: boolean; readonly redis: boolean };
  stop(): Promise<void>;
}

interface LocalServicesModule {
  startLocalServices(options: {
    dataDir: string | null;
    log: (message: string) => void;
    env: NodeJS.ProcessEnv;
  }): Promise<LocalServices>;
}

/**
 * The throw-away local MongoDB-compatible server (mongo-java-server in memory, through
 * tools/mongo-local) and Redis, as `npm test` starts them, or the servers named by MONGODB_URI /
 * REDIS_URL. With `dataDir`, the server `npm start` runs instead: mongo-java-server with its H2
 * file backend (`<dataDir>/mongo/cairn.mv.db`) and Redis with an append-only file, both under
 * `dataDir` (the caller removes it). The scripts are untyped .mjs files run
 * before dependencies exist, so they are loaded by URL and given their documented type here.
 */
export async function startLocalStack(
  log: (message: string) => void,
  options: { readonly dataDir?: string | null } = {},
): Promise<LocalServices> {
  const url = new URL('../../scripts/lib/local-services.mjs', import.meta.url);
  const module = (await import(url.href)) as LocalServicesModule;
  return module.startLocalServices({ dataDir: options.dataDir ?? null, log, env: process.env });
}
