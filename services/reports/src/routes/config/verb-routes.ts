import type { FastifyPluginAsync } from 'fastify';
import { DEFAULT_VERB_TABLE, mergeVerbTables, validateVerbOverride } from '@cairn/analytics';
import type { SkillSettingsVersion, Store, VerbOverrideRecord } from '@cairn/store';
import { verbOverrideSchema } from './api-schemas.js';
import { requireReader, requireWriter, storeOf } from './api-scopes.js';
import { withEtag } from './generation-etag.js';
import { changeSettings, rejectProblems } from './settings-change.js';

export interface VerbRoutesOptions {
  readonly store: Store;
  readonly now: () => Date;
}

/** The store's override and the table it makes with the default one. */
function verbsView({ generation, settings }: SkillSettingsVersion): object {
  return {
    generation,
    override: settings.verbs,
    effective: mergeVerbTables(DEFAULT_VERB_TABLE, settings.verbs),
  };
}

/** The verb table of the credential's store, and the verbs its statements used that it lacks. */
export const verbRoutes: FastifyPluginAsync<VerbRoutesOptions> = async (app, options) => {
  const { store, now } = options;

  app.get('/verbs', { onRequest: requireReader }, async (request, reply) => {
    const version = await store.skillSettingsOf(storeOf(request)).current();
    withEtag(reply, version.generation);
    return verbsView(version);
  });

  app.put<{ Body: VerbOverrideRecord }>(
    '/verbs',
    { onRequest: requireWriter, schema: { body: verbOverrideSchema } },
    async (request, reply) => {
      const override = request.body;
      rejectProblems('verb override', validateVerbOverride(override));
      const version = await changeSettings(request, store, now, ({ settings }) => ({
        ...settings,
        verbs: override,
      }));
      withEtag(reply, version.generation);
      return verbsView(version);
    },
  );

  app.get('/verbs/unknown', { onRequest: requireReader }, async (request) => ({
    verbs: await store.unknownVerbsOf(storeOf(request)).list(),
  }));
};
