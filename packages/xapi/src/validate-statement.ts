import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { XAPI_ERR_VALIDATION } from './errors.js';
import {
  isIri,
  isIrl,
  isIsoDuration,
  isIsoTimestamp,
  isLanguageTag,
  isMailtoIri,
  isMediaType,
  isSha1Hex,
  isUuid,
} from './formats.js';
import { FORMATS, statementSchema } from './statement-schema.js';
import type { Statement } from './statement-types.js';
import { VOIDED_VERB_ID } from './statement-types.js';
import { isVersion1, type XapiVersion } from './versions.js';

/** One reason a statement is invalid: where (`actor.mbox`, `[2].object.id`) and what. */
export interface ValidationProblem {
  readonly path: string;
  readonly message: string;
}

/** The outcome of validation: the typed value, or every problem found. */
export type ValidationResult<T = Statement> =
  { ok: true; value: T } | { ok: false; problems: ValidationProblem[] };

const FORMAT_MESSAGES: Record<string, string> = {
  [FORMATS.iri]: 'must be an IRI with a scheme',
  [FORMATS.irl]: 'must be an IRL with a scheme',
  [FORMATS.mailto]: 'must be a mailto: IRI',
  [FORMATS.sha1]: 'must be the 40 hexadecimal digits of a SHA-1 hash',
  [FORMATS.uuid]: 'must be a UUID in standard string form',
  [FORMATS.languageTag]: 'must be an RFC 5646 language tag',
  [FORMATS.duration]: 'must be an ISO 8601 duration',
  [FORMATS.timestamp]: 'must be an ISO 8601 timestamp',
  [FORMATS.version1]: 'must be a 1.0.x version',
  [FORMATS.version2]: 'must be a 1.0.x or 2.0.x version',
  [FORMATS.mediaType]: 'must be an Internet Media Type (type/subtype, parameters optional)',
};

const KEY_FORMAT_MESSAGES: Record<string, string> = {
  [FORMATS.iri]: 'is not an IRI (extension keys must be IRIs)',
  [FORMATS.languageTag]: 'is not an RFC 5646 language tag (language map keys must be)',
};

function createAjv(): Ajv {
  // Our own instance: no coercion, no defaults, no removal of properties (Fastify's default Ajv
  // does all three); every error, not the first; strict about the schema itself.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
    verbose: true,
  });
  ajv.addFormat(FORMATS.iri, isIri);
  ajv.addFormat(FORMATS.irl, isIrl);
  ajv.addFormat(FORMATS.mailto, isMailtoIri);
  ajv.addFormat(FORMATS.sha1, isSha1Hex);
  ajv.addFormat(FORMATS.uuid, isUuid);
  ajv.addFormat(FORMATS.languageTag, isLanguageTag);
  ajv.addFormat(FORMATS.duration, isIsoDuration);
  ajv.addFormat(FORMATS.timestamp, isIsoTimestamp);
  ajv.addFormat(FORMATS.mediaType, isMediaType);
  // 1.0.3 2.4.10: the version "MUST be formatted as laid out for the API version header", which
  // takes `1.0` and anything starting with `1.0.` (Communication 3.3); reject others. 2.0 takes
  // 1.0 and 2.0 likewise. The ADL suite (XAPI-00101) posts `"version": "1.0"` and expects 200.
  ajv.addFormat(FORMATS.version1, /^1\.0(?:\.\d+)?$/u);
  ajv.addFormat(FORMATS.version2, /^(?:1\.0|2\.0)(?:\.\d+)?$/u);
  return ajv;
}

let compiled: { v1: ValidateFunction<Statement>; v2: ValidateFunction<Statement> } | undefined;

function validators(): { v1: ValidateFunction<Statement>; v2: ValidateFunction<Statement> } {
  if (compiled === undefined) {
    const ajv = createAjv();
    compiled = {
      v1: ajv.compile<Statement>(statementSchema(false)),
      v2: ajv.compile<Statement>(statementSchema(true)),
    };
  }
  return compiled;
}

type Segment = string | number;

/** `['actor', 'member', 0, 'mbox']` -> `actor.member[0].mbox`; odd keys are quoted. */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/u.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function pointerSegments(pointer: string, data: unknown): Segment[] {
  if (pointer === '') return [];
  const segments: Segment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/gu, '/').replace(/~0/gu, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      segments.push(index);
      node = node[index];
    } else {
      segments.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return segments;
}

function describeType(type: unknown): string {
  const name = String(type);
  return name === 'object' || name === 'array' || name === 'integer' ? `an ${name}` : `a ${name}`;
}

