/*
 * JSON Schemas of the skills API's bodies: shapes only (types, required and unknown
 * properties, sizes). The rules on values (IRIs, weight ranges, references, cycles) are
 * @cairn/analytics' validators', which name each problem with its path.
 */

const IRI = { type: 'string', maxLength: 2048 } as const;
const NAME = { type: 'string', maxLength: 512 } as const;
const MANY = 20_000;

const skillWeight = {
  type: 'object',
  properties: { skill: IRI, weight: { type: 'number' } },
  required: ['skill', 'weight'],
  additionalProperties: false,
} as const;

const skillWeights = { type: 'array', items: skillWeight, maxItems: 1000 } as const;

const rule = {
  type: 'object',
  properties: {
    id: NAME,
    activityId: IRI,
    activityIdPrefix: IRI,
    activityType: IRI,
    verb: IRI,
    tag: IRI,
    platform: NAME,
    skills: skillWeights,
  },
  required: ['skills'],
  additionalProperties: false,
} as const;

const tag = {
  type: 'object',
  properties: { tag: IRI, name: NAME, skills: skillWeights },
  required: ['tag', 'skills'],
  additionalProperties: false,
} as const;

const rules = { type: 'array', items: rule, maxItems: MANY } as const;
const tags = { type: 'array', items: tag, maxItems: MANY } as const;

const skill = {
  type: 'object',
  properties: {
    iri: IRI,
    name: NAME,
    description: { type: 'string', maxLength: 10_000 },
    parent: IRI,
  },
  required: ['iri', 'name'],
  additionalProperties: false,
} as const;

const skills = { type: 'array', items: skill, maxItems: MANY } as const;

/** POST /frameworks: the id is optional (one is made up). */
export const frameworkCreateSchema = {
  type: 'object',
  properties: { id: NAME, name: NAME, skills },
  required: ['name', 'skills'],
  additionalProperties: false,
} as const;

/** PUT /frameworks/:id: the id is the path's; a body id must be the same. */
export const frameworkReplaceSchema = frameworkCreateSchema;

/** POST /frameworks/import: the simulator's framework.json. */
export const frameworkFileSchema = {
  type: 'object',
  properties: {
    id: NAME,
    name: NAME,
    skills: {
      type: 'array',
      maxItems: MANY,
      items: {
        type: 'object',
        properties: {
          id: IRI,
          name: NAME,
          description: { type: 'string', maxLength: 10_000 },
          parent: IRI,
        },
        required: ['id', 'name'],
        additionalProperties: false,
      },
    },
    rules,
    tags,
    // The simulator's record of its catalogue: part of the file, not of Cairn's settings.
    activities: { type: 'array' },
  },
  required: ['id', 'name', 'skills'],
  additionalProperties: false,
} as const;

export const importQuerySchema = {
  type: 'object',
  properties: { rules: { type: 'string', enum: ['merge', 'replace', 'keep'] } },
  additionalProperties: false,
} as const;

/** PUT /rules: the whole rule set; competency types and extension fall back to the defaults. */
export const rulesSchema = {
  type: 'object',
  properties: {
    rules,
    tags,
    competencyTypes: { anyOf: [{ type: 'array', items: IRI, maxItems: 100 }, { type: 'null' }] },
    alignmentExtension: { anyOf: [IRI, { type: 'null' }] },
  },
  required: ['rules', 'tags'],
  additionalProperties: false,
} as const;

const concept = {
  type: 'object',
  properties: {
    source: { type: 'string', enum: ['formal', 'social'] },
    kind: {
      type: 'string',
      enum: ['outcome', 'practice', 'recognition', 'exposure', 'assertion', 'none'],
    },
    outcome: {
      type: 'string',
      enum: ['none', 'score-else-1', 'score-else-0', 'score', 'success', 'one', 'zero'],
    },
    credit: { type: 'string', enum: ['actor', 'author'] },
    weight: { type: 'number' },
  },
  additionalProperties: false,
} as const;

const activityTypes = { type: 'array', items: IRI, maxItems: 100 } as const;

/** PUT /verbs: the store's override of the default verb table. */
export const verbOverrideSchema = {
  type: 'object',
  properties: {
    aliases: {
      type: 'object',
      additionalProperties: NAME,
      maxProperties: MANY,
    },
    concepts: { type: 'object', additionalProperties: concept, maxProperties: 1000 },
    qaActivityTypes: activityTypes,
    videoActivityTypes: activityTypes,
  },
  additionalProperties: false,
} as const;

/** POST /dry-run: a statement, or the id of a stored one. */
export const dryRunSchema = {
  type: 'object',
  properties: { statement: { type: 'object' }, statementId: { type: 'string', maxLength: 64 } },
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
} as const;
