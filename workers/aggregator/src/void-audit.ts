import type { Tombstone } from '@cairn/analytics';
import type { Store } from '@cairn/store';
import { currentDerivation } from './current-derivation.js';
import { evidenceOfStatement } from './evidence-records.js';

/** Statements read per round trip. */
const PAGE = 500;

/**
 * A void on which xAPI and the pipeline disagree: the target is stored but still readable
 * (`xapiVoided` false: the LRS never applied the void), or the pipeline holds no tombstone for
 * it (`pipelineVoided` false: its evidence may still count).
 */
export interface VoidDifference {
  readonly targetStatementId: string;
  readonly voidingStatementId: string;
  readonly xapiVoided: boolean;
  readonly pipelineVoided: boolean;
}

/**
 * Compares, for every voiding statement of a store, the xAPI voided state of its target with
 * the pipeline's tombstone: empty when both sides agree. A target not stored yet counts as voided
 * on the xAPI side (it is voided when it arrives). One page of statements at a time, so memory
 * stays bounded by the page; meaningful once the pipeline has drained, like verifyRollups.
 */
export async function verifyVoids(store: Store, storeId: string): Promise<VoidDifference[]> {
  const statements = store.statementsOf(storeId);
  const tombstones = store.tombstonesOf(storeId);
  const derivation = await currentDerivation(store, storeId);
  const differences: VoidDifference[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await statements.query({
      ascending: true,
      limit: PAGE,
      ...(after === undefined ? {} : { after }),
    });
    const voids: Tombstone[] = page.statements.flatMap((s) => {
      const ev = evidenceOfStatement(storeId, s, derivation);
      return ev.type === 'void' ? [ev.tombstone] : [];
    });
    if (voids.length > 0) {
      const targets = voids.map((v) => v.targetStatementId);
      const readable = new Set(
        (await statements.getMany(targets)).filter((s) => !s.voided).map((s) => s.statementId),
      );
      const tombstoned = new Set(await tombstones.voidedAmong(targets));
      for (const v of voids) {
        const xapiVoided = !readable.has(v.targetStatementId);
        const pipelineVoided = tombstoned.has(v.targetStatementId);
        if (!xapiVoided || !pipelineVoided)
          differences.push({
            targetStatementId: v.targetStatementId,
            voidingStatementId: v.voidingStatementId,
            xapiVoided,
            pipelineVoided,
          });
      }
    }
    if (page.next === null) break;
    after = page.next;
  }
  return differences;
}
