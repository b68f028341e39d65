import { createHash } from 'node:crypto';
import type { Actor, InverseFunctionalIdentifiers } from './statement-types.js';

/**
 * `mailto:Local@Example.COM` -> `mailto:Local@example.com`: the domain of an email address is case
 * insensitive (xAPI-Data 2.3.1.b7, 2.4.2.3.s4.b1); the local part is left as sent.
 */
export function normaliseMbox(mbox: string): string {
  const at = mbox.lastIndexOf('@');
  return at < 0 ? mbox : mbox.slice(0, at + 1) + mbox.slice(at + 1).toLowerCase();
}

/**
 * The `mbox_sha1sum` of a `mailto:` IRI: hex SHA-1 of the whole IRI, `mailto:` included
 * (xAPI-Data 2.4.2.3), computed over the IRI with its domain lower-cased as clients SHOULD do.
 */
export function mboxSha1(mbox: string): string {
  return createHash('sha1').update(normaliseMbox(mbox), 'utf8').digest('hex');
}

/**
 * The canonical key of an Agent's or Identified Group's IFI, equal for two objects exactly when the
 * spec says they identify the same Agent or Group: `mbox::mailto:local@domain` (domain lower-cased),
 * `sha1::<lowercase hex>`, `openid::<uri>`, `account::<homePage>::<name>`. Undefined for an
 * Anonymous Group (or any object without an IFI).
 */
export function agentKeyOrUndefined(
  agent: Actor | InverseFunctionalIdentifiers,
): string | undefined {
  if (agent.mbox !== undefined) return `mbox::${normaliseMbox(agent.mbox)}`;
  if (agent.mbox_sha1sum !== undefined) return `sha1::${agent.mbox_sha1sum.toLowerCase()}`;
  if (agent.openid !== undefined) return `openid::${agent.openid}`;
  if (agent.account !== undefined) {
    return `account::${agent.account.homePage}::${agent.account.name}`;
  }
  return undefined;
}

/**
 * Like {@link agentKeyOrUndefined} for an object known to have an IFI (a validated Agent or
 * Identified Group); throws a TypeError for one without.
 */
export function agentKey(agent: Actor | InverseFunctionalIdentifiers): string {
  const key = agentKeyOrUndefined(agent);
  if (key === undefined)
    throw new TypeError('agentKey: the agent has no inverse functional identifier');
  return key;
}
