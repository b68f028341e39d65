import { X509Certificate, verify, type KeyObject } from 'node:crypto';
import { statementsEqual } from './statement-equality.js';
import type { Attachment, Statement } from './statement-types.js';
import { formatProblems, validateStatement } from './validate-statement.js';

/** usageType of the JWS attachment of a signed statement (xAPI Data 2.6.s4.b1). */
export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';
/** contentType the signature attachment must have (xAPI Data 2.6.s4.b1). */
export const SIGNATURE_CONTENT_TYPE = 'application/octet-stream';

/** The JWS algorithms xAPI allows (xAPI Data 2.6.s4.b4), with their digests. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
};
/** RFC 7518 3.3: RSA keys for RS* must be at least 2048 bits. */
const MIN_RSA_BITS = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/u;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/u;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** The attachments of `statement` that carry a signature (by usageType). */
export function signatureAttachments(statement: Statement): Attachment[] {
  return (statement.attachments ?? []).filter((a) => a.usageType === SIGNATURE_USAGE_TYPE);
}

/**
 * Checks a signed statement as xAPI Data 2.6.s5.b3 requires, given the content of its signature
 * attachment:
 *
 * - `jws` must be a JWS in Compact Serialization (the JSON Serialization is refused: 2.6.s4.b2
 *   strongly discourages it and announces its removal);
 * - its header's `alg` must be RS256, RS384 or RS512; a `crit` header is refused (we understand no
 *   extension);
 * - its payload must be a valid statement that is the same as `statement` without its signature
 *   attachment(s), by the Statement Comparison Requirements ({@link statementsEqual}: what the LRS
 *   may assign, such as id, authority, stored or version, does not count);
 * - when the header has `x5c`, the signature must verify with the RSA public key of the first
 *   certificate, and each certificate of the chain must be issued and signed by the next one.
 *   Validity dates and trust roots are not checked: 2.6 says this step catches mistakes and is not
 *   a security measure, and a durable signature outlives its certificate.
 *
 * Without `x5c` there is no key to verify against (the spec names none, and a `jwk` in the header
 * would prove nothing the payload check does not): a structurally valid JWS whose payload matches
 * is accepted. Pure: no I/O, never throws.
 */
export function verifyStatementSignature(statement: Statement, jws: string): SignatureCheck {
  const compact = jws.trim();
  if (compact.startsWith('{')) {
    return fail('only the JWS Compact Serialization is supported');
  }
  const segments = compact.split('.');
  const [headerB64, payloadB64, signatureB64] = segments;
  if (
    segments.length !== 3 ||
    headerB64 === undefined ||
    payloadB64 === undefined ||
    signatureB64 === undefined ||
    ![headerB64, payloadB64, signatureB64].every((s) => BASE64URL.test(s))
  ) {
    return fail('not a JWS in Compact Serialization (three non-empty base64url segments)');
  }

  const header = parseJson(headerB64);
  if (!isRecord(header)) return fail('the JWS header is not a JSON object');
  const alg = header['alg'];
  const digest = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
  if (digest === undefined) {
    return fail(`the JWS algorithm must be RS256, RS384 or RS512, not ${JSON.stringify(alg)}`);
  }
  if (header['crit'] !== undefined) return fail('the JWS header has unsupported crit extensions');

  const payload = parseJson(payloadB64);
  const signed = validateStatement(payload, '2.0.0');
  if (!signed.ok) {
    return fail(`the JWS payload is not a valid statement: ${formatProblems(signed.problems)}`);
  }
  if (!statementsEqual(withoutEmptyAttachments(signed.value), unsigned(statement))) {
    return fail('the JWS payload differs from the statement');
  }

  if (header['x5c'] === undefined) return { ok: true };
  const key = x5cKey(header['x5c']);
  if (typeof key === 'string') return fail(key);
  const signingInput = Buffer.from(`${headerB64}.${payloadB64}`, 'ascii');
  const signature = Buffer.from(signatureB64, 'base64url');
  let valid: boolean;
  try {
    valid = verify(digest, signingInput, key, signature);
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : fail('the signature does not verify with the x5c certificate');
}

/** The statement as it was before its signature was added (2.6.s4.b3). */
function unsigned(statement: Statement): Statement {
  const rest = (statement.attachments ?? []).filter((a) => a.usageType !== SIGNATURE_USAGE_TYPE);
  return withoutEmptyAttachments({ ...statement, attachments: rest });
}

/** `attachments: []` and no `attachments` are the same statement. */
function withoutEmptyAttachments(statement: Statement): Statement {
  if (statement.attachments === undefined || statement.attachments.length > 0) return statement;
  const copy: Statement = { ...statement };
  delete copy.attachments;
  return copy;
}

/** The public key of the first certificate of a valid `x5c` chain, or why there is none. */
function x5cKey(x5c: unknown): KeyObject | string {
  if (!Array.isArray(x5c) || x5c.length === 0) {
    return 'x5c must be a non-empty array of base64 DER certificates';
  }
  const certificates: X509Certificate[] = [];
  for (const [i, entry] of x5c.entries()) {
    if (typeof entry !== 'string' || !BASE64.test(entry)) {
      return `x5c[${i}] is not a base64 DER certificate`;
    }
    try {
      certificates.push(new X509Certificate(Buffer.from(entry, 'base64')));
    } catch {
      return `x5c[${i}] is not a valid X.509 certificate`;
    }
  }
  for (let i = 0; i + 1 < certificates.length; i += 1) {
    const cert = certificates[i];
    const issuer = certificates[i + 1];
    if (
      cert === undefined ||
      issuer === undefined ||
      !cert.checkIssued(issuer) ||
      !cert.verify(issuer.publicKey)
    ) {
      return `x5c[${i}] is not issued and signed by x5c[${i + 1}]`;
    }
  }
  const key = certificates[0]?.publicKey;
  if (key === undefined || key.asymmetricKeyType !== 'rsa') {
    return 'the x5c certificate does not hold an RSA public key';
  }
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
    return `the x5c certificate's RSA key is shorter than ${MIN_RSA_BITS} bits`;
  }
  return key;
}

function parseJson(base64url: string): unknown {
  try {
    return JSON.parse(Buffer.from(base64url, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): SignatureCheck {
  return { ok: false, reason };
}
