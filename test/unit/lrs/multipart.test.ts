import { createHash } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { parseMultipart, serializeMultipart, type AttachmentPart } from '@cairn/lrs';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'), 'utf8');

/** What a thrown error says, for whole-error assertions. */
function caught(fn: () => unknown): { code: unknown; statusCode: unknown; message: unknown } {
  try {
    fn();
  } catch (error) {
    const e = error as { code?: unknown; statusCode?: unknown; message?: unknown };
    return { code: e.code, statusCode: e.statusCode, message: e.message };
  }
  throw new Error('expected an error');
}

const TEXT = 'here is a simple attachment';
const TEXT_HASH = '495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a';

t.test('the example of xAPI Communication 1.5.2.s6 parses', async (t) => {
  t.equal(sha256(TEXT), TEXT_HASH);
  const boundary = "abcABC0123'()+_,-./:=?";
  const body = crlf([
    '',
    `--${boundary}`,
    'Content-Type:application/json',
    '',
    '{"actor":{"mbox":"mailto:sample.agent@example.com"},"attachments":[]}',
    `--${boundary}`,
    'Content-Type:text/plain',
    'Content-Transfer-Encoding:binary',
    `X-Experience-API-Hash:${TEXT_HASH}`,
    '',
    TEXT,
    `--${boundary}--`,
  ]);
  const parsed = parseMultipart(`multipart/mixed; boundary="${boundary}"`, body);
  t.same(parsed.statementsJson, {
    actor: { mbox: 'mailto:sample.agent@example.com' },
    attachments: [],
  });
  t.equal(parsed.parts.length, 1);
  t.equal(parsed.parts[0]?.hash, TEXT_HASH);
  t.equal(parsed.parts[0]?.contentType, 'text/plain');
  t.equal(parsed.parts[0]?.body.toString(), TEXT);
});

t.test('tolerated: preamble, padding, epilogue, folding, no CTE, no part type', async (t) => {
  const body = crlf([
    'This is the preamble.',
    '--b  ',
    'content-type: application/json;',
    '  charset=utf-8',
    '',
    '[]',
    '--b',
    `x-experience-api-hash: ${TEXT_HASH.toUpperCase()}`,
    '',
    TEXT,
    '--b--  ',
    'the epilogue --b',
  ]);
  const parsed = parseMultipart('Multipart/Mixed;boundary=b', body);
  t.same(parsed.statementsJson, []);
  t.same(
    parsed.parts.map((p) => ({ ...p, body: p.body.toString() })),
    [{ hash: TEXT_HASH, contentType: 'text/plain; charset=us-ascii', body: TEXT }],
  );
});

t.test('binary content is kept byte for byte, CRLF and dashes included', async (t) => {
  const content = Buffer.from([0, 13, 10, 45, 45, 98, 255, 13, 10, 13, 10]);
  const { contentType, body } = serializeMultipart('{}', [
    { hash: sha256(content), contentType: 'image/png', body: content },
  ]);
  const parsed = parseMultipart(contentType, body);
  t.ok(parsed.parts[0]?.body.equals(content));
});

const partArb = fc
  .record({
    contentType: fc.constantFrom(
      'text/plain',
      'application/octet-stream',
      'image/png',
      'text/plain; charset=utf-8',
      'application/pdf; name="a b.pdf"',
    ),
    body: fc.uint8Array({ maxLength: 300 }),
  })
  .map(({ contentType, body }): AttachmentPart => ({
    contentType,
    body: Buffer.from(body),
    hash: sha256(Buffer.from(body)),
  }));

t.test('parse(serialize(json, parts)) gives back the JSON and the parts', async (t) => {
  fc.assert(
    fc.property(fc.json(), fc.array(partArb, { maxLength: 5 }), (json, parts) => {
      const { contentType, body } = serializeMultipart(json, parts);
      const parsed = parseMultipart(contentType, body);
      t.same(parsed.statementsJson, JSON.parse(json));
      t.equal(parsed.parts.length, parts.length);
      parsed.parts.forEach((p, i) => {
        const sent = parts[i];
        if (sent === undefined) throw new Error('more parts than sent');
        t.equal(p.hash, sent.hash);
        t.equal(p.contentType, sent.contentType);
        t.ok(p.body.equals(sent.body));
      });
    }),
    { numRuns: 200 },
  );
});

t.test('any damage to a valid body is either still valid or XAPI_ERR_ATTACHMENT 400', async (t) => {
  fc.assert(
    fc.property(
      fc.json(),
      fc.array(partArb, { maxLength: 3 }),
      fc.nat(),
      fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 255 })),
      (json, parts, at, byte) => {
        const { contentType, body } = serializeMultipart(json, parts);
        const i = at % body.length;
        // Cut the body at i, or overwrite one byte.
        const damaged =
          byte === null
            ? body.subarray(0, i)
            : Buffer.concat([body.subarray(0, i), Buffer.from([byte]), body.subarray(i + 1)]);
        try {
          parseMultipart(contentType, damaged);
        } catch (error) {
          const e = error as { code?: unknown; statusCode?: unknown };
          if (e.code !== 'XAPI_ERR_ATTACHMENT' || e.statusCode !== 400) throw error;
        }
      },
    ),
    { numRuns: 500 },
  );
  t.pass('no other error escaped');
});

