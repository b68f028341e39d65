import type { FastifyPluginAsync } from 'fastify';
import { EMPTY_RULE_SET, validateRuleSettings } from '@cairn/analytics';
import type {
  AlignmentRuleRecord,
  SkillSettingsVersion,
  Store,
  TagAlignmentRecord,
} from '@cairn/store';
import { rulesSchema } from './api-schemas.js';
import { requireReader, requireWriter, storeOf } from './api-scopes.js';
import { withEtag } from './generation-etag.js';
import { changeSettings, rejectProblems } from './settings-change.js';

export interface RuleRoutesOptions {
  readonly store: Store;
  readonly now: () => Date;
}

interface RulesBody {
  readonly rules: readonly AlignmentRuleRecord[];
  readonly tags: readonly TagAlignmentRecord[];
  readonly competencyTypes?: readonly string[] | null;
  readonly alignmentExtension?: string | null;
}

/** The rule set as the API shows it: with the defaults the store keeps filled in. */
function rulesView({ generation, settings }: SkillSettingsVersion): object {
  return {
    generation,
    rules: settings.rules,
    tags: settings.tags,
    competencyTypes: settings.competencyTypes ?? EMPTY_RULE_SET.competencyTypes,
    alignmentExtension: settings.alignmentExtension ?? EMPTY_RULE_SET.alignmentExtension,
  };
}

/** The alignment rules of the credential's store (ways D and E, and the settings of A-C). */
export const ruleRoutes: FastifyPluginAsync<RuleRoutesOptions> = async (app, options) => {
  const { store, now } = options;

  app.get('/rules', { onRequest: requireReader }, async (request, reply) => {
    const version = await store.skillSettingsOf(storeOf(request)).current();
    withEtag(reply, version.generation);
    return rulesView(version);
  });

  app.put<{ Body: RulesBody }>(
    '/rules',
    { onRequest: requireWriter, schema: { body: rulesSchema } },
    async (request, reply) => {
      const body = request.body;
      rejectProblems('rules', validateRuleSettings(body));
      const version = await changeSettings(request, store, now, ({ settings }) => ({
        ...settings,
        rules: body.rules,
        tags: body.tags,
        competencyTypes: body.competencyTypes ?? null,
        alignmentExtension: body.alignmentExtension ?? null,
      }));
      withEtag(reply, version.generation);
      return rulesView(version);
    },
  );

  // Where the re-derivation after the latest change stands (docs/pipeline.md, "Rule changes"):
  // `generation` is the settings' now, `derived` the last re-derivation the aggregator started
  // (null before the first change); its `generation` reaching the settings' and its `state`
  // "done" mean the store's evidence follows its current settings.
  app.get('/rules/rederivation', { onRequest: requireReader }, async (request, reply) => {
    const storeId = storeOf(request);
    const [version, derived] = await Promise.all([
      store.skillSettingsOf(storeId).current(),
      store.rederivationsOf(storeId).status(),
    ]);
    withEtag(reply, version.generation);
    return { generation: version.generation, derived };
  });
};
