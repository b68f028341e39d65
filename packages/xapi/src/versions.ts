/**
 * xAPI versions Cairn serves from one endpoint, chosen per request by the
 * X-Experience-API-Version header. 1.0.x are the xAPI 1.0.3 family (real courses still send
 * 1.0.2); 2.0.0 is IEEE 9274.1.1-2023.
 */
export const SUPPORTED_VERSIONS = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'] as const;

export type XapiVersion = (typeof SUPPORTED_VERSIONS)[number];

/** The header that carries the version, on requests and on every response. */
export const VERSION_HEADER = 'X-Experience-API-Version';

/** A major.minor line of xAPI: its patches differ only in wording, never in rules. */
export type VersionFamily = '1.0' | '2.0';

/** The latest patch Cairn knows of each family: what every response names (Communication 3.3). */
const LATEST_PATCH: Readonly<Record<VersionFamily, XapiVersion>> = {
  '1.0': '1.0.3',
  '2.0': '2.0.0',
};

// `1.0`, `2.0`, or either with a patch of ASCII digits only: no sign, space, pre-release or
// build suffix. Communication 3.3 says to accept any header "starting with 1.0."; a suffix is
// refused all the same, because nothing says what `1.0.3-beta` would mean for the rules.
const VERSION_SHAPE = /^(1|2)\.0(?:\.([0-9]+))?$/;

export function isSupportedVersion(value: string): value is XapiVersion {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(value);
}

/**
 * The version a request header asks for, or undefined when Cairn does not serve it.
 * `1.0` is read as `1.0.0` and `2.0` (or `2.0.N`) as `2.0.0`; a 1.0 patch newer than the latest
 * Cairn knows is served as that latest one, since patches do not change the rules
 * (Communication 3.3: "MUST accept requests with a version header starting with `1.0.`").
 */
export function parseVersionHeader(value: string): XapiVersion | undefined {
  const match = VERSION_SHAPE.exec(value);
  if (match === null) return undefined;
  const family: VersionFamily = match[1] === '1' ? '1.0' : '2.0';
  const patch = match[2];
  if (patch === undefined) return `${family}.0`;
  // Number() of a long digit string may be Infinity: still a patch past the latest.
  const asked = `${family}.${Number(patch)}`;
  return isSupportedVersion(asked) ? asked : LATEST_PATCH[family];
}

/** The family a version belongs to. */
export function versionFamily(version: XapiVersion): VersionFamily {
  return version.startsWith('1.') ? '1.0' : '2.0';
}

/** The X-Experience-API-Version a response carries for a request of `family`. */
export function responseVersion(family: VersionFamily): XapiVersion {
  return LATEST_PATCH[family];
}

/** True for the 1.0.x family, whose rules differ from 2.0 in places the spec lists. */
export function isVersion1(version: XapiVersion): boolean {
  return versionFamily(version) === '1.0';
}
