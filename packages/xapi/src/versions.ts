/**
 * xAPI versions Cairn serves from one endpoint, chosen per request by the
 * X-Experience-API-Version header. 1.0.x are the xAPI 1.0.3 family (real courses still send
 * 1.0.2); 2.0.0 is IEEE 9274.1.1-2023.
 */
export const SUPPORTED_VERSIONS = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '2.0.0'] as const;

export type XapiVersion = (typeof SUPPORTED_VERSIONS)[number];

/** The header that carries the version, on requests and on every response. */
export const VERSION_HEADER = 'X-Experience-API-Version';

export function isSupportedVersion(value: string): value is XapiVersion {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(value);
}

/** True for the 1.0.x family, whose rules differ from 2.0 in places the spec lists. */
export function isVersion1(version: XapiVersion): boolean {
  return version.startsWith('1.');
}
