import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AuthErrors, hasScope, requireScope, type Principal } from '@cairn/auth';
import { ApiErrors } from './api-errors.js';

/** Writing skill settings: only an admin of the store. */
export const requireWriter: preHandlerAsyncHookHandler = requireScope('admin');

const readAll = requireScope('all/read', 'read');
const readReports = requireScope('reports:cohort');

/**
 * Reading skill settings: `admin`, `reports:cohort`, `all/read` or `all`. The first three of
 * those (and `all`, which implies `all/read`) pass `requireScope('all/read', 'read')`; only a
 * credential that fails it for want of the scope and holds `reports:cohort` is tried again with
 * that scope, so the origin check and the rate limit run once for every caller.
 */
export const requireReader: preHandlerAsyncHookHandler = async function requireReader(
  request,
  reply,
) {
  try {
    await readAll.call(this, request, reply);
  } catch (error) {
    const principal = request.principal;
    if (!(error instanceof AuthErrors.forbidden) || principal === null) throw error;
    if (!hasScope(principal, 'reports:cohort')) {
      const held = principal.scopes.length > 0 ? principal.scopes.join(', ') : '(none)';
      throw new ApiErrors.forbidden(held);
    }
    await readReports.call(this, request, reply);
  }
};

/** The store of the request's credential: the only store the API acts on. */
export function storeOf(request: FastifyRequest): string {
  const principal: Principal | null = request.principal;
  if (principal === null) throw new Error('route reached without authentication');
  return principal.storeId;
}
