import type { BatchRouter } from '@cairn/jobs';
import type { RederivationStatus, Store } from '@cairn/store';
import { currentDerivation } from './current-derivation.js';
import { routeEvidence } from './route-evidence.js';

/** Statements read per page of a re-derivation (one flow per page with changes). */
export const REDERIVE_PAGE = 200;

export interface RederiveDeps {
  readonly store: Store;
  readonly router: Pick<BatchRouter, 'route'>;
  readonly partitions: number;
  readonly now?: () => Date;
}

/**
 * Re-derives a store's evidence under its current settings (docs/pipeline.md, "Rule changes"):
 * reads every statement of the store, a page at a time, and routes those whose rows changed to
 * their partitions, which retract the old rows and count the new ones. The status records the
 * progress after every page. Safe to repeat: a run after a crash finds the statements it already
 * re-derived unchanged. Returns the final status.
 */
export async function rederiveStore(
  deps: RederiveDeps,
  storeId: string,
  jobId: string,
): Promise<RederivationStatus> {
  const now = deps.now ?? (() => new Date());
  const repository = deps.store.rederivationsOf(storeId);
  const derivation = await currentDerivation(deps.store, storeId);
  const before = await repository.status();
  if (before?.state === 'done' && before.generation >= derivation.generation) return before;

  const { statementCount } = await deps.store.statisticsOf(storeId);
  let status: RederivationStatus = {
    generation: derivation.generation,
    state: 'running',
    total: statementCount,
    scanned: 0,
    changed: 0,
    startedAt: now(),
    finishedAt: null,
  };
  await repository.saveStatus(status);
  const statements = deps.store.statementsOf(storeId);
  let after: string | undefined;
  for (let page = 0; ; page++) {
    const { statements: batch, next } = await statements.query({
      ascending: true,
      limit: REDERIVE_PAGE,
      ...(after === undefined ? {} : { after }),
    });
    const routing = await routeEvidence(
      deps.store,
      storeId,
      batch,
      deps.partitions,
      derivation,
      'rederive',
    );
    if (routing.parts.size > 0) {
      const changed = [...new Set([...routing.parts.values()].flat())];
      await deps.router.route(
        `${jobId}.page${page}`,
        { storeId, statementIds: changed, stored: changed.map(() => 0), rederive: true },
        routing.parts,
      );
    }
    status = {
      ...status,
      scanned: status.scanned + batch.length,
      changed: status.changed + routing.rederived,
    };
    if (next === null) break;
    await repository.saveStatus(status);
    after = next;
  }
  status = { ...status, state: 'done', finishedAt: now() };
  await repository.saveStatus(status);
  return status;
}
