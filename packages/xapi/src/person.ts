import { agentKey, agentKeyOrUndefined, mboxSha1, normaliseMbox } from './ifi.js';
import type {
  Account,
  Actor,
  Agent,
  Context,
  InverseFunctionalIdentifiers,
  Statement,
  SubStatement,
} from './statement-types.js';
import { isAgentOrGroup } from './statement-types.js';

/**
 * The Person Object of the Agents resource (xAPI-Communication 2.4): every property an array, and
 * several identifiers allowed. Properties with no value are left out.
 */
export interface Person {
  readonly objectType: 'Person';
  readonly name?: string[];
  readonly mbox?: string[];
  readonly mbox_sha1sum?: string[];
  readonly openid?: string[];
  readonly account?: Account[];
}

/** What one Agent of a statement tells about a person. */
export interface AgentSighting {
  /** The canonical key of its IFI ({@link agentKey}). */
  readonly key: string;
  /** The keys under which the person is found: see {@link personLookupKeys}. */
  readonly lookupKeys: string[];
  /** Its IFI alone, normalised: an mbox with its domain lower-cased, a SHA-1 in lower case. */
  readonly ifi: InverseFunctionalIdentifiers;
  /** The name it was given, if any. */
  readonly name?: string;
}

/** What is known of a person: its identifiers and names (one record of a people store). */
export interface PersonFacts {
  readonly ifis: readonly InverseFunctionalIdentifiers[];
  readonly names: readonly string[];
}

/** The IFI of an Agent alone, normalised so that equal IFIs are equal objects. */
export function normalisedIfi(agent: InverseFunctionalIdentifiers): InverseFunctionalIdentifiers {
  if (agent.mbox !== undefined) return { mbox: normaliseMbox(agent.mbox) };
  if (agent.mbox_sha1sum !== undefined) return { mbox_sha1sum: agent.mbox_sha1sum.toLowerCase() };
  if (agent.openid !== undefined) return { openid: agent.openid };
  if (agent.account !== undefined) {
    return { account: { homePage: agent.account.homePage, name: agent.account.name } };
  }
  throw new TypeError('normalisedIfi: the agent has no inverse functional identifier');
}

/**
 * The keys that find what is known about an agent: its own IFI key and, for an mbox, the key of
 * the mbox's SHA-1, so that an agent known only by `mbox_sha1sum` and one known by the matching
 * `mbox` join (docs/analytics-core.md, section 6). Never a name.
 */
export function personLookupKeys(agent: InverseFunctionalIdentifiers): string[] {
  const key = agentKey(agent);
  return agent.mbox === undefined ? [key] : [key, `sha1::${mboxSha1(agent.mbox)}`];
}

function membersAndSelf(actor: Actor | undefined): Agent[] {
  if (actor === undefined) return [];
  if (actor.objectType === 'Group') return actor.member ?? [];
  return [actor];
}

function contextAgents(context: Context | undefined): Agent[] {
  if (context === undefined) return [];
  return [
    ...membersAndSelf(context.instructor),
    ...membersAndSelf(context.team),
    ...(context.contextAgents ?? []).map((c) => c.agent),
    ...(context.contextGroups ?? []).flatMap((c) => membersAndSelf(c.group)),
  ];
}

function partAgents(part: Statement | SubStatement): Agent[] {
  const object = part.object;
  return [
    ...membersAndSelf(part.actor),
    ...(isAgentOrGroup(object) ? membersAndSelf(object) : []),
    ...contextAgents(part.context),
  ];
}

/**
 * Every Agent of a statement: actor, object, instructor, team, 2.0 context agents and groups, the
 * members of any Group among them, and the same in a SubStatement. Groups themselves are not
 * people and are left out, and so is the authority, which Cairn sets from the credential.
 */
export function agentsIn(statement: Statement): AgentSighting[] {
  const agents = partAgents(statement);
  if (statement.object.objectType === 'SubStatement') agents.push(...partAgents(statement.object));
  // A valid statement's Agents all have an IFI; anything else is skipped, not guessed at.
  return agents.flatMap((agent) =>
    agentKeyOrUndefined(agent) === undefined
      ? []
      : [
          {
            key: agentKey(agent),
            lookupKeys: personLookupKeys(agent),
            ifi: normalisedIfi(agent),
            ...(agent.name !== undefined ? { name: agent.name } : {}),
          },
        ],
  );
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * The Person Object for `queried` from what is known about it (xAPI-Communication 2.4): the union
 * of the facts' identifiers and names, each once, sorted, plus the queried agent's own IFI, so
 * that an agent nothing is known of still gets a Person with its identifier (2.4.s3.b3).
 */
export function personObject(queried: Agent, facts: readonly PersonFacts[]): Person {
  const ifis = [normalisedIfi(queried), ...facts.flatMap((f) => f.ifis.map(normalisedIfi))];
  const names = uniqueSorted(facts.flatMap((f) => f.names));
  const mbox = uniqueSorted(ifis.flatMap((i) => i.mbox ?? []));
  const sha1 = uniqueSorted(ifis.flatMap((i) => i.mbox_sha1sum ?? []));
  const openid = uniqueSorted(ifis.flatMap((i) => i.openid ?? []));
  const accounts = new Map(
    ifis.flatMap((i) => (i.account === undefined ? [] : [[agentKey(i), i.account] as const])),
  );
  const account = uniqueSorted([...accounts.keys()]).flatMap((k) => accounts.get(k) ?? []);
  return {
    objectType: 'Person',
    ...(names.length > 0 ? { name: names } : {}),
    ...(mbox.length > 0 ? { mbox } : {}),
    ...(sha1.length > 0 ? { mbox_sha1sum: sha1 } : {}),
    ...(openid.length > 0 ? { openid } : {}),
    ...(account.length > 0 ? { account } : {}),
  };
}
