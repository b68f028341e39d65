import type { FastifyPluginAsync } from 'fastify';
import { requireScope } from '@cairn/auth';
import type { ReportSettings, Store } from '@cairn/store';

export interface ReportSettingsRoutesOptions {
  readonly store: Store;
  readonly now?: () => Date;
}

interface SettingsBody {
  readonly minCohort?: number;
  readonly pseudonymKey?: string | null;
}

const settingsView = (s: ReportSettings): Record<string, unknown> => ({
  minCohort: s.minCohort,
  // The key is a secret: whether one is set, never the key.
  pseudonymKeySet: s.pseudonymKey !== null,
  changedAt: s.changedAt?.toISOString() ?? null,
});

const view = {
  type: 'object',
  properties: {
    minCohort: { type: 'integer' },
    pseudonymKeySet: { type: 'boolean' },
    changedAt: { type: ['string', 'null'] },
  },
  examples: [{ minCohort: 5, pseudonymKeySet: true, changedAt: '2026-12-07T09:00:00.000Z' }],
} as const;

/**
 * How the store's reports protect people (scope `admin`): the smallest cohort shown (k) and the
 * key of pseudonymised exports. Every report reads them at each request.
 */
export const reportSettingsRoutes: FastifyPluginAsync<ReportSettingsRoutesOptions> = async (
  app,
  options,
) => {
  const { store } = options;
  const now = options.now ?? (() => new Date());
  const onRequest = requireScope('admin');
  const storeOf = (principal: { storeId: string } | null): string => {
    if (principal === null) throw new Error('route reached without authentication');
    return principal.storeId;
  };

  app.get(
    '/report-settings',
    {
      onRequest,
      schema: {
        summary: "The store's report settings",
        tags: ['settings'],
        response: { 200: view },
      },
    },
    async (request) => settingsView(await store.reportSettingsOf(storeOf(request.principal)).get()),
  );

  app.put<{ Body: SettingsBody }>(
    '/report-settings',
    {
      onRequest,
      schema: {
        summary: "Changes the store's report settings",
        tags: ['settings'],
        body: {
          type: 'object',
          properties: {
            minCohort: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              description: 'k: cohort cells with fewer people are withheld (default 5)',
            },
            pseudonymKey: {
              anyOf: [{ type: 'string', minLength: 32, maxLength: 256 }, { type: 'null' }],
              description:
                'Secret key of pseudonymised exports (at least 32 characters); null removes it. Changing it changes every pseudonym.',
            },
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: view },
      },
    },
    async (request) => {
      const changed = await store
        .reportSettingsOf(storeOf(request.principal))
        .change(request.body, now());
      return settingsView(changed);
    },
  );
};
