import createError from '@fastify/error';

/** The dashboard's error catalogue (sign-in, sign-out, its files). */
export const DashboardErrors = {
  /**
   * 403: a state-changing dashboard request without the dashboard's header, or from another
   * origin: what a cross-site request forgery would look like.
   */
  crossSite: createError<[string]>('DASHBOARD_ERR_CROSS_SITE', '%s', 403),
  /** 401: a session read without a (live) session cookie. */
  signedOut: createError<[string]>('DASHBOARD_ERR_SIGNED_OUT', '%s', 401),
  /** 503: the front-end was never built (`npm run build`). */
  notBuilt: createError<[string]>('DASHBOARD_ERR_NOT_BUILT', '%s', 503),
} as const;
