import type { SchemaObject } from 'ajv';
import { INTERACTION_TYPES } from './statement-types.js';

/**
 * Names of the custom Ajv formats the statement schema uses; `validate-statement.ts` registers them
 * with the predicates of `formats.ts`.
 */
export const FORMATS = {
  iri: 'xapi-iri',
  irl: 'xapi-irl',
  mailto: 'xapi-mailto-iri',
  sha1: 'xapi-sha1-hex',
  uuid: 'xapi-uuid',
  languageTag: 'xapi-language-tag',
  duration: 'xapi-duration',
  timestamp: 'xapi-timestamp',
  version1: 'xapi-version-1',
  version2: 'xapi-version-2',
  mediaType: 'xapi-media-type',
} as const;

const str = { type: 'string' };
const fmt = (format: string): SchemaObject => ({ type: 'string', format });
const ref = (name: string): SchemaObject => ({ $ref: `#/$defs/${name}` });
const constant = (value: string): SchemaObject => ({ type: 'string', const: value });
const arrayOf = (items: SchemaObject): SchemaObject => ({ type: 'array', items });

/** A closed object: the listed properties only (2.2.s4.b1.b5, b7). */
function closed(properties: Record<string, SchemaObject>, required: string[] = []): SchemaObject {
  return { type: 'object', additionalProperties: false, required, properties };
}

/**
 * Chooses a schema by `objectType`: the first case whose value equals the object's `objectType`,
 * else `otherwise`. Written as nested if/then/else so that Ajv reports the errors of the one branch
 * that applies, not of every alternative (as `oneOf` would).
 */
function byObjectType(cases: [string, SchemaObject][], otherwise: SchemaObject): SchemaObject {
  return cases.reduceRight<SchemaObject>(
    (elseSchema, [value, thenSchema]) => ({
      if: {
        type: 'object',
        required: ['objectType'],
        properties: { objectType: { const: value } },
      },
      then: thenSchema,
      else: elseSchema,
    }),
    otherwise,
  );
}

const ifiProperties = {
  mbox: fmt(FORMATS.mailto),
  mbox_sha1sum: fmt(FORMATS.sha1),
  openid: fmt(FORMATS.iri),
  account: ref('account'),
};

/**
 * The JSON Schema (draft 2020-12 subset Ajv understands) of an xAPI statement for one version
 * family. It covers structure, types, required and unknown properties, enumerations and formats;
 * the rules it cannot say (exactly one IFI, score bounds, interaction component lists, ...) are
 * checked in code by `validate-statement.ts`.
 */
