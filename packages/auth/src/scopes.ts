/**
 * Every scope a credential can hold: the xAPI ones (xAPI Communication, "Authorization Scope")
 * and Cairn's own.
 */
export const XAPI_SCOPES = [
  'statements/write',
  'statements/read',
  'statements/read/mine',
  'all/read',
  'all',
  'state',
  'define',
  'profile',
] as const;

export const CAIRN_SCOPES = ['reports:cohort', 'reports:person', 'admin'] as const;

export const ALL_SCOPES = [...XAPI_SCOPES, ...CAIRN_SCOPES] as const;

export type Scope = (typeof ALL_SCOPES)[number];
