import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import t from 'tap';
import { parseMultipart } from '@cairn/lrs';
import { buildTestApp } from '../../helpers/build-test-app.js';
import { basicAuth } from '../../helpers/credentials.js';
import type { Teardown } from '../../helpers/env.js';

const ID = '5b0c3a44-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const ID2 = '5b0c3a44-1c2d-4e5f-8a9b-0c1d2e3f4a5c';
const BOUNDARY = "abcABC0123'()+_,-./:=?";
const MULTIPART = `multipart/mixed; boundary="${BOUNDARY}"`;
const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

interface Part {
  readonly contentType: string;
  readonly body: Buffer;
  readonly hash?: string;
}

/** A request body in the xAPI transmission format, built by hand (not by the code under test). */
function multipart(json: unknown, parts: readonly Part[]): Buffer {
  const chunks: Buffer[] = [
    Buffer.from(`--${BOUNDARY}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}`),
  ];
  for (const p of parts) {
    chunks.push(
      Buffer.from(
        `\r\n--${BOUNDARY}\r\nContent-Type: ${p.contentType}\r\nContent-Transfer-Encoding: binary\r\n` +
          `X-Experience-API-Hash: ${p.hash ?? sha256(p.body)}\r\n\r\n`,
      ),
      p.body,
    );
  }
  chunks.push(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

function attachment(body: Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    usageType: 'https://example.com/usage/essay',
    display: { en: 'essay' },
    contentType: 'application/pdf',
    length: body.length,
    sha2: sha256(body),
    ...extra,
  };
}

function statement(id: string | undefined, attachments: unknown[]): Record<string, unknown> {
  return {
    ...(id !== undefined ? { id } : {}),
    actor: { objectType: 'Agent', mbox: 'mailto:ann@example.com' },
    verb: { id: 'http://adlnet.gov/expapi/verbs/submitted' },
    object: { objectType: 'Activity', id: 'https://example.com/essays/1' },
    attachments,
  };
}

async function setup(t: Teardown, deps: Parameters<typeof buildTestApp>[1] = {}) {
  const r = await buildTestApp(t, deps);
  const auth = await basicAuth(r.store, 'default', ['all']);
  const headers = { authorization: auth, 'x-experience-api-version': '2.0.0' };
  const post = (payload: Buffer | Record<string, unknown> | unknown[], contentType = MULTIPART) =>
    r.app.inject({
      method: 'POST',
      url: '/xapi/statements',
      headers: { ...headers, 'content-type': contentType },
      payload: Buffer.isBuffer(payload) ? payload : JSON.stringify(payload),
    });
  const get = (query: string) =>
    r.app.inject({ method: 'GET', url: `/xapi/statements?${query}`, headers });
  return { ...r, headers, post, get };
}

const PDF = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);

t.test('POST multipart stores the content; GET attachments=true returns it', async (t) => {
  const { post, get } = await setup(t);
  const res = await post(
    multipart(statement(ID, [attachment(PDF)]), [{ contentType: 'application/pdf', body: PDF }]),
  );
  t.equal(res.statusCode, 200, res.body);
  t.same(res.json(), [ID]);

  const plain = await get(`statementId=${ID}`);
  t.equal(plain.statusCode, 200);
  t.match(plain.headers['content-type'], /^application\/json/);
  t.equal(plain.json<{ attachments: unknown[] }>().attachments.length, 1);

  const withContent = await get(`statementId=${ID}&attachments=true`);
  t.equal(withContent.statusCode, 200);
  const type = String(withContent.headers['content-type']);
  t.match(type, /^multipart\/mixed; boundary=/);
  const parsed = parseMultipart(type, withContent.rawPayload);
  t.match(parsed.statementsJson, { id: ID, attachments: [{ sha2: sha256(PDF) }] });
  t.equal(parsed.parts.length, 1);
  t.equal(parsed.parts[0]?.hash, sha256(PDF));
  t.equal(parsed.parts[0]?.contentType, 'application/pdf');
  t.ok(parsed.parts[0]?.body.equals(PDF), 'content byte for byte');
});