t.test('malformed bodies and headers are refused with XAPI_ERR_ATTACHMENT', async (t) => {
  const good = (...parts: string[][]): Buffer =>
    crlf(['--b', ...parts.flatMap((p, i) => (i === 0 ? p : ['--b', ...p])), '--b--']);
  const json = ['Content-Type: application/json', '', '{}'];
  const text = [
    'Content-Type: text/plain',
    'Content-Transfer-Encoding: binary',
    `X-Experience-API-Hash: ${TEXT_HASH}`,
    '',
    TEXT,
  ];
  const type = 'multipart/mixed; boundary=b';
  const cases: [string, string, Buffer, string][] = [
    [
      'not multipart',
      'application/json',
      good(json),
      'the Content-Type is application/json, not multipart/mixed',
    ],
    [
      'form-data',
      'multipart/form-data; boundary=b',
      good(json),
      'the Content-Type is multipart/form-data, not multipart/mixed',
    ],
    ['no boundary', 'multipart/mixed', good(json), 'the Content-Type has no boundary parameter'],
    ['bad header', 'multipart/mixed; boundary', good(json), 'the Content-Type header is not valid'],
    [
      'boundary too long',
      `multipart/mixed; boundary=${'x'.repeat(71)}`,
      good(json),
      'the boundary must be 1 to 70 characters of RFC 2046',
    ],
    ['boundary absent', type, Buffer.from('{}'), 'the boundary does not occur in the body'],
    ['no close', type, crlf(['--b', ...json]), 'the close delimiter is missing'],
    [
      'junk after delimiter',
      type,
      crlf(['--bx', ...json, '--b--']),
      'a boundary delimiter must be followed by a line break',
    ],
    ['no part', type, Buffer.from('--b--'), 'there is no part'],
    [
      'first part not JSON type',
      type,
      good(['Content-Type: text/plain', '', '{}']),
      'the first part must have Content-Type application/json',
    ],
    [
      'first part without type',
      type,
      good(['', '{}']),
      'the first part must have Content-Type application/json',
    ],
    [
      'first part not JSON',
      type,
      good(['Content-Type: application/json', '', '{']),
      'the first part is not valid JSON',
    ],
    [
      'bad header line',
      type,
      good(['Content-Type application/json', '', '{}']),
      'part 1 has a malformed header line',
    ],
    [
      'repeated header',
      type,
      good([json[0] ?? '', ...json]),
      'part 1 repeats the Content-Type header',
    ],
    [
      'no hash',
      type,
      good(
        json,
        text.filter((l) => !l.startsWith('X-')),
      ),
      'part 2 has no X-Experience-API-Hash header',
    ],
    [
      'hash not hex',
      type,
      good(
        json,
        text.map((l) => (l.startsWith('X-') ? 'X-Experience-API-Hash: xyz' : l)),
      ),
      'part 2: X-Experience-API-Hash must be a hex SHA-256, SHA-384 or SHA-512',
    ],
    [
      'hash of other content',
      type,
      good(
        json,
        text.map((l) => (l === TEXT ? `${TEXT}!` : l)),
      ),
      'part 2: its content does not have the declared X-Experience-API-Hash',
    ],
    [
      'base64 encoding',
      type,
      good(
        json,
        text.map((l) =>
          l.startsWith('Content-Transfer') ? 'Content-Transfer-Encoding: base64' : l,
        ),
      ),
      'part 2: Content-Transfer-Encoding must be binary, not base64',
    ],
    [
      'bad part type',
      type,
      good(
        json,
        text.map((l) => (l.startsWith('Content-Type') ? 'Content-Type: text' : l)),
      ),
      'part 2: the Content-Type header is not valid',
    ],
  ];
  for (const [name, contentType, body, message] of cases) {
    t.same(
      caught(() => parseMultipart(contentType, body)),
      {
        code: 'XAPI_ERR_ATTACHMENT',
        statusCode: 400,
        message: `malformed multipart/mixed body: ${message}`,
      },
      name,
    );
  }
});

t.test('SHA-384 and SHA-512 hashes are accepted and checked', async (t) => {
  for (const alg of ['sha384', 'sha512']) {
    const hash = createHash(alg).update(TEXT).digest('hex');
    const body = crlf([
      '--b',
      'Content-Type: application/json',
      '',
      '{}',
      '--b',
      `X-Experience-API-Hash: ${hash}`,
      '',
      TEXT,
      '--b--',
    ]);
    t.equal(parseMultipart('multipart/mixed; boundary=b', body).parts[0]?.hash, hash, alg);
  }
});
