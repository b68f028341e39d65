import type { Test } from 'tap';
import type { Method, Service, World } from './fixture.js';

/** What B tries on one route, and what it must (not) get. */
export interface IsolationCase {
  /** The service whose route this is; absent: the LRS. */
  readonly service?: Service;
  readonly method: Method;
  /** The route as registered (see routes.ts). */
  readonly url: string;
  /** What B tries, in words: the subtest's name. */
  readonly attempt: string;
  run(t: Test, w: World): Promise<void>;
}

/** The same cases, as cases of the reports service's routes. */
export function onReports(cases: readonly IsolationCase[]): IsolationCase[] {
  return cases.map((c) => ({ ...c, service: 'reports' }));
}
