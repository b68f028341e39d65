import { createHash } from 'node:crypto';
import { mboxSha1, normaliseMbox } from '@cairn/xapi';

/*
 * Identifier keys and person ids (docs/identity.md). Pure: no I/O.
 *
 * A person is a set of canonical identifier keys (`agentKey` of @cairn/xapi). An mbox and the key
 * of its SHA-1 are one unit: they always belong to the same person, so that a source sending only
 * `mbox_sha1sum` joins the person of the address (docs/analytics-core.md, section 6).
 */

const MBOX = 'mbox::';
const SHA1 = 'sha1::';
const OPENID = 'openid::';
const ACCOUNT = 'account::';

/** A person id: 64 lowercase hexadecimal digits. */
export const PERSON_ID_PATTERN = /^[0-9a-f]{64}$/u;

/** SHA-256 hex of `text`: a fixed-length, stable person id. */
export function personIdOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The `sha1::` key of an `mbox::` key; undefined for any other key. */
export function sha1KeyOf(key: string): string | undefined {
  return key.startsWith(MBOX) ? `${SHA1}${mboxSha1(key.slice(MBOX.length))}` : undefined;
}

/** The keys that always belong together: an mbox key with its SHA-1's key, any other key alone. */
export function identifierGroup(key: string): string[] {
  const sha1 = sha1KeyOf(key);
  return sha1 === undefined ? [key] : [key, sha1];
}

/**
 * The id of the person an identifier group starts in when nobody has seen any of its keys: derived
 * from the SHA-1 key when there is one, so that the address and its hash, seen first by two
 * writers at once, both land in one person without either reading the other's write.
 */
export function homePersonId(group: readonly string[]): string {
  const anchor = group.find((k) => k.startsWith(SHA1)) ?? group[0] ?? '';
  return personIdOf(anchor);
}

/**
 * The canonical form of an identifier key written by a person (API, directory), or undefined when
 * it is not one: the domain of an mbox lower-cased, a SHA-1 in lower case.
 */
export function canonicalIdentifierKey(input: string): string | undefined {
  if (input.startsWith(MBOX)) {
    const mbox = input.slice(MBOX.length);
    return /^mailto:[^@\s]+@[^@\s]+$/u.test(mbox) ? `${MBOX}${normaliseMbox(mbox)}` : undefined;
  }
  if (input.startsWith(SHA1)) {
    const hex = input.slice(SHA1.length);
    return /^[0-9a-fA-F]{40}$/u.test(hex) ? `${SHA1}${hex.toLowerCase()}` : undefined;
  }
  if (input.startsWith(OPENID)) {
    return input.length > OPENID.length ? input : undefined;
  }
  if (input.startsWith(ACCOUNT)) {
    const rest = input.slice(ACCOUNT.length);
    const sep = rest.indexOf('::');
    return sep > 0 && sep + 2 < rest.length ? input : undefined;
  }
  return undefined;
}

/** The canonical key of an account (`agentKey` of @cairn/xapi for `{ account }`). */
export function accountKey(homePage: string, name: string): string {
  return `${ACCOUNT}${homePage}::${name}`;
}

/** The canonical key of an mbox IRI (`mailto:...`). */
export function mboxKey(mbox: string): string {
  return `${MBOX}${normaliseMbox(mbox)}`;
}
