import createError from '@fastify/error';

/** Errors of the HTTP layer itself (routing, start-up). */
export const HttpErrors = {
  notFound: createError<[string, string]>('HTTP_ERR_NOT_FOUND', 'no route for %s %s', 404),
  portInUse: createError<[number, string, string]>(
    'HTTP_ERR_PORT_IN_USE',
    'port %s on %s is already in use: set %s to a free port, or stop the process that holds it',
    500,
  ),
  cannotListen: createError<[string, string]>(
    'HTTP_ERR_CANNOT_LISTEN',
    'cannot listen on %s: %s',
    500,
  ),
} as const;
