import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  sign,
  X509Certificate,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  SIGNATURE_USAGE_TYPE,
  signatureAttachments,
  verifyStatementSignature,
  type Attachment,
  type Statement,
} from '@cairn/xapi';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/signing/${name}`, import.meta.url), 'utf8');
}

/** The base64 DER of a PEM certificate, as x5c wants it. */
function der(pem: string): string {
  return new X509Certificate(pem).raw.toString('base64');
}

const SELF_KEY = createPrivateKey(fixture('self-signed.key.pem'));
const SELF_CERT = der(fixture('self-signed.cert.pem'));
const LEAF_KEY = createPrivateKey(fixture('leaf.key.pem'));
const LEAF_CERT = der(fixture('leaf.cert.pem'));
const CA_CERT = der(fixture('ca.cert.pem'));

const DIGESTS = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A compact JWS of `payload` signed with `key` (RSA PKCS#1 v1.5, as RS* are). */
function jws(
  payload: unknown,
  key: Parameters<typeof sign>[2],
  header: Record<string, unknown> & { alg: keyof typeof DIGESTS },
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = sign(DIGESTS[header.alg], Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

const original: Statement = {
  actor: { objectType: 'Agent', mbox: 'mailto:ann@example.com', name: 'Ann' },
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { en: 'passed' } },
  object: { objectType: 'Activity', id: 'https://example.com/exams/safety' },
  result: { success: true, score: { scaled: 0.9 } },
  timestamp: '2024-03-01T10:00:00.000Z',
};

const certificate: Attachment = {
  usageType: 'https://example.com/usage/certificate',
  display: { en: 'certificate' },
  contentType: 'application/pdf',
  length: 3,
  sha2: createHash('sha256').update('pdf').digest('hex'),
};

/** `statement` as sent: with the signature attachment for `token` appended. */
function signed(statement: Statement, token: string): Statement {
  const attachment: Attachment = {
    usageType: SIGNATURE_USAGE_TYPE,
    display: { en: 'signature' },
    contentType: 'application/octet-stream',
    length: Buffer.byteLength(token),
    sha2: createHash('sha256').update(token).digest('hex'),
  };
  return { ...statement, attachments: [...(statement.attachments ?? []), attachment] };
}

t.test('signatureAttachments finds the attachments with the signature usageType', async (t) => {
  const token = jws(original, SELF_KEY, { alg: 'RS256', x5c: [SELF_CERT] });
  const s = signed({ ...original, attachments: [certificate] }, token);
  const found = signatureAttachments(s);
  t.equal(found.length, 1);
  t.equal(found[0]?.usageType, SIGNATURE_USAGE_TYPE);
  t.same(signatureAttachments(original), []);
});

t.test('a statement signed with an x5c certificate verifies, for each RS algorithm', async (t) => {
  for (const alg of ['RS256', 'RS384', 'RS512'] as const) {
    const token = jws(original, SELF_KEY, { alg, x5c: [SELF_CERT] });
    t.same(verifyStatementSignature(signed(original, token), token), { ok: true }, alg);
  }
});

t.test('a chain is accepted when each certificate is issued by the next', async (t) => {
  const token = jws(original, LEAF_KEY, { alg: 'RS256', x5c: [LEAF_CERT, CA_CERT] });
  t.same(verifyStatementSignature(signed(original, token), token), { ok: true });

  const reversed = jws(original, LEAF_KEY, { alg: 'RS256', x5c: [CA_CERT, LEAF_CERT] });
  t.match(verifyStatementSignature(signed(original, reversed), reversed), {
    ok: false,
    reason: /x5c\[0\] is not issued and signed by x5c\[1\]/,
  });

  const unrelated = jws(original, LEAF_KEY, { alg: 'RS256', x5c: [LEAF_CERT, SELF_CERT] });
  t.match(verifyStatementSignature(signed(original, unrelated), unrelated), { ok: false });
});

t.test('what the LRS assigns and the other attachments do not break the match', async (t) => {
  const withOther: Statement = { ...original, attachments: [certificate] };
  const token = jws(withOther, SELF_KEY, { alg: 'RS256', x5c: [SELF_CERT] });
  const received: Statement = {
    ...signed(withOther, token),
    id: '2a1b6ed0-7a0e-4d53-8a35-3b1b0c6d6f11',
    timestamp: '2024-03-01T11:00:00.000+01:00',
    authority: { objectType: 'Agent', mbox: 'mailto:lrs@example.com' },
    stored: '2024-03-02T00:00:00.000Z',
    version: '1.0.0',
  };
  t.same(verifyStatementSignature(received, token), { ok: true });
});

t.test('a payload that differs from the statement is refused', async (t) => {
  const token = jws(original, SELF_KEY, { alg: 'RS256', x5c: [SELF_CERT] });
  const tampered: Statement = { ...original, result: { success: false } };
  t.same(verifyStatementSignature(signed(tampered, token), token), {
    ok: false,
    reason: 'the JWS payload differs from the statement',
  });

  // The payload must not include the signature attachment's siblings it did not sign.
  const extra = signed({ ...original, attachments: [certificate] }, token);
  t.match(verifyStatementSignature(extra, token), { ok: false, reason: /differs/ });

  const notAStatement = jws({ hello: 'world' }, SELF_KEY, { alg: 'RS256', x5c: [SELF_CERT] });
  t.match(verifyStatementSignature(signed(original, notAStatement), notAStatement), {
    ok: false,
    reason: /^the JWS payload is not a valid statement: /,
  });
});

t.test('a signature that does not verify with the x5c key is refused', async (t) => {
  const token = jws(original, SELF_KEY, { alg: 'RS256', x5c: [SELF_CERT] });
  const [header = '', payload = '', signature = ''] = token.split('.');
  const other = jws(original, LEAF_KEY, { alg: 'RS256', x5c: [SELF_CERT] });
  const expected = { ok: false, reason: 'the signature does not verify with the x5c certificate' };
  t.same(verifyStatementSignature(signed(original, other), other), expected, 'wrong key');

  const flipped = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  t.same(verifyStatementSignature(signed(original, flipped), flipped), expected, 'bit flip');

  // Same statement, payload re-serialised after signing: still logically equal, but not signed.
  const respaced = Buffer.from(JSON.stringify(original, null, 2)).toString('base64url');
  const moved = `${header}.${respaced}.${signature}`;
  t.same(verifyStatementSignature(signed(original, moved), moved), expected, 'payload bytes');
});

t.test('only RS256, RS384 and RS512 are allowed', async (t) => {
  const hs = (alg: string): string =>
    `${b64url({ alg, typ: 'JWT' })}.${b64url(original)}.${Buffer.from('mac').toString('base64url')}`;
  for (const alg of ['HS256', 'ES256', 'PS256', 'none', 'rs256']) {
    const token = hs(alg);
    t.same(
      verifyStatementSignature(signed(original, token), token),
      {
        ok: false,
        reason: `the JWS algorithm must be RS256, RS384 or RS512, not ${JSON.stringify(alg)}`,
      },
      alg,
    );
  }
  const noAlg = `${b64url({ typ: 'JWT' })}.${b64url(original)}.c2ln`;
  t.match(verifyStatementSignature(signed(original, noAlg), noAlg), {
    ok: false,
    reason: /not undefined/,
  });
});

t.test('malformed JWS and x5c values are refused with a reason', async (t) => {
  const cases: [string, string, RegExp][] = [
    ['two segments', 'abc.def', /Compact Serialization/],
    ['empty signature', `${b64url({ alg: 'RS256' })}.${b64url(original)}.`, /three non-empty/],
    ['not base64url', `${b64url({ alg: 'RS256' })}.${b64url(original)}.a+b/`, /base64url/],
    ['JSON serialization', JSON.stringify({ payload: 'x', signatures: [] }), /Compact/],
    ['header not JSON', `bm90IGpzb24.${b64url(original)}.c2ln`, /header is not a JSON object/],
    ['crit header', jws(original, SELF_KEY, { alg: 'RS256', crit: ['exp'], exp: 1 }), /crit/],
    ['x5c not an array', jws(original, SELF_KEY, { alg: 'RS256', x5c: SELF_CERT }), /non-empty/],
    ['x5c empty', jws(original, SELF_KEY, { alg: 'RS256', x5c: [] }), /non-empty/],
    [
      'x5c not base64',
      jws(original, SELF_KEY, { alg: 'RS256', x5c: ['not base64!'] }),
      /x5c\[0\] is not a base64 DER certificate/,
    ],
    [
      'x5c not a certificate',
      jws(original, SELF_KEY, { alg: 'RS256', x5c: [Buffer.from('junk').toString('base64')] }),
      /x5c\[0\] is not a valid X.509 certificate/,
    ],
  ];
  for (const [name, token, reason] of cases) {
    t.match(verifyStatementSignature(signed(original, token), token), { ok: false, reason }, name);
  }
});

t.test('without x5c a well-formed JWS whose payload matches is accepted', async (t) => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const token = jws(original, privateKey, { alg: 'RS512' });
  t.same(verifyStatementSignature(signed(original, token), token), { ok: true });
  t.same(verifyStatementSignature(signed(original, `  ${token}\n`), `  ${token}\n`), { ok: true });

  const other: Statement = { ...original, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } };
  t.match(verifyStatementSignature(signed(other, token), token), {
    ok: false,
    reason: /differs/,
  });
});
