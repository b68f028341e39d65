import createError from '@fastify/error';

/**
 * The errors of people, identity changes and directory imports: each has a stable code and an
 * HTTP status, and a message naming what is wrong.
 */
export const PeopleErrors = {
  /** 404: no person has this id (or it was merged into another one). */
  notFound: createError<[string]>('PEOPLE_ERR_NOT_FOUND', 'no person %s', 404),
  /** 400: a merge or split that breaks a rule; the message names the value. */
  invalid: createError<[string]>('PEOPLE_ERR_INVALID', '%s', 400),
  /** 409: another merge, split or import of this store holds the store's identity lock. */
  busy: createError<[string]>('PEOPLE_ERR_BUSY', '%s', 409),
  /** 400: a directory file that cannot be read; the message names the place. */
  directoryInvalid: createError<[string]>('DIRECTORY_ERR_INVALID', '%s', 400),
  /** 409: an import that would join identifiers of two different directory people. */
  directoryConflict: createError<[string]>('DIRECTORY_ERR_CONFLICT', '%s', 409),
} as const;

/** The errors of erasures (docs/identity.md, "Erasure"). */
export const ErasureErrors = {
  /** 404: no erasure has this id in the store. */
  notFound: createError<[string]>('ERASURE_ERR_NOT_FOUND', 'no erasure %s', 404),
  /** 400: an erasure id that is not 64 lower-case hex digits. */
  invalid: createError<[string]>('ERASURE_ERR_INVALID', '%s', 400),
} as const;