t.test('a batch sharing one part; the StatementResult comes back with one copy', async (t) => {
  const { post, get } = await setup(t);
  const png = Buffer.from('not really a png');
  const link = attachment(Buffer.from('remote'), { fileUrl: 'https://example.com/remote.txt' });
  const res = await post(
    multipart(
      [statement(ID, [attachment(PDF)]), statement(ID2, [attachment(PDF), attachment(png), link])],
      [
        { contentType: 'application/pdf', body: PDF },
        { contentType: 'image/png', body: png },
        { contentType: 'application/pdf', body: PDF },
      ],
    ),
  );
  t.equal(res.statusCode, 200, res.body);

  const page = await get('attachments=true&ascending=true');
  t.equal(page.statusCode, 200);
  const parsed = parseMultipart(String(page.headers['content-type']), page.rawPayload);
  t.match(parsed.statementsJson, { statements: [{ id: ID }, { id: ID2 }], more: '' });
  t.same(
    parsed.parts.map((p) => p.hash),
    [sha256(PDF), sha256(png)],
    'one part per stored hash, in order; none for the fileUrl-only attachment',
  );
});

t.test('PUT accepts multipart too', async (t) => {
  const { app, headers, get } = await setup(t);
  const res = await app.inject({
    method: 'PUT',
    url: `/xapi/statements?statementId=${ID}`,
    headers: { ...headers, 'content-type': MULTIPART },
    payload: multipart(statement(undefined, [attachment(PDF)]), [
      { contentType: 'application/pdf', body: PDF },
    ]),
  });
  t.equal(res.statusCode, 204, res.body);
  const back = await get(`statementId=${ID}&attachments=true`);
  const parsed = parseMultipart(String(back.headers['content-type']), back.rawPayload);
  t.ok(parsed.parts[0]?.body.equals(PDF));
});

t.test('application/json: fileUrl attachments only', async (t) => {
  const { post } = await setup(t);
  const link = attachment(PDF, { fileUrl: 'https://example.com/essay.pdf' });
  const ok = await post(statement(ID, [link]), 'application/json');
  t.equal(ok.statusCode, 200, ok.body);

  const missing = await post(statement(ID2, [attachment(PDF)]), 'application/json');
  t.equal(missing.statusCode, 400);
  t.same(missing.json(), {
    statusCode: 400,
    error: 'Bad Request',
    code: 'XAPI_ERR_ATTACHMENT',
    message: `attachments: statement ${ID2} has an attachment ${sha256(PDF)} with neither fileUrl nor a part`,
  });
});

t.test('parts and attachments that do not match are refused; nothing is stored', async (t) => {
  const { post, get } = await setup(t);
  const other = Buffer.from('another file');
  const cases: [string, Buffer, string][] = [
    [
      'attachment without its part',
      multipart(statement(ID, [attachment(PDF)]), []),
      `attachments: statement ${ID} has an attachment ${sha256(PDF)} with neither fileUrl nor a part`,
    ],
    [
      'part without its attachment',
      multipart(statement(ID, [attachment(PDF)]), [
        { contentType: 'application/pdf', body: PDF },
        { contentType: 'text/plain', body: other },
      ]),
      `attachments: part ${sha256(other)} is not the content of any attachment`,
    ],
    [
      'part whose hash is not its content',
      multipart(statement(ID, [attachment(PDF)]), [
        { contentType: 'application/pdf', body: other, hash: sha256(PDF) },
      ]),
      'malformed multipart/mixed body: part 2: its content does not have the declared X-Experience-API-Hash',
    ],
    [
      'truncated body',
      multipart(statement(ID, [attachment(PDF)]), [
        { contentType: 'application/pdf', body: PDF },
      ]).subarray(0, 200),
      'malformed multipart/mixed body: the close delimiter is missing',
    ],
  ];
  for (const [name, payload, message] of cases) {
    const res = await post(payload);
    t.same(
      res.json(),
      { statusCode: 400, error: 'Bad Request', code: 'XAPI_ERR_ATTACHMENT', message },
      name,
    );
  }
  t.equal((await get(`statementId=${ID}`)).statusCode, 404, 'nothing stored');
});