function ajvProblem(
  error: ErrorObject,
  root: unknown,
  version: XapiVersion,
): ValidationProblem | undefined {
  const at = pointerSegments(error.instancePath, root);
  const params: Record<string, unknown> = error.params;
  switch (error.keyword) {
    case 'if':
    case 'propertyNames':
      return undefined; // The errors of the branch or key that failed say it better.
    case 'required':
      return { path: formatPath([...at, String(params.missingProperty)]), message: 'is required' };
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const only2 = key === 'contextAgents' || key === 'contextGroups';
      const message =
        only2 && isVersion1(version)
          ? 'is not allowed in xAPI 1.0.x (it is an xAPI 2.0 property)'
          : 'is not allowed';
      return { path: formatPath([...at, key]), message };
    }
    case 'type':
      return {
        path: formatPath(at),
        message:
          error.data === null
            ? 'must not be null (null is only allowed inside extensions)'
            : `must be ${describeType(params.type)}`,
      };
    case 'const':
      return { path: formatPath(at), message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues : [];
      return {
        path: formatPath(at),
        message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    }
    case 'format': {
      const format = String(params.format);
      if (error.propertyName !== undefined) {
        return {
          path: formatPath([...at, error.propertyName]),
          message: KEY_FORMAT_MESSAGES[format] ?? `is not a valid key (${format})`,
        };
      }
      return { path: formatPath(at), message: FORMAT_MESSAGES[format] ?? `must be ${format}` };
    }
    case 'minimum':
      return { path: formatPath(at), message: `must be >= ${String(params.limit)}` };
    case 'maximum':
      return { path: formatPath(at), message: `must be <= ${String(params.limit)}` };
    case 'minItems':
    case 'minProperties':
      return { path: formatPath(at), message: 'must not be empty' };
    default:
      return { path: formatPath(at), message: error.message ?? `fails ${error.keyword}` };
  }
}

const IFI_KEYS = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The IFI properties an actor has, in IFI_KEYS order; no array for the usual single one. */
function ifisOf(value: Record<string, unknown>): readonly string[] {
  let found: string[] | undefined;
  let only: string | undefined;
  for (const key of IFI_KEYS) {
    if (!(key in value)) continue;
    if (only === undefined) only = key;
    else (found ??= [only]).push(key);
  }
  return found ?? (only === undefined ? [] : [only]);
}

/**
 * Where a check is, as a chain up to the statement: one small link per level, turned into a
 * `Segment[]` only when a problem is reported. Valid statements (nearly all of them) then cost
 * no path arrays; they are checked once per statement on every POST.
 */
interface Path {
  readonly parent: Path | undefined;
  readonly segment: Segment;
}

function at(parent: Path | undefined, segment: Segment): Path {
  return { parent, segment };
}

function segmentsOf(path: Path | undefined): Segment[] {
  const segments: Segment[] = [];
  for (let p = path; p !== undefined; p = p.parent) segments.unshift(p.segment);
  return segments;
}

/** The interaction component lists of an activity definition (2.4.4.1). */
const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
const INTERACTION_KEYS = ['correctResponsesPattern', ...COMPONENT_LISTS] as const;

/** The rules of the Data chapter that a JSON Schema cannot say, checked on untyped input. */
class RuleChecker {
  readonly problems: ValidationProblem[] = [];

  private add(path: Path | undefined, message: string): void {
    this.problems.push({ path: formatPath(segmentsOf(path)), message });
  }

  statement(s: unknown): void {
    if (!isRecord(s)) return;
    this.statementBody(s, undefined, false);
    // 2.3.2: a voiding statement's object MUST be a StatementRef.
    const verb = s.verb;
    if (isRecord(verb) && verb.id === VOIDED_VERB_ID) {
      const object = s.object;
      if (!isRecord(object) || object.objectType !== 'StatementRef') {
        this.add(
          at(undefined, 'object'),
          `must be a StatementRef when the verb is ${VOIDED_VERB_ID}`,
        );
      }
    }
    this.actor(s.authority, at(undefined, 'authority'));
    this.authorityGroup(s.authority);
  }

  /**
   * xAPI-Data 2.4.9.s3.b1: "Authority MUST be an Agent, except in 3-legged OAuth, where it MUST be
   * a Group with two Agents. The two Agents represent an application and user together." That
   * Group is the pair itself, not a group known by an identifier of its own, so it must be
   * anonymous, as the ADL conformance suite requires (XAPI-00098). Members that are Groups are
   * already rejected by the schema (a Group's members are Agents); a SubStatement has no
   * authority at all (2.4.4.3.s8.b3).
   */
  private authorityGroup(value: unknown): void {
    if (!isRecord(value) || value.objectType !== 'Group') return;
    const authority = at(undefined, 'authority');
    const ifis = ifisOf(value);
    if (ifis.length > 0) {
      this.add(
        authority,
        `must be an anonymous Group of two Agents (3-legged OAuth), has ${ifis.join(', ')}`,
      );
    }
    const member = value.member;
    const wrongCount = (has: string): void =>
      this.add(
        at(authority, 'member'),
        `must be exactly two Agents (an application and a user) when the authority is a Group, has ${has}`,
      );
    if (Array.isArray(member)) {
      if (member.length !== 2) wrongCount(String(member.length));
    } else if (member === undefined && ifis.length > 0) {
      // Without an IFI, actor() already reports the missing member list of an anonymous Group.
      wrongCount('none');
    }
  }

