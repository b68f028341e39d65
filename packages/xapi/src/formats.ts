/**
 * Predicates for the special data types of xAPI-Data section 4 (IRIs, UUIDs, language tags,
 * timestamps, durations) and the IFI formats of 2.4.2.3. Best-effort where the spec allows it
 * (2.2.s4.b6, b7), exact where it gives a grammar (RFC 5646, ISO 8601).
 */

// RFC 3987 IRI: a scheme, a colon, then no whitespace or characters IRIs exclude. The LRS MUST
// reject IRIs without a scheme (2.2.s4.b1.b8); full IRI validation is best-effort (2.2.s4.b6).
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`\p{Cc}]+$/u;

/** True for an absolute IRI (it has a scheme). Relative references and fragments are rejected. */
export function isIri(value: string): boolean {
  return IRI.test(value);
}

/** True for an IRL: checked like an IRI (xAPI gives no stricter rule). */
export function isIrl(value: string): boolean {
  return isIri(value);
}

const MAILTO = /^mailto:[^@\s]+@[^@\s]+$/u;

/** True for a `mailto:` IRI with one `@` (xAPI-Data 2.4.2.3: "mailto:email address"). */
export function isMailtoIri(value: string): boolean {
  return MAILTO.test(value);
}

/** True for 40 hexadecimal digits (a SHA-1 in hex). */
export function isSha1Hex(value: string): boolean {
  return /^[0-9a-fA-F]{40}$/u.test(value);
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/u;

/**
 * True for a UUID in standard string form (xAPI-Data 4.4: MUST be in standard string form; variant 2
 * is only recommended, and the spec's own example `12345678-1234-5678-1234-567812345678` is not
 * variant 2, so the variant is not checked).
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

// RFC 5646 section 2.1, ABNF transcribed. Case-insensitive.
const ALNUM = '[a-z0-9]';
const LANGUAGE = '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})';
const SCRIPT = '(?:-[a-z]{4})?';
const REGION = '(?:-(?:[a-z]{2}|[0-9]{3}))?';
const VARIANT = `(?:-(?:${ALNUM}{5,8}|[0-9]${ALNUM}{3}))*`;
const EXTENSION = `(?:-[0-9a-wyz](?:-${ALNUM}{2,8})+)*`;
const PRIVATE_USE = `x(?:-${ALNUM}{1,8})+`;
const IRREGULAR =
  'en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|' +
  'i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de';
const REGULAR = 'art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min|zh-min-nan|zh-xiang';
const LANGTAG = new RegExp(
  `^(?:${LANGUAGE}${SCRIPT}${REGION}${VARIANT}${EXTENSION}(?:-${PRIVATE_USE})?|${PRIVATE_USE}|${IRREGULAR}|${REGULAR})$`,
  'iu',
);

const SIMPLE_LANGTAG = /^[a-z]{2,3}(?:-(?:[a-z]{2}|[0-9]{3}))?$/iu;

/**
 * True for an RFC 5646 language tag: the token sequence of its ABNF (2.2.s4.b2), and no variant
 * (2.2.5.s3.b5) or extension singleton (2.2.6.s3.b3) twice. The ADL suite refuses
 * `ar-a-aaa-b-bbb-a-ccc`.
 */
export function isLanguageTag(value: string): boolean {
  // Nearly every tag in practice is a language with an optional region ("en", "en-US", "es-419"):
  // valid, and with no variant or singleton to check for repeats.
  if (SIMPLE_LANGTAG.test(value)) return true;
  if (!LANGTAG.test(value)) return false;
  const subtags = value.toLowerCase().split('-');
  const privateUse = subtags.indexOf('x');
  const tagged = privateUse === -1 ? subtags : subtags.slice(0, privateUse);
  const firstSingleton = tagged.findIndex((t, i) => i > 0 && t.length === 1);
  const head = firstSingleton === -1 ? tagged : tagged.slice(0, firstSingleton);
  const variants = head.filter(
    (t, i) => i > 0 && (t.length >= 5 || (t.length === 4 && /^[0-9]/u.test(t))),
  );
  const singletons = tagged.filter((t, i) => i > 0 && t.length === 1);
  return (
    new Set(variants).size === variants.length && new Set(singletons).size === singletons.length
  );
}

// RFC 9110 8.3.1: media-type = type "/" subtype parameters; parameters = *( OWS ";" OWS
// [ parameter ] ); parameter = token "=" ( token / quoted-string ).
const TOKEN = "[!#$%&'*+.^_`|~0-9a-z-]+";
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const MEDIA_TYPE = new RegExp(
  `^${TOKEN}/${TOKEN}(?:[ \t]*;[ \t]*(?:${TOKEN}=(?:${TOKEN}|${QUOTED}))?)*$`,
  'iu',
);

/** True for an Internet Media Type, as an attachment's `contentType` must be (xAPI-Data 2.4.11). */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}

