import { ApiError } from '../api.js';
import { stateBlock } from '../dom.js';

/** A report this server does not serve (an older reports service): say so, not "error". */
export function notServed(error: unknown, what: string): HTMLElement | null {
  if (error instanceof ApiError && error.status === 404 && !error.code.startsWith('REPORTS_'))
    return stateBlock('empty', `This reports service does not serve the ${what} report yet.`);
  return null;
}