  private statementBody(
    s: Record<string, unknown>,
    path: Path | undefined,
    inSubStatement: boolean,
  ): void {
    this.actor(s.actor, at(path, 'actor'));
    const object = s.object;
    const objectType = isRecord(object) ? object.objectType : undefined;
    if (isRecord(object)) {
      const objectAt = at(path, 'object');
      if (objectType === 'Agent' || objectType === 'Group') this.actor(object, objectAt);
      else if (objectType === 'SubStatement') {
        // 2.4.4.3.s8.b4: SubStatements cannot be nested.
        if (inSubStatement) this.add(objectAt, 'must not be a SubStatement inside a SubStatement');
        else this.statementBody(object, objectAt, true);
      } else if (objectType === undefined || objectType === 'Activity') {
        this.activity(object, objectAt);
      }
    }
    const result = s.result;
    if (isRecord(result) && result.score !== undefined) {
      this.score(result.score, at(at(path, 'result'), 'score'));
    }
    const context = s.context;
    if (isRecord(context)) {
      const contextAt = at(path, 'context');
      // 2.4.6.s4.b1, b2: revision and platform only when the object is an Activity.
      const objectIsActivity = objectType === undefined || objectType === 'Activity';
      if (!objectIsActivity) {
        for (const key of ['revision', 'platform']) {
          if (key in context) {
            this.add(at(contextAt, key), 'is only allowed when the object is an Activity');
          }
        }
      }
      if (context.instructor !== undefined) {
        this.actor(context.instructor, at(contextAt, 'instructor'));
      }
      if (context.team !== undefined) this.actor(context.team, at(contextAt, 'team'));
      const contextActivities = context.contextActivities;
      if (isRecord(contextActivities)) {
        const activitiesAt = at(contextAt, 'contextActivities');
        for (const kind in contextActivities) {
          const value = contextActivities[kind];
          const kindAt = at(activitiesAt, kind);
          if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) this.activity(value[i], at(kindAt, i));
          } else this.activity(value, kindAt);
        }
      }
      this.each(context.contextAgents, contextAt, 'contextAgents', (entry, entryAt) => {
        if (isRecord(entry)) this.actor(entry.agent, at(entryAt, 'agent'));
      });
      this.each(context.contextGroups, contextAt, 'contextGroups', (entry, entryAt) => {
        if (isRecord(entry)) this.actor(entry.group, at(entryAt, 'group'));
      });
    }
  }

  /** Visits the entries of `parent[key]` when it is an array, each with its own path. */
  private each(
    list: unknown,
    parent: Path | undefined,
    key: string,
    visit: (entry: unknown, entryAt: Path) => void,
  ): void {
    if (!Array.isArray(list)) return;
    const listAt = at(parent, key);
    for (let i = 0; i < list.length; i++) visit(list[i], at(listAt, i));
  }

  /** Agents: exactly one IFI. Groups: identified with one IFI, or anonymous with members. */
  private actor(value: unknown, path: Path): void {
    if (!isRecord(value)) return;
    const ifis = ifisOf(value);
    if (value.objectType === 'Group') {
      if (ifis.length > 1) {
        this.add(
          path,
          `must have at most one inverse functional identifier, has ${ifis.join(', ')}`,
        );
      }
      if (ifis.length === 0 && !('member' in value)) {
        this.add(at(path, 'member'), 'is required in an anonymous Group (a Group without an IFI)');
      }
      this.each(value.member, path, 'member', (member, memberAt) => {
        if (isRecord(member) && member.objectType !== 'Group') this.actor(member, memberAt);
      });
    } else if (ifis.length !== 1) {
      this.add(
        path,
        ifis.length === 0
          ? 'must have an inverse functional identifier (mbox, mbox_sha1sum, openid or account)'
          : `must have exactly one inverse functional identifier, has ${ifis.join(', ')}`,
      );
    }
  }

  private activity(value: unknown, path: Path): void {
    if (!isRecord(value)) return;
    const definition = value.definition;
    if (!isRecord(definition)) return;
    const interactionType = definition.interactionType;
    // Most definitions are a name and a description: nothing below applies to them.
    if (interactionType === undefined && !INTERACTION_KEYS.some((k) => k in definition)) return;
    const defAt = at(path, 'definition');
    const interactionKeys = INTERACTION_KEYS.filter((k) => k in definition);
    if (interactionType === undefined && interactionKeys.length > 0) {
      this.add(
        at(defAt, 'interactionType'),
        `is required with interaction properties (${interactionKeys.join(', ')})`,
      );
    }
    const allowed = typeof interactionType === 'string' ? allowedLists(interactionType) : [];
    for (const list of COMPONENT_LISTS) {
      if (!(list in definition)) continue;
      if (typeof interactionType === 'string' && !allowed.includes(list)) {
        this.add(at(defAt, list), `is not allowed for interactionType ${interactionType}`);
      }
      const seen = new Set<string>();
      this.each(definition[list], defAt, list, (component, componentAt) => {
        if (!isRecord(component) || typeof component.id !== 'string') return;
        if (seen.has(component.id)) {
          this.add(at(componentAt, 'id'), `duplicates the id "${component.id}" in ${list}`);
        }
        seen.add(component.id);
      });
    }
  }

  /** 2.4.5.1: min < max, min <= raw <= max (scaled's range is in the schema). */
  private score(value: unknown, path: Path): void {
    if (!isRecord(value)) return;
    const num = (key: string): number | undefined =>
      typeof value[key] === 'number' ? value[key] : undefined;
    const raw = num('raw');
    const min = num('min');
    const max = num('max');
    if (min !== undefined && max !== undefined && min >= max) {
      this.add(at(path, 'min'), 'must be less than max');
    }
    if (raw !== undefined && min !== undefined && raw < min) {
      this.add(at(path, 'raw'), 'must be >= min');
    }
    if (raw !== undefined && max !== undefined && raw > max) {
      this.add(at(path, 'raw'), 'must be <= max');
    }
  }
}

