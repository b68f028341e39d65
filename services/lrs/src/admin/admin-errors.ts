import createError from '@fastify/error';
import { ALL_SCOPES } from '@cairn/auth';

/** The admin operations' error catalogue, shared by the admin API and the CLI. */
export const AdminErrors = {
  /** 404: no such store, or one the caller may not manage (indistinguishable on purpose). */
  storeNotFound: createError<[string]>('ADMIN_ERR_STORE_NOT_FOUND', 'no store %s', 404),
  /** 404: no credential with this key in this store. */
  credentialNotFound: createError<[string, string]>(
    'ADMIN_ERR_CREDENTIAL_NOT_FOUND',
    'no credential %s in store %s',
    404,
  ),
  /** 400: a field's value breaks a rule; the message names the field. */
  invalid: createError<[string, string]>('ADMIN_ERR_INVALID', '%s %s', 400),
  /** 400: a scope Cairn does not know. */
  unknownScope: createError<[string]>(
    'ADMIN_ERR_UNKNOWN_SCOPE',
    `unknown scope %s: scopes are ${ALL_SCOPES.join(', ')}`,
    400,
  ),
  /** 403: an operation on the whole installation by a store's own administrator. */
  forbidden: createError<[string]>(
    'ADMIN_ERR_FORBIDDEN',
    'only an admin credential of the default store may %s',
    403,
  ),
} as const;