export function statementSchema(version2: boolean): SchemaObject {
  const contextProperties: Record<string, SchemaObject> = {
    registration: fmt(FORMATS.uuid),
    instructor: ref('actor'),
    team: ref('group'),
    contextActivities: ref('contextActivities'),
    revision: str,
    platform: str,
    language: fmt(FORMATS.languageTag),
    statement: ref('statementRef'),
    extensions: ref('extensions'),
  };
  if (version2) {
    contextProperties.contextAgents = arrayOf(ref('contextAgent'));
    contextProperties.contextGroups = arrayOf(ref('contextGroup'));
  }
  const statementParts = {
    actor: ref('actor'),
    verb: ref('verb'),
    result: ref('result'),
    context: ref('context'),
    timestamp: fmt(FORMATS.timestamp),
    attachments: arrayOf(ref('attachment')),
  };
  const component = closed({ id: str, description: ref('languageMap') }, ['id']);
  const activityOrList: SchemaObject = {
    if: { type: 'array' },
    then: arrayOf(ref('activity')),
    else: ref('activity'),
  };
  return {
    $id: version2 ? 'cairn:xapi:statement:2.0' : 'cairn:xapi:statement:1.0',
    $defs: {
      languageMap: {
        type: 'object',
        propertyNames: fmt(FORMATS.languageTag),
        additionalProperties: str,
      },
      extensions: { type: 'object', propertyNames: fmt(FORMATS.iri) },
      account: closed({ homePage: fmt(FORMATS.irl), name: str }, ['homePage', 'name']),
      agent: closed({ objectType: constant('Agent'), name: str, ...ifiProperties }),
      objectAgent: closed({ objectType: constant('Agent'), name: str, ...ifiProperties }, [
        'objectType',
      ]),
      group: closed(
        {
          objectType: constant('Group'),
          name: str,
          member: arrayOf(ref('agent')),
          ...ifiProperties,
        },
        ['objectType'],
      ),
      actor: byObjectType([['Group', ref('group')]], ref('agent')),
      verb: closed({ id: fmt(FORMATS.iri), display: ref('languageMap') }, ['id']),
      interactionComponent: component,
      definition: closed({
        name: ref('languageMap'),
        description: ref('languageMap'),
        type: fmt(FORMATS.iri),
        moreInfo: fmt(FORMATS.irl),
        interactionType: { type: 'string', enum: [...INTERACTION_TYPES] },
        correctResponsesPattern: arrayOf(str),
        choices: arrayOf(ref('interactionComponent')),
        scale: arrayOf(ref('interactionComponent')),
        source: arrayOf(ref('interactionComponent')),
        target: arrayOf(ref('interactionComponent')),
        steps: arrayOf(ref('interactionComponent')),
        extensions: ref('extensions'),
      }),
      activity: closed(
        { objectType: constant('Activity'), id: fmt(FORMATS.iri), definition: ref('definition') },
        ['id'],
      ),
      statementRef: closed({ objectType: constant('StatementRef'), id: fmt(FORMATS.uuid) }, [
        'objectType',
        'id',
      ]),
      score: closed({
        scaled: { type: 'number', minimum: -1, maximum: 1 },
        raw: { type: 'number' },
        min: { type: 'number' },
        max: { type: 'number' },
      }),
      result: closed({
        score: ref('score'),
        success: { type: 'boolean' },
        completion: { type: 'boolean' },
        response: str,
        duration: fmt(FORMATS.duration),
        extensions: ref('extensions'),
      }),
      // "A contextActivities property contains one or more key/value pairs" (ADL suite, after
      // xAPI-Data 2.4.6.2): an empty object is refused.
      contextActivities: {
        ...closed({
          parent: activityOrList,
          grouping: activityOrList,
          category: activityOrList,
          other: activityOrList,
        }),
        minProperties: 1,
      },
      contextAgent: closed(
        {
          objectType: constant('contextAgent'),
          agent: ref('agent'),
          relevantTypes: { type: 'array', minItems: 1, items: fmt(FORMATS.iri) },
        },
        ['objectType', 'agent'],
      ),
      contextGroup: closed(
        {
          objectType: constant('contextGroup'),
          group: ref('group'),
          relevantTypes: { type: 'array', minItems: 1, items: fmt(FORMATS.iri) },
        },
        ['objectType', 'group'],
      ),
      context: closed(contextProperties),
      attachment: closed(
        {
          usageType: fmt(FORMATS.iri),
          display: ref('languageMap'),
          description: ref('languageMap'),
          contentType: fmt(FORMATS.mediaType),
          length: { type: 'integer', minimum: 0 },
          sha2: str,
          fileUrl: fmt(FORMATS.irl),
        },
        ['usageType', 'display', 'contentType', 'length', 'sha2'],
      ),
      // A nested SubStatement is accepted here and rejected in code, with a message that says why.
      subStatementObject: byObjectType(
        [
          ['Agent', ref('objectAgent')],
          ['Group', ref('group')],
          ['StatementRef', ref('statementRef')],
          ['SubStatement', { type: 'object' }],
        ],
        ref('activity'),
      ),
      // No id, stored, version or authority (2.4.4.3.s8.b3): they are simply not listed.
      subStatement: closed(
        {
          objectType: constant('SubStatement'),
          ...statementParts,
          object: ref('subStatementObject'),
        },
        ['objectType', 'actor', 'verb', 'object'],
      ),
      statementObject: byObjectType(
        [
          ['Agent', ref('objectAgent')],
          ['Group', ref('group')],
          ['StatementRef', ref('statementRef')],
          ['SubStatement', ref('subStatement')],
        ],
        ref('activity'),
      ),
    },
    ...closed(
      {
        id: fmt(FORMATS.uuid),
        ...statementParts,
        object: ref('statementObject'),
        stored: fmt(FORMATS.timestamp),
        authority: ref('actor'),
        version: fmt(version2 ? FORMATS.version2 : FORMATS.version1),
      },
      ['actor', 'verb', 'object'],
    ),
  };
}