// ISO 8601:2004 4.4.3.2 format with designators; the alternative format of 4.4.3.3 is forbidden
// (xAPI-Data 4.6). Weeks stand alone. A decimal fraction (either sign) is allowed on the lowest
// order component only.
const NUM = '\\d+(?:[.,]\\d+)?';
const DURATION = new RegExp(
  `^P(?:(?:(${NUM})Y)?(?:(${NUM})M)?(?:(${NUM})D)?(?:T(?:(${NUM})H)?(?:(${NUM})M)?(?:(${NUM})S)?)?|(${NUM})W)$`,
  'u',
);

/** True for an ISO 8601 duration such as `PT1H30M`, `P3Y`, `PT59.14S`, `P4W`. */
export function isIsoDuration(value: string): boolean {
  const match = DURATION.exec(value);
  if (match === null) return false;
  const parts = match.slice(1);
  const present = parts.map((part, index) => ({ part, index })).filter((p) => p.part !== undefined);
  if (present.length === 0) return false;
  // "T" needs at least one time component.
  if (value.includes('T') && !/T\d/u.test(value)) return false;
  // Only the last component present may carry a fraction.
  return present.slice(0, -1).every((p) => p.part !== undefined && !/[.,]/u.test(p.part));
}

// RFC 3339 5.6 (the profile xAPI-Data 4.5 recommends) allows, "for the sake of readability", a space
// instead of "T" between date and time, and "T" and "Z" "may alternatively be lower case". The ADL
// conformance suite (XAPI-00123) sends `2008-09-15 15:53:00.601+00:00` and expects it accepted.
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})([Tt ])(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2})(?::?(\d{2}))?)?$/u;

/** The parts of a timestamp that {@link parseTimestamp} reads. */
export interface ParsedTimestamp {
  /** Milliseconds since the epoch (fractions beyond milliseconds truncated). */
  readonly epochMs: number;
  /** True when the timestamp carries `Z` (either case) or a numeric offset. */
  readonly hasZone: boolean;
  /** True when the zone is the UTC designator `Z` or `z`. */
  readonly isZulu: boolean;
  /**
   * True when the string is already in the form `new Date().toISOString()` gives, fraction length
   * apart: `T` between date and time and `Z` as the zone, both upper case.
   */
  readonly isCanonicalUtc: boolean;
}

/** `Date.UTC` for every year: `Date.UTC` itself reads years 0 to 99 as 1900 to 1999. */
function utcMs(
  year: number,
  monthIndex: number,
  day: number,
  h = 0,
  mi = 0,
  s = 0,
  ms = 0,
): number {
  if (year >= 100) return Date.UTC(year, monthIndex, day, h, mi, s, ms);
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year`, in the proleptic Gregorian calendar that `Date` uses. */
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Whether a timestamp (a string {@link parseTimestamp} accepts) is in the form
 * `new Date().toISOString()` gives, fraction length apart: `T` after its 10-character date and `Z`
 * at its end, both upper case. It reads the shape only, without a parse, so that 2.0 preparation
 * keeps the usual timestamp without parsing it again; any other string gives a meaningless answer.
 */
export function hasCanonicalUtcForm(timestamp: string): boolean {
  return timestamp.charCodeAt(10) === 0x54 && timestamp.endsWith('Z');
}

/**
 * Parses an ISO 8601 combined date and time in extended format (the RFC 3339 profile xAPI-Data 4.5
 * recommends, with optional zone; no zone is read as UTC). `T`, `t` or one space separates date and
 * time; `Z` or `z` is UTC. Returns undefined when the string is not one, including impossible dates
 * and the `-00:00` offset that ISO 8601 does not allow.
 */
export function parseTimestamp(value: string): ParsedTimestamp | undefined {
  const m = TIMESTAMP.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, , h, mi, s, frac, zone, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const isZulu = zone === 'Z' || zone === 'z';
  let offsetMinutes = 0;
  if (zone !== undefined && !isZulu) {
    const offH = Number(oh);
    const offM = om === undefined ? 0 : Number(om);
    if (offH > 23 || offM > 59) return undefined;
    if (zone.startsWith('-') && offH === 0 && offM === 0) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offH * 60 + offM);
  }
  const ms = frac === undefined ? 0 : Number(frac.slice(1, 4).padEnd(3, '0'));
  const epochMs =
    utcMs(year, month - 1, day, hour, minute, Math.min(second, 59), ms) - offsetMinutes * 60_000;
  return {
    epochMs,
    hasZone: zone !== undefined,
    isZulu,
    isCanonicalUtc: hasCanonicalUtcForm(value),
  };
}

/** True for a timestamp {@link parseTimestamp} accepts. */
export function isIsoTimestamp(value: string): boolean {
  return parseTimestamp(value) !== undefined;
}
