import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { validateFramework, validateRuleSettings } from '@cairn/analytics';
import {
  DEFAULT_SKILL_SETTINGS,
  frameworkIn,
  frameworkOfFile,
  importFrameworkFile,
  withFramework,
  withoutFramework,
  type FrameworkFile,
  type FrameworkRecord,
  type ImportMode,
  type SkillRecord,
  type Store,
} from '@cairn/store';
import { ApiErrors } from './api-errors.js';
import {
  frameworkCreateSchema,
  frameworkFileSchema,
  frameworkReplaceSchema,
  importQuerySchema,
} from './api-schemas.js';
import { requireReader, requireWriter, storeOf } from './api-scopes.js';
import { withEtag } from './generation-etag.js';
import { changeSettings, rejectProblems } from './settings-change.js';

export interface FrameworkRoutesOptions {
  readonly store: Store;
  readonly now: () => Date;
}

interface FrameworkBody {
  readonly id?: string;
  readonly name: string;
  readonly skills: readonly SkillRecord[];
}

interface IdParams {
  readonly id: string;
}

/** A framework id the API makes up when a POST brings none: `fw_` and 16 hex digits. */
const newFrameworkId = (): string => `fw_${randomBytes(8).toString('hex')}`;

/** The framework as stored: only the properties a skill has, names trimmed. */
function frameworkOf(id: string, body: FrameworkBody): FrameworkRecord {
  return {
    id,
    name: body.name.trim(),
    skills: body.skills.map((s) => ({
      iri: s.iri,
      name: s.name.trim(),
      ...(s.description === undefined ? {} : { description: s.description }),
      ...(s.parent === undefined ? {} : { parent: s.parent }),
    })),
  };
}

/** Frameworks of the credential's store: list, create, read, replace, delete, import. */
export const frameworkRoutes: FastifyPluginAsync<FrameworkRoutesOptions> = async (app, options) => {
  const { store, now } = options;

  app.get('/frameworks', { onRequest: requireReader }, async (request, reply) => {
    const { generation, settings } = await store.skillSettingsOf(storeOf(request)).current();
    withEtag(reply, generation);
    return {
      generation,
      frameworks: settings.frameworks.map((f) => ({
        id: f.id,
        name: f.name,
        skillCount: f.skills.length,
      })),
    };
  });

  app.post<{ Body: FrameworkBody }>(
    '/frameworks',
    { onRequest: requireWriter, schema: { body: frameworkCreateSchema } },
    async (request, reply) => {
      const framework = frameworkOf(request.body.id ?? newFrameworkId(), request.body);
      rejectProblems('framework', validateFramework(framework));
      const version = await changeSettings(request, store, now, ({ settings }) => {
        if (frameworkIn(settings, framework.id) !== undefined) {
          throw new ApiErrors.frameworkExists(framework.id);
        }
        return withFramework(settings, framework);
      });
      return withEtag(reply, version.generation)
        .status(201)
        .header('location', `${app.prefix}/frameworks/${encodeURIComponent(framework.id)}`)
        .send({ generation: version.generation, framework });
    },
  );

  app.post<{ Body: FrameworkFile; Querystring: { rules?: ImportMode } }>(
    '/frameworks/import',
    {
      onRequest: requireWriter,
      schema: { body: frameworkFileSchema, querystring: importQuerySchema },
    },
    async (request, reply) => {
      const file = request.body;
      const mode = request.query.rules ?? 'merge';
      // The file alone first, so that its problems are named with the file's paths.
      const alone = importFrameworkFile(DEFAULT_SKILL_SETTINGS, file, 'replace');
      const framework = frameworkOfFile(file);
      rejectProblems('framework file', [
        ...validateFramework(framework),
        ...(mode === 'keep' ? [] : validateRuleSettings(alone)),
      ]);
      let created = false;
      const version = await changeSettings(request, store, now, ({ settings }) => {
        created = frameworkIn(settings, framework.id) === undefined;
        const next = importFrameworkFile(settings, file, mode);
        // Rule ids of the file may clash with the store's; say so rather than store the clash.
        rejectProblems('the store rules with the file rules', validateRuleSettings(next));
        return next;
      });
      return withEtag(reply, version.generation)
        .status(created ? 201 : 200)
        .header('location', `${app.prefix}/frameworks/${encodeURIComponent(framework.id)}`)
        .send({
          generation: version.generation,
          framework,
          rules: version.settings.rules.length,
          tags: version.settings.tags.length,
        });
    },
  );

  app.get<{ Params: IdParams }>(
    '/frameworks/:id',
    { onRequest: requireReader },
    async (request, reply) => {
      const { generation, settings } = await store.skillSettingsOf(storeOf(request)).current();
      const framework = frameworkIn(settings, request.params.id);
      if (framework === undefined) throw new ApiErrors.frameworkNotFound(request.params.id);
      withEtag(reply, generation);
      return { generation, framework };
    },
  );

  app.put<{ Params: IdParams; Body: FrameworkBody }>(
    '/frameworks/:id',
    { onRequest: requireWriter, schema: { body: frameworkReplaceSchema } },
    async (request, reply) => {
      const { id } = request.params;
      if (request.body.id !== undefined && request.body.id !== id) {
        throw new ApiErrors.invalid(
          'framework',
          `id ${request.body.id} differs from the path's ${id}`,
        );
      }
      const framework = frameworkOf(id, request.body);
      rejectProblems('framework', validateFramework(framework));
      const version = await changeSettings(request, store, now, ({ settings }) => {
        if (frameworkIn(settings, id) === undefined) throw new ApiErrors.frameworkNotFound(id);
        return withFramework(settings, framework);
      });
      withEtag(reply, version.generation);
      return { generation: version.generation, framework };
    },
  );

  app.delete<{ Params: IdParams }>(
    '/frameworks/:id',
    { onRequest: requireWriter },
    async (request, reply) => {
      const { id } = request.params;
      const version = await changeSettings(request, store, now, ({ settings }) => {
        if (frameworkIn(settings, id) === undefined) throw new ApiErrors.frameworkNotFound(id);
        return withoutFramework(settings, id);
      });
      return withEtag(reply, version.generation).status(204).send();
    },
  );
};
