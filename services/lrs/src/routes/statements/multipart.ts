import { createHash, randomBytes } from 'node:crypto';
import { AttachmentErrors } from './attachment-errors.js';

/*
 * The xAPI transmission format for attachments (xAPI Communication 1.5.2): an RFC 2046
 * multipart/mixed body whose first part is the statements (application/json) and whose other parts
 * are raw attachment content, each named by its X-Experience-API-Hash.
 *
 * Why a parser of our own: the body is already in memory (Fastify buffers it under a size limit),
 * and xAPI needs only a small, strict subset of MIME: one level of parts, three headers, no
 * content-transfer encodings but `binary`. The npm parsers that handle multipart/mixed are either
 * unmaintained (dicer), form-data oriented (busboy, @fastify/busboy, parse-multipart-data) or
 * pre-1.0 with frequent API breaks (@remix-run/multipart-parser); none checks the xAPI headers, so
 * the xAPI rules below would be needed anyway. Everything is parsed from the Buffer with
 * `indexOf` on the exact delimiter (CRLF "--" boundary), so binary content is never decoded.
 */

/** One attachment part: its declared (and verified) hash, its content type and raw content. */
export interface AttachmentPart {
  /** Lowercase hex SHA-2 of `body`, as declared by X-Experience-API-Hash. */
  readonly hash: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface ParsedMultipart {
  /** The first part, parsed as JSON: one statement or an array (validated by the caller). */
  readonly statementsJson: unknown;
  readonly parts: AttachmentPart[];
}

/** The content type of the first part, and of the response's statements part. */
const JSON_TYPE = 'application/json';
/** RFC 2045 5.2: the content type of a part without a Content-Type header. */
const DEFAULT_PART_TYPE = 'text/plain; charset=us-ascii';
const HASH_HEADER = 'x-experience-api-hash';
const CTE_HEADER = 'content-transfer-encoding';

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^[ \\t]*(${TOKEN}/${TOKEN})[ \\t]*`, 'u');
const PARAMETER = new RegExp(
  `^;[ \\t]*(${TOKEN})=(?:"((?:[^"\\\\]|\\\\.)*)"|(${TOKEN}))[ \\t]*`,
  'u',
);
/** RFC 2046 5.1.1: 1 to 70 bchars, not ending with a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/u;
const HEADER_LINE = new RegExp(`^(${TOKEN})[ \\t]*:[ \\t]*(.*?)[ \\t]*$`, 'u');
const HEX = /^[0-9a-fA-F]+$/u;

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

/** SHA-2 algorithm by hex length: the hashes xAPI Communication 1.5.2.s4.b4 allows. */
const HASH_ALGORITHMS: Readonly<Record<number, string>> = {
  64: 'sha256',
  96: 'sha384',
  128: 'sha512',
};

/** A parsed `Content-Type` header: the lowercase `type/subtype` and its parameters. */
export interface MediaType {
  readonly essence: string;
  readonly parameters: ReadonlyMap<string, string>;
}

/** Parses a Content-Type value (RFC 9110 8.3.1); null when it is not well formed. */
export function parseMediaType(value: string): MediaType | null {
  const head = MEDIA_TYPE.exec(value);
  if (head === null || head[1] === undefined) return null;
  const parameters = new Map<string, string>();
  let rest = value.slice(head[0].length);
  while (rest !== '') {
    // Tolerate empty parameters (`;;`, a trailing `;`): some clients send them.
    const empty = /^;[ \t]*(?=;|$)/u.exec(rest);
    if (empty !== null) {
      rest = rest.slice(empty[0].length);
      continue;
    }
    const param = PARAMETER.exec(rest);
    if (param === null || param[1] === undefined) return null;
    const name = param[1].toLowerCase();
    const raw = param[2] !== undefined ? param[2].replace(/\\(.)/gu, '$1') : (param[3] ?? '');
    if (parameters.has(name)) return null;
    parameters.set(name, raw);
    rest = rest.slice(param[0].length);
  }
  return { essence: head[1].toLowerCase(), parameters };
}