t.test('a part over the default limit (10 MiB) is refused with 413', async (t) => {
  const { post } = await setup(t);
  const big = Buffer.alloc(10 * 1024 * 1024 + 1, 7);
  const res = await post(
    multipart(statement(ID, [attachment(big)]), [{ contentType: 'application/pdf', body: big }]),
  );
  t.same(res.json(), {
    statusCode: 413,
    error: 'Payload Too Large',
    code: 'XAPI_ERR_ATTACHMENT_TOO_LARGE',
    message: `attachments: part ${sha256(big)} is ${big.length} bytes; the limit is ${10 * 1024 * 1024}`,
  });
});

t.test('configured limits: per part and per request; nothing stored on 413', async (t) => {
  const { post, get } = await setup(t, {
    attachmentLimits: { maxPartBytes: 1000, maxTotalBytes: 1500 },
  });
  const fits = Buffer.alloc(1000, 1);
  const tooBig = Buffer.alloc(1001, 2);
  const res1 = await post(
    multipart(statement(ID, [attachment(tooBig)]), [
      { contentType: 'application/pdf', body: tooBig },
    ]),
  );
  t.equal(res1.statusCode, 413, 'one part over the part limit');
  t.match(res1.json(), { code: 'XAPI_ERR_ATTACHMENT_TOO_LARGE', message: /limit is 1000/ });

  const other = Buffer.alloc(1000, 3);
  const res2 = await post(
    multipart(statement(ID, [attachment(fits), attachment(other)]), [
      { contentType: 'application/pdf', body: fits },
      { contentType: 'application/pdf', body: other },
    ]),
  );
  t.equal(res2.statusCode, 413, 'two parts that fit alone but not together');
  t.match(res2.json(), { code: 'XAPI_ERR_ATTACHMENT_TOO_LARGE' });
  t.equal((await get(`statementId=${ID}`)).statusCode, 404, 'nothing stored');

  const res3 = await post(
    multipart(statement(ID, [attachment(fits)]), [{ contentType: 'application/pdf', body: fits }]),
  );
  t.equal(res3.statusCode, 200, 'a part exactly at the limit is accepted');
});

t.test('signed statements: a matching JWS is stored, a tampered one is refused', async (t) => {
  const { post, get } = await setup(t);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unsigned = statement(ID, []);
  delete unsigned['attachments'];
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const jwsOf = (payload: unknown): Buffer => {
    const input = `${b64({ alg: 'RS256' })}.${b64(payload)}`;
    return Buffer.from(
      `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`,
    );
  };
  const signedWith = (jws: Buffer, id: string) =>
    multipart(
      {
        ...unsigned,
        id,
        attachments: [
          attachment(jws, { usageType: SIGNATURE, contentType: 'application/octet-stream' }),
        ],
      },
      [{ contentType: 'application/octet-stream', body: jws }],
    );

  const good = await post(signedWith(jwsOf(unsigned), ID));
  t.equal(good.statusCode, 200, good.body);
  const back = await get(`statementId=${ID}&attachments=true`);
  const parsed = parseMultipart(String(back.headers['content-type']), back.rawPayload);
  // RSASSA-PKCS1-v1_5 is deterministic: signing again gives the same JWS.
  t.equal(parsed.parts[0]?.body.toString(), jwsOf(unsigned).toString(), 'the JWS is served back');

  const tampered = await post(
    signedWith(jwsOf({ ...unsigned, verb: { id: 'http://adlnet.gov/expapi/verbs/failed' } }), ID2),
  );
  t.same(tampered.json(), {
    statusCode: 400,
    error: 'Bad Request',
    code: 'XAPI_ERR_SIGNATURE',
    message: `the signature of statement ${ID2} is not valid: the JWS payload differs from the statement`,
  });

  const hs256 = Buffer.from(`${b64({ alg: 'HS256' })}.${b64(unsigned)}.bWFj`);
  const wrongAlg = await post(signedWith(hs256, ID2));
  t.equal(wrongAlg.statusCode, 400);
  t.match(wrongAlg.json(), { code: 'XAPI_ERR_SIGNATURE', message: /RS256, RS384 or RS512/ });
  t.equal((await get(`statementId=${ID2}`)).statusCode, 404, 'refused statements are not stored');
});
