import type { FastifyPluginAsync } from 'fastify';

/** Something a service depends on, and how to tell that it answers. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export interface HealthOptions {
  readonly service: string;
  readonly checks: readonly ReadinessCheck[];
  /** How long one check may take before it counts as failed. */
  readonly timeoutMs?: number;
}

/**
 * `GET /health`: the process is alive (always 200). `GET /ready`: every dependency answers
 * (200), or which do not (503). Both JSON, without authentication, for load balancers and
 * orchestrators.
 */
export const healthRoutes: FastifyPluginAsync<HealthOptions> = async (app, options) => {
  const timeoutMs = options.timeoutMs ?? 2000;

  app.get('/health', async () => ({ status: 'ok', service: options.service }));

  app.get('/ready', async (_request, reply) => {
    const results = await Promise.all(
      options.checks.map(async (c) => [c.name, await runCheck(c, timeoutMs)] as const),
    );
    const ready = results.every(([, result]) => result === 'ok');
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not ready',
      service: options.service,
      checks: Object.fromEntries(results),
    });
  });
};

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([
      check.check().then(
        () => 'ok',
        (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