/** The boundary of a `multipart/mixed` Content-Type, or XAPI_ERR_ATTACHMENT. */
export function multipartBoundary(contentType: string): string {
  const media = parseMediaType(contentType);
  if (media === null) throw new AttachmentErrors.malformed('the Content-Type header is not valid');
  if (media.essence !== 'multipart/mixed') {
    throw new AttachmentErrors.malformed(
      `the Content-Type is ${media.essence}, not multipart/mixed`,
    );
  }
  const boundary = media.parameters.get('boundary');
  if (boundary === undefined) {
    throw new AttachmentErrors.malformed('the Content-Type has no boundary parameter');
  }
  if (!BOUNDARY.test(boundary)) {
    throw new AttachmentErrors.malformed('the boundary must be 1 to 70 characters of RFC 2046');
  }
  return boundary;
}

/**
 * Parses an xAPI multipart/mixed request body. Checks the transmission format: a first part of
 * type application/json holding valid JSON; each further part with an `X-Experience-API-Hash`
 * that really is the SHA-256 (or SHA-384/512) of its content, and a `Content-Transfer-Encoding`
 * of `binary` when one is given (absent, binary is assumed: 1.5.2.s3.b6). Any breach throws
 * XAPI_ERR_ATTACHMENT (400). Parts are views on `body`, not copies.
 */
export function parseMultipart(contentType: string, body: Buffer): ParsedMultipart {
  const boundary = multipartBoundary(contentType);
  const raw = splitParts(body, boundary);
  const [first, ...rest] = raw.map((part, index) => splitHeaders(part, index));
  if (first === undefined) throw new AttachmentErrors.malformed('there is no part');

  const firstType = first.headers.get('content-type');
  if (firstType === undefined || parseMediaType(firstType)?.essence !== JSON_TYPE) {
    throw new AttachmentErrors.malformed('the first part must have Content-Type application/json');
  }
  let statementsJson: unknown;
  try {
    statementsJson = JSON.parse(first.body.toString('utf8'));
  } catch {
    throw new AttachmentErrors.malformed('the first part is not valid JSON');
  }

  const parts = rest.map((part, i): AttachmentPart => {
    const n = i + 2;
    const declared = part.headers.get(HASH_HEADER);
    if (declared === undefined) {
      throw new AttachmentErrors.malformed(`part ${n} has no X-Experience-API-Hash header`);
    }
    const algorithm = HEX.test(declared) ? HASH_ALGORITHMS[declared.length] : undefined;
    if (algorithm === undefined) {
      throw new AttachmentErrors.malformed(
        `part ${n}: X-Experience-API-Hash must be a hex SHA-256, SHA-384 or SHA-512`,
      );
    }
    const encoding = part.headers.get(CTE_HEADER);
    if (encoding !== undefined && encoding.toLowerCase() !== 'binary') {
      throw new AttachmentErrors.malformed(
        `part ${n}: Content-Transfer-Encoding must be binary, not ${encoding}`,
      );
    }
    const hash = declared.toLowerCase();
    if (createHash(algorithm).update(part.body).digest('hex') !== hash) {
      throw new AttachmentErrors.malformed(
        `part ${n}: its content does not have the declared X-Experience-API-Hash`,
      );
    }
    const type = part.headers.get('content-type');
    if (type !== undefined && parseMediaType(type) === null) {
      throw new AttachmentErrors.malformed(`part ${n}: the Content-Type header is not valid`);
    }
    return { hash, contentType: type ?? DEFAULT_PART_TYPE, body: part.body };
  });
  return { statementsJson, parts };
}

/**
 * The body parts between the delimiters (RFC 2046 5.1.1): the preamble before the first
 * delimiter and the epilogue after the close delimiter are ignored.
 */
