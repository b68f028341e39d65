import type { Statement } from '@cairn/xapi';
import type { Dataset } from './statement-generator.js';

/** One measured request shape of the document, Activities and Agents resources. */
export interface DocumentStep {
  readonly name: string;
  readonly method: 'GET' | 'PUT' | 'POST';
  readonly paths: readonly string[];
  /** JSON body of PUT and POST (merged into the stored JSON document by POST). */
  readonly body?: string;
}

const enc = encodeURIComponent;

/** More distinct new documents than any PUT step writes in its seconds. */
const PUT_PATHS = 50_000;

function objectId(s: Statement): string | null {
  return 'id' in s.object && typeof s.object.id === 'string' ? s.object.id : null;
}

/**
 * The document steps, in order (writes before the reads that find what they wrote): State PUT,
 * GET, POST (JSON merge) and id list; Activity Profile and Agent Profile POST (merge needs no
 * precondition header, so repeating it over the same addresses is valid) and GET; then the
 * Activities and Agents resources for activities and agents of stored statements.
 * `addresses` distinct learners x activities are cycled through.
 */
export function documentSteps(dataset: Dataset, stored: number, addresses: number): DocumentStep[] {
  const activity = (i: number): string => enc(`https://bench.example/activities/a${i}`);
  const agent = (i: number): string =>
    enc(JSON.stringify({ mbox: `mailto:learner${i % 50}@bench.example` }));
  const range = Array.from({ length: addresses }, (_, i) => i);
  const state = range.map(
    (i) => `/xapi/activities/state?activityId=${activity(i)}&agent=${agent(i)}&stateId=bookmark`,
  );
  // A PUT without a precondition may only create (an existing document wants If-Match): the PUT
  // step writes the 200 addresses the reads use first, then new state ids, never one twice.
  const newStates = Array.from(
    { length: PUT_PATHS },
    (_, k) =>
      `/xapi/activities/state?activityId=${activity(k % addresses)}&agent=${agent(k % addresses)}` +
      `&stateId=${k < addresses ? 'bookmark' : `bookmark-${k}`}`,
  );
  const stateIds = range.map(
    (i) => `/xapi/activities/state?activityId=${activity(i)}&agent=${agent(i)}`,
  );
  const activityProfile = range.map(
    (i) => `/xapi/activities/profile?activityId=${activity(i)}&profileId=settings`,
  );
  const agentProfile = range.map((i) => `/xapi/agents/profile?agent=${agent(i)}&profileId=prefs`);

  // Activities and agents that statements in the store name.
  const sample = range.map((i) => dataset.statement(Math.floor((i * stored) / addresses)));
  const activities = sample
    .map(objectId)
    .filter((id): id is string => id !== null)
    .map((id) => `/xapi/activities?activityId=${enc(id)}`);
  const agents = sample.map((s) => `/xapi/agents?agent=${enc(JSON.stringify(s.actor))}`);

  return [
    {
      name: 'PUT state (new)',
      method: 'PUT',
      paths: newStates,
      body: '{"page":3,"progress":0.42}',
    },
    { name: 'GET state', method: 'GET', paths: state },
    { name: 'POST state (merge)', method: 'POST', paths: state, body: '{"progress":0.5}' },
    { name: 'GET state ids', method: 'GET', paths: stateIds },
    {
      name: 'POST activity profile (merge)',
      method: 'POST',
      paths: activityProfile,
      body: '{"theme":"dark"}',
    },
    { name: 'GET activity profile', method: 'GET', paths: activityProfile },
    {
      name: 'POST agent profile (merge)',
      method: 'POST',
      paths: agentProfile,
      body: '{"lang":"en"}',
    },
    { name: 'GET agent profile', method: 'GET', paths: agentProfile },
    { name: 'GET activities', method: 'GET', paths: activities },
    { name: 'GET agents', method: 'GET', paths: agents },
  ];
}
