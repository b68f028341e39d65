import type { Activity, Actor, Statement } from '@cairn/xapi';
import { mulberry32, type Dataset } from './statement-generator.js';

/** The GET /statements shapes the benchmark measures, in the order it prints them. */
export const QUERY_SHAPES = [
  'statementId',
  'agent',
  'verb',
  'activity',
  'activity+related_activities',
  'agent+related_agents',
  'registration',
  'since+until',
  'limit=10',
  'ascending',
  'more',
] as const;
export type QueryShape = (typeof QUERY_SHAPES)[number];

/** Page size of the filtered queries (the LRS's own maximum is 500). */
export const PAGE_SIZE = 100;

export interface QueryPlanOptions {
  readonly dataset: Dataset;
  /** Statements 0 .. seeded-1 are stored. */
  readonly seeded: number;
  /** When the seeding ran: `stored` of the seeded statements lies in this interval. */
  readonly storedFrom: Date;
  readonly storedTo: Date;
  /** Distinct requests per shape (cycled by the load generator). */
  readonly samples: number;
  readonly seed: number;
  /** The Statements resource's path: Cairn's `/xapi/statements` unless a peer's differs. */
  readonly base?: string;
}

/** The IFI of an agent, as a client would pass it in `agent=`. */
function ifiOnly(agent: Actor): Actor {
  if (agent.mbox !== undefined) return { mbox: agent.mbox };
  if (agent.account !== undefined) return { account: agent.account };
  return agent;
}

function first(list: Activity | Activity[] | undefined): Activity | undefined {
  return Array.isArray(list) ? list[0] : list;
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Request paths for one shape, each built from a stored statement so that every filter matches
 * something (as real queries mostly do). 'more' is not here: its paths are the `more` links of
 * the 'verb' pages, fetched from the LRS.
 */
export function queryPaths(shape: Exclude<QueryShape, 'more'>, o: QueryPlanOptions): string[] {
  const rand = mulberry32(o.seed ^ shape.length);
  const stored = (): Statement => o.dataset.statement(Math.floor(rand() * o.seeded));
  const base = o.base ?? '/xapi/statements';
  const page = `limit=${PAGE_SIZE}`;
  const one = (): string => {
    const s = stored();
    switch (shape) {
      case 'statementId':
        return `${base}?statementId=${s.id ?? ''}`;
      case 'agent':
        return `${base}?agent=${enc(JSON.stringify(ifiOnly(s.actor)))}&${page}`;
      case 'verb':
        return `${base}?verb=${enc(s.verb.id)}&${page}`;
      case 'activity':
        return `${base}?activity=${enc(objectId(s))}&${page}`;
      case 'activity+related_activities': {
        const parent = first(s.context?.contextActivities?.parent)?.id ?? objectId(s);
        return `${base}?activity=${enc(parent)}&related_activities=true&${page}`;
      }
      case 'agent+related_agents': {
        const instructor = s.context?.instructor ?? s.actor;
        return `${base}?agent=${enc(JSON.stringify(ifiOnly(instructor)))}&related_agents=true&${page}`;
      }
      case 'registration': {
        // Social tools send no registration: look for a statement that has one.
        let registration = s.context?.registration;
        for (let tries = 0; registration === undefined && tries < 200; tries++) {
          registration = stored().context?.registration;
        }
        return `${base}?registration=${registration ?? '00000000-0000-4000-8000-000000000000'}&${page}`;
      }
      case 'since+until': {
        // A window of a tenth of the seeding interval.
        const from = o.storedFrom.getTime();
        const span = Math.max(1, o.storedTo.getTime() - from);
        const since = from + Math.floor(rand() * span * 0.9);
        const until = since + Math.ceil(span / 10);
        return `${base}?since=${new Date(since).toISOString()}&until=${new Date(until).toISOString()}&${page}`;
      }
      case 'limit=10':
        return `${base}?limit=10`;
      case 'ascending':
        return `${base}?ascending=true&${page}`;
    }
  };
  return Array.from({ length: o.samples }, one);
}

function objectId(s: Statement): string {
  return 'id' in s.object && typeof s.object.id === 'string' ? s.object.id : '';
}