function splitParts(body: Buffer, boundary: string): Buffer[] {
  const dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
  const delimiter = Buffer.concat([CRLF, dashBoundary]);
  let pos: number;
  if (body.subarray(0, dashBoundary.length).equals(dashBoundary)) {
    pos = dashBoundary.length;
  } else {
    const first = body.indexOf(delimiter);
    if (first < 0) throw new AttachmentErrors.malformed('the boundary does not occur in the body');
    pos = first + delimiter.length;
  }

  const parts: Buffer[] = [];
  for (;;) {
    if (body[pos] === DASH && body[pos + 1] === DASH) return parts;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos += 1; // transport padding
    if (body[pos] !== CR || body[pos + 1] !== LF) {
      throw new AttachmentErrors.malformed('a boundary delimiter must be followed by a line break');
    }
    const start = pos + 2;
    const end = body.indexOf(delimiter, start);
    if (end < 0) throw new AttachmentErrors.malformed('the close delimiter is missing');
    parts.push(body.subarray(start, end));
    pos = end + delimiter.length;
  }
}

interface RawPart {
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** A part's header fields (names lowercased; RFC 5322 folding undone) and its content. */
function splitHeaders(part: Buffer, index: number): RawPart {
  let headerText: string;
  let content: Buffer;
  if (part[0] === CR && part[1] === LF) {
    headerText = '';
    content = part.subarray(2);
  } else {
    const end = part.indexOf(HEADERS_END);
    if (end >= 0) {
      headerText = part.subarray(0, end).toString('utf8');
      content = part.subarray(end + HEADERS_END.length);
    } else {
      // Headers only and no content (RFC 2046: body-part := MIME-part-headers [CRLF *OCTET]).
      const text = part.toString('utf8');
      headerText = text.endsWith('\r\n') ? text.slice(0, -2) : text;
      content = Buffer.alloc(0);
    }
  }

  const headers = new Map<string, string>();
  const lines: string[] = [];
  for (const line of headerText === '' ? [] : headerText.split('\r\n')) {
    const previous = lines.length - 1;
    if (/^[ \t]/u.test(line) && previous >= 0) lines[previous] += ` ${line.trim()}`;
    else lines.push(line);
  }
  for (const line of lines) {
    const field = HEADER_LINE.exec(line);
    if (field === null || field[1] === undefined || field[2] === undefined) {
      throw new AttachmentErrors.malformed(`part ${index + 1} has a malformed header line`);
    }
    const name = field[1].toLowerCase();
    if (headers.has(name)) {
      throw new AttachmentErrors.malformed(`part ${index + 1} repeats the ${field[1]} header`);
    }
    headers.set(name, field[2]);
  }
  return { headers, body: content };
}

/** A multipart response: its Content-Type header value and body. */
export interface SerializedMultipart {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Builds an xAPI multipart/mixed message: `json` (the statements) first, then each part with its
 * Content-Type, `Content-Transfer-Encoding: binary` and `X-Experience-API-Hash`. The boundary is
 * random and checked not to occur in any part.
 */
export function serializeMultipart(
  json: string,
  parts: readonly AttachmentPart[],
): SerializedMultipart {
  const jsonBytes = Buffer.from(json, 'utf8');
  let boundary = newBoundary();
  while ([jsonBytes, ...parts.map((p) => p.body)].some((b) => b.includes(boundary, 0, 'latin1'))) {
    boundary = newBoundary();
  }
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: ${JSON_TYPE}\r\n\r\n`, 'latin1'),
    jsonBytes,
  ];
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${headerValue(part.contentType)}\r\n` +
          `Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${part.hash}\r\n\r\n`,
        'latin1',
      ),
      part.body,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
  return {
    contentType: `multipart/mixed; boundary=${boundary}`,
    body: Buffer.concat(chunks),
  };
}

function newBoundary(): string {
  return `cairn-${randomBytes(16).toString('hex')}`;
}

/** A content type safe to put in a header line (stored values come from validated input). */
function headerValue(value: string): string {
  return /[\r\n]/u.test(value) || parseMediaType(value) === null
    ? 'application/octet-stream'
    : value;
}