/** The component lists each interactionType supports (2.4.4.1 "Interaction Components"). */
function allowedLists(interactionType: string): readonly string[] {
  switch (interactionType) {
    case 'choice':
    case 'sequencing':
      return ['choices'];
    case 'likert':
      return ['scale'];
    case 'matching':
      return ['source', 'target'];
    case 'performance':
      return ['steps'];
    default:
      return [];
  }
}

function dedupe(problems: ValidationProblem[]): ValidationProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates one statement against the xAPI Data rules of `version` (1.0.x or 2.0). Never throws:
 * any JSON value gives either the typed statement or the list of every problem found.
 */
export function validateStatement(input: unknown, version: XapiVersion): ValidationResult {
  const { v1, v2 } = validators();
  const validate = isVersion1(version) ? v1 : v2;
  const schemaOk = validate(input);
  const problems: ValidationProblem[] = [];
  for (const error of validate.errors ?? []) {
    const problem = ajvProblem(error, input, version);
    if (problem !== undefined) problems.push(problem);
  }
  if (!isRecord(input)) {
    return {
      ok: false,
      problems: problems.length > 0 ? problems : [{ path: '', message: 'must be an object' }],
    };
  }
  const rules = new RuleChecker();
  rules.statement(input);
  problems.push(...rules.problems);
  if (schemaOk && problems.length === 0) return { ok: true, value: input };
  return { ok: false, problems: dedupe(problems) };
}

/**
 * Validates a POST body: one statement or an array of them (an empty array is valid). Problems in
 * an array are prefixed with the statement's index, e.g. `[1].actor.mbox`.
 */
export function validateStatements(
  body: unknown,
  version: XapiVersion,
): ValidationResult<Statement[]> {
  if (!Array.isArray(body)) {
    const one = validateStatement(body, version);
    return one.ok ? { ok: true, value: [one.value] } : one;
  }
  const value: Statement[] = [];
  const problems: ValidationProblem[] = [];
  body.forEach((item: unknown, index) => {
    const one = validateStatement(item, version);
    if (one.ok) value.push(one.value);
    else {
      for (const p of one.problems) {
        problems.push({
          path: p.path === '' ? `[${index}]` : `[${index}].${p.path}`,
          message: p.message,
        });
      }
    }
  });
  return problems.length === 0 ? { ok: true, value } : { ok: false, problems };
}

/** The problems as one readable line: `actor.mbox must be a mailto: IRI; object.id is required`. */
export function formatProblems(problems: readonly ValidationProblem[]): string {
  return problems.map((p) => (p.path === '' ? p.message : `${p.path} ${p.message}`)).join('; ');
}

/**
 * Like {@link validateStatements}, but returns the statements or throws `XAPI_ERR_VALIDATION`
 * (400) whose message lists every problem.
 */
export function assertValidStatements(body: unknown, version: XapiVersion): Statement[] {
  const result = validateStatements(body, version);
  if (!result.ok) throw new XAPI_ERR_VALIDATION(formatProblems(result.problems));
  return result.value;
}
