import { isIri, isUuid, parseTimestamp } from '@cairn/xapi';
import { LrsErrors } from '../../errors.js';

/** GET /statements parameters, parsed and checked (xAPI Communication, "Statement Resource"). */
export interface StatementGetParams {
  readonly statementId?: string;
  readonly voidedStatementId?: string;
  /** The `agent` parameter as parsed JSON; its IFI key is computed by the route. */
  readonly agent?: Record<string, unknown>;
  readonly verb?: string;
  readonly activity?: string;
  readonly registration?: string;
  readonly relatedActivities: boolean;
  readonly relatedAgents: boolean;
  readonly since?: Date;
  readonly until?: Date;
  readonly limit: number;
  readonly format: 'exact' | 'ids' | 'canonical';
  readonly attachments: boolean;
  readonly ascending: boolean;
}

const KNOWN = new Set([
  'statementId',
  'voidedStatementId',
  'agent',
  'verb',
  'activity',
  'registration',
  'related_activities',
  'related_agents',
  'since',
  'until',
  'limit',
  'format',
  'attachments',
  'ascending',
]);

/** Parameters that may accompany statementId / voidedStatementId. */
const SINGLE_OK = new Set(['statementId', 'voidedStatementId', 'format', 'attachments']);

export const MAX_LIMIT = 500;

/** Parses the query string; every bad or unknown parameter is a 400 naming it. */
export function parseGetParams(query: Readonly<Record<string, string>>): StatementGetParams {
  for (const key of Object.keys(query))
    if (!KNOWN.has(key)) throw new LrsErrors.unknownParameter(key);
  const single = query['statementId'] ?? query['voidedStatementId'];
  if (single !== undefined) {
    if (query['statementId'] !== undefined && query['voidedStatementId'] !== undefined) {
      throw new LrsErrors.badParameter('statementId', 'cannot be combined with voidedStatementId');
    }
    for (const key of Object.keys(query)) {
      if (!SINGLE_OK.has(key)) {
        throw new LrsErrors.badParameter(
          key,
          'cannot be combined with statementId or voidedStatementId',
        );
      }
    }
  }
  return {
    ...optional('statementId', uuid(query, 'statementId')),
    ...optional('voidedStatementId', uuid(query, 'voidedStatementId')),
    ...optional('agent', agent(query['agent'])),
    ...optional('verb', iri(query, 'verb')),
    ...optional('activity', iri(query, 'activity')),
    ...optional('registration', uuid(query, 'registration')),
    relatedActivities: bool(query, 'related_activities'),
    relatedAgents: bool(query, 'related_agents'),
    ...optional('since', timestamp(query, 'since')),
    ...optional('until', timestamp(query, 'until')),
    limit: limit(query['limit']),
    format: format(query['format']),
    attachments: bool(query, 'attachments'),
    ascending: bool(query, 'ascending'),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function uuid(query: Readonly<Record<string, string>>, key: string): string | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  if (!isUuid(value))
    throw new LrsErrors.badParameter(key, `must be a UUID, got ${JSON.stringify(value)}`);
  return value.toLowerCase();
}

function iri(query: Readonly<Record<string, string>>, key: string): string | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  // The statements' own rule: a query for an IRI no statement can hold is a mistake to report.
  if (!isIri(value))
    throw new LrsErrors.badParameter(key, `must be an IRI, got ${JSON.stringify(value)}`);
  return value;
}

function bool(query: Readonly<Record<string, string>>, key: string): boolean {
  const value = query[key];
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new LrsErrors.badParameter(key, `must be true or false, got ${JSON.stringify(value)}`);
}

/** `since` and `until` are Timestamps (Communication 2.1.3): read as statements' timestamps are. */
function timestamp(query: Readonly<Record<string, string>>, key: string): Date | undefined {
  const value = query[key];
  if (value === undefined) return undefined;
  const parsed = parseTimestamp(value);
  if (parsed === undefined) {
    throw new LrsErrors.badParameter(
      key,
      `must be an ISO 8601 timestamp, got ${JSON.stringify(value)}`,
    );
  }
  return new Date(parsed.epochMs);
}

/**
 * Communication 2.1.3: `limit` is a Nonnegative Integer; "0 indicates return the maximum the
 * server will allow". Any decimal digits are its value, so `00` is 0 too, not an empty page.
 */
function limit(value: string | undefined): number {
  if (value === undefined) return MAX_LIMIT;
  if (!/^\d+$/.test(value))
    throw new LrsErrors.badParameter('limit', 'must be a non-negative integer');
  const n = Number(value);
  return n === 0 ? MAX_LIMIT : Math.min(n, MAX_LIMIT);
}

function format(value: string | undefined): 'exact' | 'ids' | 'canonical' {
  if (value === undefined) return 'exact';
  if (value === 'exact' || value === 'ids' || value === 'canonical') return value;
  throw new LrsErrors.badParameter('format', 'must be exact, ids or canonical');
}

function agent(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new LrsErrors.badParameter('agent', 'must be a JSON Agent or Group object');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new LrsErrors.badParameter('agent', 'must be a JSON Agent or Group object');
  }
  return parsed as Record<string, unknown>;
}
