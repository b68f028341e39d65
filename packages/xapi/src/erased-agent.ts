import { agentKeyOrUndefined, mboxSha1 } from './ifi.js';
import type { Actor, Agent, InverseFunctionalIdentifiers } from './statement-types.js';

/**
 * The home page of the one account that stands, in stored statements, for every person Cairn
 * erased (docs/identity.md, "Erasure"). A statement of someone else that named an erased person
 * keeps a valid Agent in that place, one that identifies nobody: the same for every erased
 * person, so that two redacted statements cannot be told to name the same one.
 */
export const ERASED_HOME_PAGE = 'https://cairn-lrs.org/xapi/erased';

/** The Agent that replaces an erased person wherever a kept statement named them. */
export const ERASED_AGENT: Agent = Object.freeze({
  objectType: 'Agent',
  account: Object.freeze({ homePage: ERASED_HOME_PAGE, name: 'erased' }),
});

/** Whether an Agent is {@link ERASED_AGENT}'s account (whatever else it carries). */
export function isErasedAgent(agent: Actor | InverseFunctionalIdentifiers): boolean {
  return agent.account?.homePage === ERASED_HOME_PAGE;
}

/**
 * The canonical key of a person's Agent, or undefined when it identifies nobody: no IFI, or the
 * erased account. What the analytics core credits evidence to, so that a redacted statement
 * credits nobody in the erased person's place.
 */
export function personKeyOrUndefined(
  agent: Actor | InverseFunctionalIdentifiers,
): string | undefined {
  return isErasedAgent(agent) ? undefined : agentKeyOrUndefined(agent);
}

/**
 * The lookup keys of an Agent-shaped JSON value anywhere in a statement (extensions included):
 * its IFI key and, for an mbox, its SHA-1 key; none when it is not an Agent with exactly the
 * shape of one IFI. Values in extensions are not validated, so every field is checked here.
 */
export function agentLookupKeysOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const v = value as Record<string, unknown>;
  if (typeof v.mbox === 'string' && v.mbox.startsWith('mailto:')) {
    const key = agentKeyOrUndefined({ mbox: v.mbox });
    return key === undefined ? [] : [key, `sha1::${mboxSha1(v.mbox)}`];
  }
  if (typeof v.mbox_sha1sum === 'string') return [`sha1::${v.mbox_sha1sum.toLowerCase()}`];
  if (typeof v.openid === 'string') return [`openid::${v.openid}`];
  const account = v.account;
  if (typeof account === 'object' && account !== null && !Array.isArray(account)) {
    const a = account as Record<string, unknown>;
    if (typeof a.homePage === 'string' && typeof a.name === 'string')
      return [`account::${a.homePage}::${a.name}`];
  }
  return [];
}

/**
 * A copy of a JSON value (a statement) in which every Agent-shaped object that `erased` says is
 * an erased person's is {@link ERASED_AGENT}, wherever it stands: actor, object, Group members,
 * instructor, team, context agents, authority, SubStatements and extensions. `replaced` counts
 * the replacements.
 */
export function redactAgents<T>(
  value: T,
  erased: (lookupKeys: readonly string[]) => boolean,
): { readonly value: T; readonly replaced: number } {
  let replaced = 0;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const keys = agentLookupKeysOf(node);
    if (keys.length > 0 && erased(keys)) {
      replaced++;
      return { objectType: 'Agent', account: { ...ERASED_AGENT.account } };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
  };
  const out = walk(value) as T;
  return { value: out, replaced };
}
